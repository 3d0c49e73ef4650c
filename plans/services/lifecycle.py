"""The plan's life cycle: draft → submitted → approved, or changes requested; an
approved plan reopened as a draft. Each step is recorded (PlanTransition) and notifies
those it concerns."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts_app.models import User
from core.history import records_actor
from core.jobs import recompute_later

from ..models import Plan, PlanTransition
from ..selectors import can_coach_plan, can_reopen_plan, can_submit_plan
from .coaching import _notify_coaches, _notify_team
from .common import StaleVersion

S = Plan.Status


def _transition(
    plan: Plan, *, to: str, by: User, comment: str, version: int | None = None
) -> PlanTransition:
    if version is not None:
        current = Plan.objects.select_for_update().get(pk=plan.pk)
        if current.version != version:
            raise StaleVersion(current)
    step = PlanTransition.objects.create(
        plan=plan, from_status=plan.status, to_status=to, by=by, comment=comment
    )
    # Saved through the instance, so the history records the status change and who made it.
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    current.status, current.version = to, current.version + 1
    current._history_user = by
    current.save(update_fields=["status", "version", "updated_at"])
    plan.status, plan.version, plan.updated_at = current.status, current.version, current.updated_at
    recompute_later(plan.account_id)
    return step


@records_actor
@transaction.atomic
def plan_submit(
    *, plan: Plan, by: User, comment: str = "", version: int | None = None
) -> PlanTransition:
    if not can_submit_plan(user=by, plan=plan):
        raise PermissionDenied("The account owner submits the plan.")
    if plan.status not in (S.DRAFT, S.CHANGES_REQUESTED):
        raise ValidationError(
            f"A plan that is {plan.get_status_display().lower()} cannot be submitted."
        )
    step = _transition(plan, to=S.SUBMITTED, by=by, comment=comment.strip(), version=version)
    _notify_coaches(plan, step, f"{by.name} submitted the {plan.label} plan of {plan.account}.")
    return step


def _coach_step(
    plan: Plan, by: User, to: str, comment: str, verb: str, version: int | None = None
) -> PlanTransition:
    if not can_coach_plan(user=by, plan=plan):
        raise PermissionDenied("A manager who coaches the account, or an admin, decides.")
    if plan.status != S.SUBMITTED:
        raise ValidationError("Only a submitted plan can be approved or sent back.")
    submitted_by = (
        plan.transitions.filter(to_status=S.SUBMITTED).values_list("by_id", flat=True).first()
    )
    if submitted_by == by.pk and not by.is_admin_role:
        raise PermissionDenied("Someone other than who submitted the plan approves it.")
    step = _transition(plan, to=to, by=by, comment=comment, version=version)
    _notify_team(plan, step, f"{by.name} {verb} the {plan.label} plan of {plan.account}.")
    return step


@records_actor
@transaction.atomic
def plan_approve(
    *, plan: Plan, by: User, comment: str = "", version: int | None = None
) -> PlanTransition:
    """`version`: the plan's version the coach reviewed; a later edit refuses the step."""
    return _coach_step(plan, by, S.APPROVED, comment.strip(), "approved", version)


@records_actor
@transaction.atomic
def plan_request_changes(
    *, plan: Plan, by: User, comment: str, version: int | None = None
) -> PlanTransition:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what should change."})
    return _coach_step(plan, by, S.CHANGES_REQUESTED, comment, "requested changes to", version)


@records_actor
@transaction.atomic
def plan_reopen(
    *, plan: Plan, by: User, comment: str = "", version: int | None = None
) -> PlanTransition:
    if not can_reopen_plan(user=by, plan=plan):
        raise PermissionDenied("The account owner or a coach reopens an approved plan.")
    if plan.status != S.APPROVED:
        raise ValidationError("Only an approved plan is reopened.")
    return _transition(plan, to=S.DRAFT, by=by, comment=comment.strip(), version=version)
