"""The plan itself: starting it, editing its own fields, its stored quality."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts_app.models import Account, User
from accounts_app.selectors import can_edit_account
from core.history import records_actor
from core.jobs import recompute_later
from core.periods import fiscal_year

from ..models import Plan
from ..selectors import plan_quality_for
from .common import _require_edit, _save_versioned

PLAN_FIELDS = (
    "overview",
    "revenue_q1",
    "revenue_q2",
    "revenue_q3",
    "revenue_q4",
    "revenue_target",
    "wallet_estimate",
    "margin_target_pct",
)


@records_actor
@transaction.atomic
def plan_create(*, account: Account, by: User, period: int | None = None) -> Plan:
    if not can_edit_account(user=by, account=account):
        raise PermissionDenied("Only the account team starts its plan.")
    period = period or fiscal_year()
    if Plan.objects.filter(account=account, period=period).exists():
        raise ValidationError({"period": f"{account} already has a plan for FY{period}."})
    plan = Plan(
        account=account,
        period=period,
        created_by=by,
        wallet_estimate=account.wallet_estimate,
        margin_target_pct=account.gross_margin_pct,
    )
    plan._history_user = by
    plan.save()
    recompute_later(account.pk)  # its plan requirement and the plan alert
    return plan_quality_refresh(plan=plan)


@records_actor
def plan_update(*, plan: Plan, by: User, version: int | None, **data) -> Plan:
    _require_edit(by, plan)
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Not plan fields: {sorted(unknown)}")
    for field, value in data.items():
        setattr(plan, field, value)
    plan._history_user = by
    _save_versioned(plan, version=version, fields=data.keys())
    return plan_quality_refresh(plan=plan)


def plan_quality_refresh(*, plan: Plan) -> Plan:
    """Store the plan's quality score and failing checks (the list of plans reads them).
    A queryset update: the score is derived, not part of the plan's history."""
    quality = plan_quality_for(plan=plan)
    failing = [check.key for check in quality.failing]
    # untracked: quality is derived (not in the history)
    Plan.objects.filter(pk=plan.pk).update(quality=quality.score, quality_failing=failing)
    plan.quality, plan.quality_failing = quality.score, failing
    return plan


def account_plans_quality_refresh(*, account_id: int) -> int:
    """The stored quality of the account's plans from this fiscal year on: run by the
    account's recompute, since the quality reads what changes outside the plan
    (decision makers, their relationships, the team). Returns how many were refreshed."""
    plans = list(Plan.objects.filter(account_id=account_id, period__gte=fiscal_year()))
    for plan in plans:
        plan_quality_refresh(plan=plan)
    return len(plans)
