"""seed_bench's retention phase (issue 20): contracts, 36 months of revenue consistent with
each account's stored annual revenue, and risk registers; written once, with their
history, the same whichever way they were produced; skipped on request."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot, RevenueEntry
from accounts_app.revenue import month_start, windows
from demo.bench.accounts import ACCOUNT_PREFIX
from demo.bench.retention import CONTRACT_PREFIX, REVENUE_MONTHS
from insights.retention import retention_by_tier
from opportunities import contracts as contract_services
from opportunities.models import Contract, Opportunity
from plans.models import Risk

from .helpers import run, team_pairs, validate_all

pytestmark = pytest.mark.django_db

SMALL = {"opportunities_per_account": 0, "scorecard_months": 0}


def bench_accounts():
    return Account.objects.filter(name__startswith=ACCOUNT_PREFIX)


def retention_rows() -> tuple[list, list, list]:
    accounts = bench_accounts()
    return (
        sorted(
            Contract.objects.filter(account__in=accounts).values_list(
                "account__name", *Contract.INPUT_FIELDS
            )
        ),
        sorted(
            RevenueEntry.objects.filter(account__in=accounts).values_list(
                "account__name", "month", "amount"
            )
        ),
        sorted(
            Risk.objects.filter(account__in=accounts).values_list(
                "account__name",
                "title",
                "likelihood",
                "impact",
                "owner__username",
                "status",
                "due_date",
            ),
            key=str,
        ),
    )


def test_seed_bench_writes_contracts_revenue_and_risks(demo):
    output = run("seed_bench", accounts=60, **SMALL)
    assert "revenue months" in output and "contracts" in output
    accounts = bench_accounts()
    today = timezone.localdate()

    # 36 whole months each, up to last month; the last twelve add up to the stored
    # annual revenue, which today's snapshot (recomputed) took from them unchanged.
    entries = RevenueEntry.objects.filter(account__in=accounts)
    assert entries.count() == 60 * REVENUE_MONTHS
    months = {month_start(today, back) for back in range(1, REVENUE_MONTHS + 1)}
    assert set(entries.values_list("month", flat=True)) == months
    w = windows(today)
    later = defaultdict(Decimal)
    for account_id, month, amount in entries.values_list("account_id", "month", "amount"):
        assert amount >= 0
        if month >= w.later_from:
            later[account_id] += amount
    for account in accounts:
        assert later[account.pk] == account.annual_revenue
    snapshots = AccountSnapshot.objects.filter(account__in=accounts, date=today)
    assert snapshots.count() == 60
    assert not snapshots.exclude(revenue_ttm=F("account__annual_revenue"))
    assert snapshots.filter(revenue_yoy_pct__gt=0) and snapshots.filter(revenue_yoy_pct__lt=0)
    total = retention_by_tier(today=today)["total"]
    assert total["accounts"] > 40 and 0 < total["grr_pct"] < 100
    assert total["grr_pct"] < total["nrr_pct"]
    assert entries.filter(amount=0).exists()  # some started or stopped buying within

    # Contracts: valid, none renewed yet; the daily job opens the renewals now due.
    held = Contract.objects.filter(account__in=accounts)
    assert 40 <= held.count() <= 90
    assert not held.exclude(name__startswith=CONTRACT_PREFIX)
    validate_all(held)
    assert not held.exclude(renewal_opportunity=None)
    assert not held.filter(end_date__lt=today, status=Contract.Status.ACTIVE)
    assert held.filter(auto_renew=True) and held.filter(notice_days=0)
    lead = timedelta(days=settings.STRATA_RENEWAL_LEAD_DAYS)
    due = held.filter(status="active", end_date__gte=today, end_date__lte=today + lead)
    assert due.exists()
    assert contract_services.renewals_open(today=today) == due.count()
    renewals = Opportunity.objects.filter(renews__in=held)
    assert renewals.count() == due.count()
    assert all(o.value == o.renews.annual_value for o in renewals)

    # Risks on about a third of the accounts, owned by their team, scored as saved.
    risks = Risk.objects.filter(account__in=accounts)
    assert 5 <= risks.values("account").distinct().count() <= 35
    validate_all(risks)
    assert all(r.score == r.likelihood * r.impact for r in risks)
    on_team = team_pairs()
    assert all(
        pair in on_team for pair in risks.exclude(owner=None).values_list("account_id", "owner_id")
    )

    # Each written with its "created" history row.
    for model, rows in ((Contract, held), (RevenueEntry, entries), (Risk, risks)):
        recorded = model.history.filter(history_type="+", id__in=rows.values("pk"))
        assert recorded.count() == rows.count()
        assert not recorded.exclude(history_account_id=F("account_id"))


def test_the_phase_tops_up_resets_the_same_and_can_be_skipped(demo):
    run("seed_bench", accounts=6, no_retention=True, **SMALL)
    assert retention_rows() == ([], [], [])
    assert "already present" in run("seed_bench", accounts=6, no_retention=True, **SMALL)
    run("seed_bench", accounts=6, **SMALL)
    first = retention_rows()
    assert first[0] and len(first[1]) == 6 * REVENUE_MONTHS and first[2]
    assert "already present" in run("seed_bench", accounts=6, **SMALL)
    assert retention_rows() == first

    # An account that lost its months gets the same again; the others are left alone.
    one = bench_accounts().order_by("name").first()
    RevenueEntry.objects.filter(account=one).delete()
    Contract.objects.filter(account=one).delete()
    run("seed_bench", accounts=6, **SMALL)
    assert retention_rows() == first

    run("seed_bench", accounts=6, reset=True, **SMALL)
    assert retention_rows() == first
    run("seed_bench", accounts=1, reset=True, no_retention=True, **SMALL)
    assert retention_rows() == ([], [], [])
