"""Writes of the revenue history (DESIGN §13): an account's revenue per month, entered on
its Revenue tab (a year at a time) or sent through `revenue-entries/` — both through
these. One rule for every writer: the account team writes; an amount is a non-negative
Decimal of at most 14 digits and a month is not after the current one (the model's
field and clean(), which imports run too); one entry per account and month; a recorded
month is corrected, never removed (no delete, and the tab refuses to empty one). Each
write is in the entry's history with its author, and the account is recomputed
afterwards, so its annual revenue and growth follow the history."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import history
from core.history import records_actor
from core.jobs import recompute_later

from ..models import Account, RevenueEntry, User
from ..models.revenue import NOT_REMOVED

ENTRY_FIELDS = ("month", "amount")


def _require_edit(by: User, account: Account) -> None:
    if not account.editable_by(by):
        raise PermissionDenied("Only the account team records its revenue.")


def _lock(account: Account) -> None:
    # One writer of an account's months at a time, so that "is this month recorded?" and
    # the insert that follows cannot interleave with another writer's (PostgreSQL; SQLite
    # writes one at a time anyway).
    list(Account.objects.select_for_update().filter(pk=account.pk).values_list("pk"))


def _checked(entry: RevenueEntry) -> None:
    # The account is the caller's (already checked); one entry per month is checked by
    # the services under the lock, naming the entry that holds the month.
    entry.full_clean(exclude=["account"], validate_constraints=False)


def _month_free(account: Account, month: date, *, but: RevenueEntry | None = None) -> None:
    same = RevenueEntry.objects.filter(account=account, month=month)
    if but is not None:
        same = same.exclude(pk=but.pk)
    existing = same.only("pk").first()
    if existing is not None:
        raise ValidationError(
            {
                "month": f"{account} already has revenue for {month:%Y-%m} "
                f"(entry {existing.pk}): change that one."
            }
        )


@records_actor
@transaction.atomic
def revenue_entry_create(
    *, account: Account, by: User, month: date, amount: Decimal
) -> RevenueEntry:
    _require_edit(by, account)
    _lock(account)
    entry = RevenueEntry(account=account, month=month, amount=amount)
    _checked(entry)
    _month_free(account, month)
    entry.save()
    recompute_later(account.pk)
    return entry


@records_actor
@transaction.atomic
def revenue_entry_update(*, entry: RevenueEntry, by: User, **fields) -> RevenueEntry:
    """Correct an entry's amount (or the month it was booked in)."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"Not revenue entry fields: {', '.join(sorted(unknown))}")
    _require_edit(by, entry.account)
    _lock(entry.account)
    entry = RevenueEntry.objects.select_related("account").get(pk=entry.pk)
    for name, value in fields.items():
        setattr(entry, name, value)
    _checked(entry)
    _month_free(entry.account, entry.month, but=entry)
    entry.save()
    recompute_later(entry.account_id)
    return entry


@dataclass(frozen=True)
class Recorded:
    created: int
    corrected: int


@records_actor
@transaction.atomic
def revenue_months_record(
    *, account: Account, by: User, amounts: Mapping[date, Decimal | None]
) -> Recorded:
    """Several months of one account at once (the Revenue tab saves a year): a month not
    recorded yet is created, a recorded one whose amount differs is corrected, an
    unchanged one is left alone (no history row for nothing), and one left empty that
    was never recorded stays so. All or nothing: every refused month is named by its key
    (`YYYY-MM`) and nothing is written."""
    _require_edit(by, account)
    _lock(account)
    recorded = {
        entry.month: entry
        for entry in RevenueEntry.objects.filter(account=account, month__in=list(amounts))
    }
    created, corrected, errors = [], [], {}
    for month, amount in sorted(amounts.items()):
        entry = recorded.get(month)
        if amount is None:
            if entry is not None:
                errors[f"{month:%Y-%m}"] = [NOT_REMOVED]
            continue
        if entry is None:
            entry = RevenueEntry(account=account, month=month, amount=amount)
            created.append(entry)
        elif entry.amount != amount:
            entry.amount = amount
            corrected.append(entry)
        else:
            continue
        try:
            _checked(entry)
        except ValidationError as exc:
            errors[f"{month:%Y-%m}"] = [m for ms in exc.message_dict.values() for m in ms]
    if errors:
        raise ValidationError(errors)
    history.bulk_create(RevenueEntry, created, by=by)
    history.bulk_update(RevenueEntry, corrected, ["amount"], by=by)
    if created or corrected:
        recompute_later(account.pk)
    return Recorded(created=len(created), corrected=len(corrected))
