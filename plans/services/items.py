"""The items of a plan (knowledge points, SWOT, goals → strategies → tactics): added,
edited with optimistic locking, soft-deleted and restored, reordered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_app.models import TeamMember, User
from core import history
from core.history import records_actor
from core.jobs import recompute_later

from ..models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic
from .common import _plan_of, _require_edit, _save_versioned
from .plans import plan_quality_refresh

ITEM_FIELDS = {
    KnowledgePoint: ("text", "kind"),
    SwotItem: ("text", "kind"),
    Goal: ("text", "customer_goal"),
    Strategy: ("text",),
    Tactic: ("text", "owner", "due_date", "status"),
}


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@records_actor
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


@records_actor
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


@records_actor
def item_delete(*, item, by: User):
    """Soft delete: gone from the plan, back with item_restore (undo)."""
    plan = _plan_of(item)
    _require_edit(by, plan)
    item.deleted_at = timezone.now()
    item._history_user = by
    item.save(update_fields=["deleted_at", "updated_at"])
    _touch(plan)
    return item


@records_actor
def item_restore(*, item, by: User):
    plan = _plan_of(item)
    _require_edit(by, plan)
    item.deleted_at = None
    item._history_user = by
    item.save(update_fields=["deleted_at", "updated_at"])
    _touch(plan)
    return item


@records_actor
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
        history.bulk_update(model, changed, ["position", "version"], by=by)
        _touch(plan)
    return [items[pk] for pk in ids]


def _touch(plan: Plan) -> None:
    """An item changed: the plan's last update moves, its quality is recomputed, and the
    account's snapshot (plan execution, health) follows."""
    # untracked: the plan's last-change time; the item's change is recorded
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    plan_quality_refresh(plan=plan)
    recompute_later(plan.account_id)
