"""What changed in a plan and its items, read from their history records."""

from accounts_app.models import User
from core.history import field_changes

from ..models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic

CHANGE_SOURCES = (
    (Plan, "id", "Plan"),
    (KnowledgePoint, "plan_id", "Knowledge point"),
    (SwotItem, "plan_id", "SWOT item"),
    (Goal, "plan_id", "Goal"),
    (Strategy, "goal__plan_id", "Strategy"),
    (Tactic, "strategy__goal__plan_id", "Tactic"),
)
NOT_SHOWN = {"version", "updated_at", "created_at", "position", "quality", "quality_failing"}


def plan_approved_at(*, plan: Plan):
    """When the plan last became approved: the history record of that save (it follows
    the transition row by a moment, so the approval itself is not listed as a change)."""
    return (
        plan.history.filter(status=Plan.Status.APPROVED)
        .exclude(history_type="-")
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )


def plan_changes_since(*, plan: Plan, since=None) -> list[dict]:
    """Every recorded change to the plan and its items after `since` (all if None),
    newest first: when, who, what (added, changed, deleted, restored) and each changed
    field's old and new value. Fields are compared by their stored values (ids for
    relations), so it costs one query per model plus one per kind of related name shown."""
    out, users, points = [], set(), set()
    for model, path, label in CHANGE_SOURCES:
        fields = [
            (f.name, f.attname) for f in model._meta.concrete_fields if f.name not in NOT_SHOWN
        ]
        previous = {}
        records = (
            model.history.filter(**{path: plan.pk})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            if since is not None and record.history_date <= since:
                continue
            if record.history_type == "+" or before is None:
                what, changes = "added", []
            else:
                changes = field_changes(before, record, fields)
                if not changes:
                    continue
                if any(name == "deleted_at" for name, _, _ in changes):
                    what = "restored" if record.deleted_at is None else "deleted"
                else:
                    what = "changed"
                changes = [c for c in changes if c[0] != "deleted_at"]
                for name, old, new in changes:
                    if name in ("owner", "created_by"):
                        users.update(v for v in (old, new) if v)
                    if name == "customer_goal":
                        points.update(v for v in (old, new) if v)
            out.append(
                {
                    "at": record.history_date,
                    "by": record.history_user,
                    "kind": label,
                    "text": plan.label if model is Plan else record.text,
                    "what": what,
                    "changes": changes,
                }
            )
    names = {
        "owner": dict((u.pk, u.name) for u in User.objects.filter(pk__in=users)) if users else {},
        "customer_goal": dict(
            KnowledgePoint.objects.filter(pk__in=points).values_list("pk", "text")
        )
        if points
        else {},
    }
    names["created_by"] = names["owner"]
    for change in out:
        change["changes"] = [
            (name, names[name].get(old, old), names[name].get(new, new))
            if name in names
            else (name, old, new)
            for name, old, new in change["changes"]
        ]
    out.sort(key=lambda change: change["at"], reverse=True)
    return out


def latest_change(*, obj):
    """The latest history record of `obj`, with its user: who saved it last, and when
    (None if it has no history)."""
    return (
        obj.history.order_by("-history_date", "-history_id").select_related("history_user").first()
    )
