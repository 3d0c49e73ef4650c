"""The demo's history (`seed_demo`), synthetic since nothing happened before the first
run: six monthly snapshots of each account walking back from today's RPI, then health
on those rows and the portfolio for those days, walking back from today's health.
Seeded, and written only where it is missing, so a second run adds nothing."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot
from demo.factories import AccountSnapshotFactory
from insights.dashboards import portfolio_snapshot_refresh
from insights.snapshots import account_snapshots_refresh
from scorecards import formulas
from scorecards.models import PortfolioSnapshot

from .book import SEED

HEALTH_SEED = 707


def rpi_history_ensure(*, account_ids: list[int], today: date) -> None:
    """Monthly snapshots for the past six months, so the RPI trend has a story.

    Synthetic (relationships have no history to recompute from): from today's RPI,
    a seeded walk back in time, mostly a climb to where the account is now. Written
    only where an account has no earlier snapshot, so a second run adds nothing.
    """
    with_history = set(
        AccountSnapshot.objects.filter(account_id__in=account_ids, date__lt=today)
        .values_list("account_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    rows = []
    for snap in AccountSnapshot.objects.filter(account_id__in=account_ids, date=today):
        if snap.account_id in with_history or snap.rpi is None:
            continue
        rng = random.Random(SEED * 7919 + snap.account_id)
        value = float(snap.rpi)
        for months_back in range(1, 7):
            value = min(max(value - rng.uniform(-3, 7), 0), 100)
            rows.append(
                AccountSnapshotFactory.build(
                    account_id=snap.account_id,
                    date=today - timedelta(days=30 * months_back),
                    contact_count=snap.contact_count,
                    relationship_count=snap.relationship_count,
                    business_unit_count=snap.business_unit_count,
                    team_size=snap.team_size,
                    rpi=Decimal(str(round(value, 1))),
                    computed_at=now,
                )
            )
    AccountSnapshot.objects.bulk_create(rows)


def health_history_ensure(*, accounts: list[Account]) -> None:
    """Today's figures, then health on the earlier (synthetic) snapshot rows and the
    portfolio for those days: a seeded walk back from today's health. Only where the
    earlier rows have no health yet."""
    ids = [a.pk for a in accounts]
    today = timezone.localdate()
    if not AccountSnapshot.objects.filter(
        account_id__in=ids, date__lt=today, health__isnull=True
    ).exists():
        return  # done before: a second run changes nothing
    account_snapshots_refresh(account_ids=ids)
    current = {
        s.account_id: s.health
        for s in AccountSnapshot.objects.filter(account_id__in=ids, date=today)
    }
    past = list(
        AccountSnapshot.objects.filter(
            account_id__in=ids, date__lt=today, health__isnull=True
        ).order_by("account_id", "-date")
    )
    walked = {}
    for snapshot in past:
        rng = random.Random(HEALTH_SEED * 31 + snapshot.account_id * 7 + snapshot.date.toordinal())
        value = walked.get(snapshot.account_id, current.get(snapshot.account_id))
        if value is None:
            continue
        value = Decimal(str(round(min(max(float(value) - rng.uniform(-6, 6), 0), 100), 1)))
        walked[snapshot.account_id] = value
        snapshot.health, snapshot.health_band = value, formulas.band(value)
    AccountSnapshot.objects.bulk_update(past, ["health", "health_band"])
    portfolio_snapshot_refresh()
    days = sorted({s.date for s in past})
    for day in days:
        tiers = []
        for tier in PortfolioSnapshot.objects.get(date=today).data["tiers"]:
            mean = AccountSnapshot.objects.filter(
                account_id__in=ids, date=day, account__tier_assignment__tier_id=tier["id"]
            ).aggregate(mean=Avg("health"))["mean"]
            tiers.append(tier | {"health_mean": None if mean is None else round(float(mean), 1)})
        PortfolioSnapshot.objects.update_or_create(
            date=day,
            defaults={
                "data": {"tiers": tiers},
                "computed_at": timezone.now() - timedelta(days=(today - day).days),
            },
        )
