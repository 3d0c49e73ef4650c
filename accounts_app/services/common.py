"""What the account services share: applying given fields, and who may archive."""

from typing import Any

from django.core.exceptions import PermissionDenied

from ..models import (
    Account,
    User,
)


def _apply(instance, data: dict[str, Any], fields: tuple[str, ...]):
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    return instance


def _require_edit(by: User, account: Account) -> None:
    # Who deleted them before (the account team, admins) archives and restores them.
    if not account.editable_by(by):
        raise PermissionDenied("Only the account team archives or restores its records.")
