"""The demo's past snapshots (`seed_demo`): six monthly snapshots of each account whose
counts and RPI come from the history the writers dated (`demo.seed.timeline`), then
health on those rows and the portfolio for those days, a synthetic walk back from
today's health (health has no history of its own to recompute from). Seeded, and
written only where it is missing, so a second run adds nothing."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot
from accounts_app.rpi import present, state_penetration
from accounts_app.rpi_history import account_timelines, day_end
from demo.factories import AccountSnapshotFactory
from insights.dashboards import portfolio_snapshot_refresh
from insights.snapshots import account_snapshots_refresh
from scorecards import formulas
from scorecards.models import PortfolioSnapshot

HEALTH_SEED = 707


def past_snapshots_ensure(*, account_ids: list[int], today: date) -> None:
    """Monthly snapshots for the past six months, their counts and RPI computed from the
    history as of each day (accounts_app.rpi_history, the rule of the RPI now), so the
    dashboards that read snapshots agree with the trend. Written only where an account
    has no earlier snapshot, so a second run adds nothing."""
    with_history = set(
        AccountSnapshot.objects.filter(account_id__in=account_ids, date__lt=today)
        .values_list("account_id", flat=True)
        .distinct()
    )
    missing = [pk for pk in account_ids if pk not in with_history]
    days = [today - timedelta(days=30 * months_back) for months_back in range(6, 0, -1)]
    now = timezone.now()
    rows = []
    for account_id, timeline in account_timelines(missing).items():
        for day, state in zip(days, timeline.states([day_end(d) for d in days]), strict=True):
            result, there = state_penetration(state), present(state)
            rows.append(
                AccountSnapshotFactory.build(
                    account_id=account_id,
                    date=day,
                    contact_count=len(there.contacts),
                    relationship_count=sum(1 for r in there.relationships if r.strength > 0),
                    business_unit_count=len(there.units),
                    team_size=len(state.team),
                    rpi=result.rpi,
                    rpi_high=result.percent("high"),
                    rpi_wide=result.percent("wide"),
                    rpi_deep=result.percent("deep"),
                    gap_count=len(result.gaps),
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
