"""Writes of plans: creation, edits with optimistic locking, the life cycle, comments and
notifications, cloning into the next period. Each checks its permission rule
(plans.selectors) and raises PermissionDenied / ValidationError / StaleVersion."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts_app.models import Account, TeamMember, User
from accounts_app.selectors import can_edit_account
from core.jobs import recompute_later
from core.periods import fiscal_year

from .models import (
    Goal,
    KnowledgePoint,
    Notification,
    Plan,
    PlanComment,
    PlanTransition,
    Strategy,
    SwotItem,
    Tactic,
)
from .selectors import (
    can_coach_plan,
    can_edit_plan,
    can_reopen_plan,
    can_resolve_comments,
    can_submit_plan,
    plan_quality_for,
)

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
ITEM_FIELDS = {
    KnowledgePoint: ("text", "kind"),
    SwotItem: ("text", "kind"),
    Goal: ("text", "customer_goal"),
    Strategy: ("text",),
    Tactic: ("text", "owner", "due_date", "status"),
}


class StaleVersion(Exception):
    """Someone saved the object since the caller read it: `current` is the newer one."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else.")
        self.current = current


def _plan_of(obj) -> Plan:
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, Strategy):
        return obj.goal.plan
    if isinstance(obj, Tactic):
        return obj.strategy.goal.plan
    return obj.plan


def _require_edit(user: User, plan: Plan) -> None:
    if plan.read_only:
        raise PermissionDenied("The plan is approved: reopen it to change it.")
    if not can_edit_plan(user=user, plan=plan):
        raise PermissionDenied("Only the account team changes its plan.")


def _save_versioned(obj, *, version: int | None, fields: Iterable[str]) -> None:
    """Save `fields` of `obj` only if its stored version is still `version` (None: no
    check), and move the version on; StaleVersion (with the stored row) otherwise."""
    obj.full_clean(exclude=["version"])
    if obj.pk is None:
        obj.save()
        return
    model = type(obj)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        if version is not None and current.version != version:
            raise StaleVersion(current)
        obj.version = current.version + 1
        obj.save(update_fields=[*fields, "version", "updated_at"])


# --- The plan ---------------------------------------------------------------------------


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
    return plan_quality_refresh(plan=plan)


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


# --- Items --------------------------------------------------------------------------------


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def item_create(*, model, by: User, parent, **data):
    """A knowledge point, SWOT item or goal (parent: the plan), strategy (parent: a goal)
    or tactic (parent: a strategy), placed last."""
    parent_field = {Strategy: "goal", Tactic: "strategy"}.get(model, "plan")
    plan = _plan_of(parent)
    _require_edit(by, plan)
    unknown = set(data) - set(ITEM_FIELDS[model])
    if unknown:
        raise TypeError(f"Not {model.__name__} fields: {sorted(unknown)}")
    siblings = model.objects.filter(**{parent_field: parent})
    item = model(**{parent_field: parent}, position=_next_position(siblings), **data)
    _stamp_done(item)
    _check_item(item, plan)
    item.full_clean(exclude=["version"])
    item._history_user = by
    item.save()
    _touch(plan)
    return item


def _stamp_done(item) -> bool:
    """A tactic marked done remembers the day (account health counts tactics done by
    their due date); one no longer done forgets it. True if `done_on` changed."""
    if not isinstance(item, Tactic):
        return False
    done_on = item.done_on
    if item.status == Tactic.Status.DONE:
        item.done_on = item.done_on or timezone.localdate()
    else:
        item.done_on = None
    return item.done_on != done_on


def _check_item(item, plan: Plan) -> None:
    if isinstance(item, Goal) and item.customer_goal_id:
        if (
            item.customer_goal.plan_id != plan.pk
            or item.customer_goal.kind != KnowledgePoint.Kind.GOAL
        ):
            raise ValidationError({"customer_goal": "Choose one of this plan's customer goals."})
    if isinstance(item, Tactic) and item.owner_id:
        if not TeamMember.objects.filter(account=plan.account, user_id=item.owner_id).exists():
            raise ValidationError({"owner": "The owner of a tactic is on the account team."})


