"""Accounts: create, update, archive, restore, purge."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import history
from core.history import records_actor
from core.jobs import recompute_later

from ..models import (
    Account,
    AccountPurge,
    TeamMember,
    User,
)
from ..selectors import can_create_account
from .common import _apply

ACCOUNT_FIELDS = (
    "name",
    "parent",
    "industry",
    "region",
    "lifecycle_stage",
    "annual_revenue",
    "wallet_estimate",
    "gross_margin_pct",
    "strategic_value",
    "strategic_value_reason",
    "website",
    "description",
)


@records_actor
@transaction.atomic
def account_create(*, by: User, **data) -> Account:
    """Create an account; its creator becomes its owner and first team member."""
    if not can_create_account(user=by):
        raise PermissionDenied("Executives read accounts; they do not create them.")
    account = _apply(Account(owner=by), data, ACCOUNT_FIELDS)
    account.full_clean()
    account.save()
    TeamMember.objects.create(account=account, user=by, role=TeamMember.Role.OWNER)
    recompute_later(account.pk)
    return account


@records_actor
@transaction.atomic
def account_update(*, account: Account, by: User, **data) -> Account:
    _apply(account, data, ACCOUNT_FIELDS)
    account.full_clean()
    account.save()
    recompute_later(account.pk)
    return account


@records_actor
@transaction.atomic
def account_archive(*, account: Account, by: User) -> Account:
    """What deleting an account does: it is archived (who, when) with everything under
    it, out of lists, dashboards, segmentation, alerts and recomputes until restored."""
    if not account.archived:
        account.archived = True
        account.archived_at = timezone.now()
        account.archived_by = by
        account.save(update_fields=["archived", "archived_at", "archived_by", "updated_at"])
    return account


@records_actor
@transaction.atomic
def account_restore(*, account: Account, by: User) -> Account:
    """Back from the archive, with everything under it as it was."""
    if account.archived:
        account.archived = False
        account.archived_at = None
        account.archived_by = None
        account.save(update_fields=["archived", "archived_at", "archived_by", "updated_at"])
        recompute_later(account.pk)
    return account


@records_actor
@transaction.atomic
def account_purge(*, account: Account, by: User, confirm: str) -> AccountPurge:
    """Remove an account and everything under it for good: admins only, the account's
    name typed in, and recorded."""
    if not (by.is_active and by.is_admin_role):
        raise PermissionDenied("Only admins purge an account.")
    if (confirm or "").strip() != account.name:
        raise ValidationError({"confirm": "Type the account's name exactly to purge it."})
    record = AccountPurge.objects.create(account_id=account.pk, name=account.name, by=by)
    history.update(Account.objects.filter(parent=account), by=by, parent=None)
    account.delete()
    return record
