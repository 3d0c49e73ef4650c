"""What the writes of plans share: optimistic locking (StaleVersion) and the rule that
only the team changes a plan that is not approved."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts_app.models import User

from ..models import Plan, Strategy, Tactic
from ..selectors import can_edit_plan


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