def item_update(*, item, by: User, version: int | None, **data):
    plan = _plan_of(item)
    _require_edit(by, plan)
    unknown = set(data) - set(ITEM_FIELDS[type(item)])
    if unknown:
        raise TypeError(f"Not {type(item).__name__} fields: {sorted(unknown)}")
    if item.deleted_at is not None:
        raise ValidationError("This item was deleted.")
    for field, value in data.items():
        setattr(item, field, value)
    fields = list(data)
    if _stamp_done(item):
        fields.append("done_on")
    _check_item(item, plan)
    item._history_user = by
    _save_versioned(item, version=version, fields=fields)
    _touch(plan)
    return item


def item_delete(*, item, by: User):
    """Soft delete: gone from the plan, back with item_restore (undo)."""
    plan = _plan_of(item)
    _require_edit(by, plan)
    item.deleted_at = timezone.now()
    item._history_user = by
    item.save(update_fields=["deleted_at", "updated_at"])
    _touch(plan)
    return item


def item_restore(*, item, by: User):
    plan = _plan_of(item)
    _require_edit(by, plan)
    item.deleted_at = None
    item._history_user = by
    item.save(update_fields=["deleted_at", "updated_at"])
    _touch(plan)
    return item


@transaction.atomic
def items_reorder(*, model, by: User, parent, ids: list[int]):
    """Put the parent's items of `model` in the order of `ids` (all of them, once each),
    in one bulk update recorded in the history."""
    parent_field = {Strategy: "goal", Tactic: "strategy"}.get(model, "plan")
    plan = _plan_of(parent)
    _require_edit(by, plan)
    items = {i.pk: i for i in model.objects.filter(**{parent_field: parent}, deleted_at=None)}
    if sorted(ids) != sorted(items):
        raise ValidationError("Give every item once to reorder them.")
    changed = []
    for position, pk in enumerate(ids, start=1):
        item = items[pk]
        if item.position != position:
            item.position, item.version = position, item.version + 1
            changed.append(item)
    if changed:
        bulk_update_with_history(changed, model, ["position", "version"], default_user=by)
        _touch(plan)
    return [items[pk] for pk in ids]


def _touch(plan: Plan) -> None:
    """An item changed: the plan's last update moves, its quality is recomputed, and the
    account's snapshot (plan execution, health) follows."""
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    plan_quality_refresh(plan=plan)
    recompute_later(plan.account_id)


def plan_quality_refresh(*, plan: Plan) -> Plan:
    """Store the plan's quality score and failing checks (the list of plans reads them).
    A queryset update: the score is derived, not part of the plan's history."""
    quality = plan_quality_for(plan=plan)
    failing = [check.key for check in quality.failing]
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


# --- Life cycle -------------------------------------------------------------------------

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


@transaction.atomic
def plan_approve(
    *, plan: Plan, by: User, comment: str = "", version: int | None = None
) -> PlanTransition:
    """`version`: the plan's version the coach reviewed; a later edit refuses the step."""
    return _coach_step(plan, by, S.APPROVED, comment.strip(), "approved", version)


@transaction.atomic
def plan_request_changes(
    *, plan: Plan, by: User, comment: str, version: int | None = None
) -> PlanTransition:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what should change."})
    return _coach_step(plan, by, S.CHANGES_REQUESTED, comment, "requested changes to", version)


@transaction.atomic
def plan_reopen(
    *, plan: Plan, by: User, comment: str = "", version: int | None = None
) -> PlanTransition:
    if not can_reopen_plan(user=by, plan=plan):
        raise PermissionDenied("The account owner or a coach reopens an approved plan.")
    if plan.status != S.APPROVED:
        raise ValidationError("Only an approved plan is reopened.")
    return _transition(plan, to=S.DRAFT, by=by, comment=comment.strip(), version=version)


# --- Comments and notifications -------------------------------------------------------


def _team_users(plan: Plan) -> list[int]:
    return list(TeamMember.objects.filter(account=plan.account).values_list("user_id", flat=True))


