"""Revenue retention by tier on the executive portfolio (issue 20): the dashboard job
computes NRR and GRR per tier from the monthly revenue history (figures worked by hand:
an account that grew, one that churned to 0, one new), the page shows them, or says how
to bring the history in."""

from datetime import date

import pytest

from accounts_app.models import RevenueEntry
from accounts_app.revenue import month_start
from demo.factories import AccountFactory, TierAssignmentFactory
from insights.dashboards import portfolio_snapshot_refresh
from insights.retention import retention_by_tier
from segmentation.models import Tier
from tests.pages import text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def revenue(account, back: int, amount):
    """`amount` booked `back` months before the current month (1 = last month)."""
    RevenueEntry.objects.create(account=account, month=month_start(TODAY, back), amount=amount)


@pytest.fixture
def history(seeded_tiers, owner):
    top, second = list(Tier.objects.order_by("rank"))[:2]
    grew, churned, new, other = (AccountFactory(owner=owner) for _ in range(4))
    for account, tier in ((grew, top), (churned, top), (new, top), (other, second)):
        TierAssignmentFactory(account=account, tier=tier)
    # Tier I: grew 120 → 150 (earlier: months 13–24 back; later: 1–12 back).
    revenue(grew, 24, 60), revenue(grew, 13, 60), revenue(grew, 12, 75), revenue(grew, 1, 75)
    # churned 80 → 0; new 0 → 40 (growth, not retention); this month is not counted.
    revenue(churned, 20, 80), revenue(new, 3, 40), revenue(grew, 0, 999)
    # Tier II: 100 → 90.
    revenue(other, 15, 100), revenue(other, 2, 90)
    return top, second


def test_nrr_and_grr_by_tier_worked_by_hand(history):
    top, second = history
    data = retention_by_tier(today=TODAY)
    assert (data["earlier_from"], data["later_from"], data["until"]) == (
        "2024-12-01",
        "2025-12-01",
        "2026-12-01",
    )
    tiers = {t["id"]: t for t in data["tiers"]}
    # Tier I: earlier 120 + 80 = 200; later 150 + 0 = 150 → NRR 75 %; kept 120 + 0 → 60 %.
    assert tiers[top.pk] | {} == {
        "id": top.pk,
        "name": top.name,
        "accounts": 2,
        "earlier": 200.0,
        "later": 150.0,
        "nrr_pct": 75.0,
        "grr_pct": 60.0,
    }
    assert (tiers[second.pk]["nrr_pct"], tiers[second.pk]["grr_pct"]) == (90.0, 90.0)
    # All: earlier 300, later 240 → 80 %; kept 120 + 0 + 90 = 210 → 70 %.
    assert (data["total"]["nrr_pct"], data["total"]["grr_pct"]) == (80.0, 70.0)


def test_the_portfolio_shows_retention_or_how_to_get_it(client_for, executive, history):
    portfolio_snapshot_refresh(day=TODAY)
    page = text(client_for(executive).get("/dashboards/portfolio/"))
    assert "Revenue retention by tier" in page
    assert "Dec 2024 – Nov 2025" in page and "Dec 2025 – Nov 2026" in page
    assert "75.0% 60.0%" in page and "80.0% 70.0%" in page
    RevenueEntry.objects.all().delete()
    portfolio_snapshot_refresh(day=TODAY)
    assert "No revenue history yet" in text(client_for(executive).get("/dashboards/portfolio/"))
