"""The account snapshot: counts, last interaction, the Relationship Penetration Index
and the figures of every app (insights.figures: scorecard, survey, plan execution,
engagement, health, pipeline, plan) of each account, one row per account and day,
computed for many accounts at once.

A batch of accounts costs a fixed number of queries (accounts, contacts, relationships,
team, business units, last interactions, the figures, one upsert), whatever its
size, so the nightly job over 10,000 accounts is a few hundred queries, not tens of
thousands.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot, Interaction
from accounts_app.penetration import account_states
from accounts_app.rpi import present, state_penetration
from core import history

from .figures import FIELDS as FIGURE_FIELDS
from .figures import account_figures

BATCH = 500
FIELDS = [
    "contact_count",
    "relationship_count",
    "business_unit_count",
    "team_size",
    "last_interaction",
    "rpi",
    "rpi_high",
    "rpi_wide",
    "rpi_deep",
    "gap_count",
    "computed_at",
]


def account_snapshots_refresh(
    *, account_ids: Iterable[int], on: date | None = None
) -> dict[int, AccountSnapshot]:
    """Recompute the day's snapshot of each account that still exists; idempotent (the
    row for (account, day) is overwritten). Returns the rows by account id."""
    day = on or timezone.localdate()
    written = {}
    ids = sorted(set(account_ids))
    for start in range(0, len(ids), BATCH):
        written.update(_refresh_batch(ids[start : start + BATCH], day))
    return written


def _refresh_batch(account_ids: list[int], day: date) -> dict[int, AccountSnapshot]:
    existing = list(Account.objects.filter(pk__in=account_ids).values_list("pk", flat=True))
    if not existing:
        return {}
    states = account_states(existing)
    there = {account_id: present(state) for account_id, state in states.items()}
    last = dict(
        Interaction.objects.filter(account_id__in=existing)
        .values("account_id")
        .annotate(last=Max("date"))
        .values_list("account_id", "last")
    )
    now = timezone.now()
    results = {account_id: state_penetration(states[account_id]) for account_id in existing}
    # Health, scorecard, survey, pipeline and plan figures.
    figures = account_figures(
        existing, day=day, rpi={pk: result.rpi for pk, result in results.items()}
    )
    rows = []
    for account_id in existing:
        result, counted = results[account_id], there[account_id]
        rows.append(
            AccountSnapshot(
                account_id=account_id,
                date=day,
                contact_count=len(counted.contacts),
                relationship_count=sum(1 for r in counted.relationships if r.strength > 0),
                business_unit_count=len(counted.units),
                team_size=len(states[account_id].team),
                last_interaction=last.get(account_id),
                rpi=result.rpi,
                rpi_high=result.percent("high"),
                rpi_wide=result.percent("wide"),
                rpi_deep=result.percent("deep"),
                gap_count=len(result.gaps),
                computed_at=now,
                **figures[account_id],
            )
        )
    # untracked: snapshots are derived, dated figures
    AccountSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["account", "date"],
        update_fields=[*FIELDS, *FIGURE_FIELDS],
    )
    # An account with a revenue history takes its annual revenue (the last twelve months)
    # from it: what segmentation, dashboards and lists read.
    _annual_revenue_from_history({pk: f["revenue_ttm"] for pk, f in figures.items()})
    # Each account points at its newest snapshot (dashboards join it): one UPDATE.
    newest = AccountSnapshot.objects.filter(account=OuterRef("pk")).order_by("-date")
    # untracked: latest_snapshot is a derived pointer (not in the history)
    Account.objects.filter(pk__in=existing).update(
        latest_snapshot=Subquery(newest.values("pk")[:1])
    )
    # bulk_create with update_conflicts sets no primary keys on SQLite: read them back.
    saved = AccountSnapshot.objects.filter(account_id__in=existing, date=day)
    return {snapshot.account_id: snapshot for snapshot in saved}


def _annual_revenue_from_history(ttm: dict[int, Decimal | None]) -> None:
    with_history = {pk: value for pk, value in ttm.items() if value is not None}
    if not with_history:
        return
    changed = [
        account
        for account in Account.objects.filter(pk__in=with_history)
        if account.annual_revenue != with_history[account.pk]
    ]
    for account in changed:
        account.annual_revenue = with_history[account.pk]
    history.bulk_update(Account, changed, ["annual_revenue"])


def account_snapshot_refresh(*, account_id: int, on: date | None = None) -> AccountSnapshot | None:
    """Recompute the day's snapshot of one account. Idempotent: it overwrites the row
    for (account, day). None if the account no longer exists."""
    return account_snapshots_refresh(account_ids=[account_id], on=on).get(account_id)