def _coach_users(plan: Plan) -> list[int]:
    """The managers of the team's members: those who coach the account."""
    return list(
        User.objects.filter(reports__team_memberships__account=plan.account, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def _notify(user_ids, *, plan, text, by, comment=None, transition=None) -> None:
    """Notify those who may see the plan (never its author): a notification quotes it."""
    candidates = [pk for pk in dict.fromkeys(user_ids) if pk != by.pk]
    allowed = [
        user
        for user in User.objects.filter(pk__in=candidates, is_active=True)
        if Account.objects.visible_to(user).filter(pk=plan.account_id).exists()
    ]
    Notification.objects.bulk_create(
        Notification(user=user, plan=plan, text=text[:300], comment=comment, transition=transition)
        for user in allowed
    )


def _notify_team(plan, step, text):
    _notify(_team_users(plan), plan=plan, text=text, by=step.by, transition=step)


def _notify_coaches(plan, step, text):
    _notify(_coach_users(plan), plan=plan, text=text, by=step.by, transition=step)


@transaction.atomic
def comment_add(
    *, plan: Plan, by: User, text: str, section: str = PlanComment.Section.GENERAL, parent=None
) -> PlanComment:
    """The team, its coaches and admins comment (the plan was loaded for `by`, so they
    see it); executives read. Replies thread under their parent."""
    if not can_resolve_comments(user=by, plan=plan):
        raise PermissionDenied("The account team and its coaches comment on the plan.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the comment."})
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": "Reply to a comment of this plan."})
    comment = PlanComment(plan=plan, section=section, parent=parent, author=by, text=text)
    comment.full_clean()
    comment.save()
    recipients = set(_team_users(plan)) | set(_coach_users(plan))
    if parent is not None and parent.author_id:
        recipients.add(parent.author_id)
    _notify(
        recipients,
        plan=plan,
        by=by,
        comment=comment,
        text=f"{by.name} commented on {comment.get_section_display().lower()} of the "
        f"{plan.label} plan of {plan.account}: {text[:120]}",
    )
    return comment


def comment_resolve(*, comment: PlanComment, by: User, resolved: bool = True) -> PlanComment:
    if not can_resolve_comments(user=by, plan=comment.plan):
        raise PermissionDenied("The team and its coaches resolve comments.")
    comment.resolved = resolved
    comment.resolved_by = by if resolved else None
    comment.resolved_at = timezone.now() if resolved else None
    comment.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    return comment


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# --- Next period --------------------------------------------------------------------------


def _save_new(obj, by: User):
    """Create `obj` with its history record naming `by` (also outside a web request)."""
    obj._history_user = by
    obj.save()
    return obj


@transaction.atomic
def plan_clone(*, plan: Plan, by: User) -> Plan:
    """The plan of the next period: overview, targets, knowledge points, SWOT, goals and
    strategies carried over, with their open tactics; done and dropped tactics, and
    deleted items, left behind. The new plan starts as a draft."""
    if not can_edit_account(user=by, account=plan.account):
        raise PermissionDenied("Only the account team starts its plan.")
    period = plan.period + 1
    if Plan.objects.filter(account=plan.account, period=period).exists():
        raise ValidationError({"period": f"{plan.account} already has a plan for FY{period}."})
    # Owners who have left the team leave their tactics unowned.
    team = set(_team_users(plan))
    new = _save_new(
        Plan(
            account=plan.account,
            period=period,
            created_by=by,
            overview=plan.overview,
            revenue_target=plan.revenue_target,
            wallet_estimate=plan.wallet_estimate,
            margin_target_pct=plan.margin_target_pct,
        ),
        by,
    )
    points = {}
    for kp in plan.knowledge_points.filter(deleted_at=None):
        points[kp.pk] = KnowledgePoint(plan=new, kind=kp.kind, text=kp.text, position=kp.position)
    bulk_create_with_history(list(points.values()), KnowledgePoint, default_user=by)
    swot = [
        SwotItem(plan=new, kind=s.kind, text=s.text, position=s.position)
        for s in plan.swot_items.filter(deleted_at=None)
    ]
    bulk_create_with_history(swot, SwotItem, default_user=by)
    for goal in plan.goals.filter(deleted_at=None).prefetch_related("strategies__tactics"):
        customer_goal = points.get(goal.customer_goal_id)
        new_goal = _save_new(
            Goal(
                plan=new,
                text=goal.text,
                position=goal.position,
                customer_goal=customer_goal if customer_goal and customer_goal.pk else None,
            ),
            by,
        )
        for strategy in goal.strategies.all():
            if strategy.deleted_at:
                continue
            new_strategy = _save_new(
                Strategy(goal=new_goal, text=strategy.text, position=strategy.position), by
            )
            tactics = [
                Tactic(
                    strategy=new_strategy,
                    text=t.text,
                    owner_id=t.owner_id if t.owner_id in team else None,
                    due_date=t.due_date,
                    status=t.status,
                    position=t.position,
                )
                for t in strategy.tactics.all()
                if t.deleted_at is None and t.is_open
            ]
            bulk_create_with_history(tactics, Tactic, default_user=by)
    return plan_quality_refresh(plan=new)
