"""The dashboards, read from snapshots: the account's Health tab, the dashboard of the
accounts a user sees (bands, pipeline, plans, movers; filters), and the executive's
portfolio by tier from the dashboard job; permissions and query counts."""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import AccountSnapshot, TeamMember
from demo.factories import (
    AccountFactory,
    AlertFactory,
    TeamMemberFactory,
    TierAssignmentFactory,
    TierFactory,
)
from insights.dashboards import portfolio_snapshot_refresh
from insights.snapshots import account_snapshots_refresh
from scorecards.models import AlertRule, PortfolioSnapshot
from segmentation import services as segmentation
from segmentation.models import Tier

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboards/"
PORTFOLIO = "/dashboards/portfolio/"


def text(response):
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def set_health(account, health, *, days_ago=0, **fields):
    """A snapshot with the given health (and band), `days_ago` days back."""
    from scorecards import formulas

    day = timezone.localdate() - timedelta(days=days_ago)
    account_snapshots_refresh(account_ids=[account.pk], on=day)
    AccountSnapshot.objects.filter(account=account, date=day).update(
        health=None if health is None else D(health),
        health_band=formulas.band(None if health is None else D(health)) or "",
        **fields,
    )


@pytest.fixture
def team(account, owner, manager):
    """The manager's team: `account` (owner reports to the manager) and a second one."""
    second = AccountFactory(name="Borealis Foods", owner=owner)
    set_health(second, "60.0", days_ago=40)
    set_health(account, "80.0", days_ago=40)
    # Today's, with the moves the snapshot job works out from those (82 − 80, 35 − 60).
    set_health(
        account,
        "82.0",
        pipeline_open_value=D(100000),
        opportunities_qualified=2,
        health_change_30d=D("2.0"),
    )
    set_health(
        second,
        "35.0",
        tactics_overdue=3,
        pipeline_open_value=D(50000),
        health_change_30d=D("-25.0"),
    )
    return account, second


def test_the_health_tab_shows_the_score_and_its_components(client_for, owner, account):
    account_snapshots_refresh(account_ids=[account.pk])
    page = text(client_for(owner).get(reverse("insights:health", args=[account.pk])))
    # No contacts: RPI 0 is the only measured component, with all the weight.
    assert "Account health 0.0 / 100 Red" in page
    assert "Relationship penetration RPI of the account" in page
    assert "relationships 0.0 100% 0.0 Scorecard" in page
    assert "Scorecard score of the latest scored period — — not measured" in page


def test_the_health_tab_before_any_snapshot(client_for, owner, account):
    page = text(client_for(owner).get(reverse("insights:health", args=[account.pk])))
    assert "Not computed yet" in page


def test_the_managers_dashboard_sums_up_the_team(client_for, manager, team, outsider):
    page = text(client_for(manager).get(DASHBOARD))
    assert "The accounts of your team" in page
    # Two accounts: health 82 and 35 → mean 58.5; one green, one red; overdue 3.
    assert "2 accounts 58.5 mean health" in page
    assert "1 green, 0 amber, 1 red." in page
    assert "Open pipeline €150,000" in page
    assert "Outsider's Own Account" not in page
    # Worst health first; Borealis moved 60 → 35 (−25.0), Acme 80 → 82 (+2.0).
    rows = re.findall(r"(Acme Industrial|Borealis Foods) \S+ \S+ \S+ (\d+\.\d)", page)
    assert [name for name, _ in rows][:2] == ["Borealis Foods", "Acme Industrial"]
    assert "Borealis Foods ▼ -25.0 now 35.0" in page and "Acme Industrial ▲ +2.0 now 82.0" in page


def test_the_dashboard_filters_by_tier_and_owner(client_for, manager, teammate, team):
    account, second = team
    tier = Tier.objects.order_by("rank").first() or TierFactory(name="Key", rank=1)
    TierAssignmentFactory(account=account, tier=tier)
    assert "1 accounts 82.0" in text(client_for(manager).get(DASHBOARD, {"tier": tier.pk}))
    second.owner = teammate
    second.save()
    page = text(client_for(manager).get(DASHBOARD, {"owner": teammate.pk}))
    assert "Borealis Foods" in page and "Acme Industrial" not in page.split("Accounts Account")[-1]
    assert client_for(manager).get(DASHBOARD, {"tier": "x", "sort": "zzz"}).status_code == 200


def test_a_team_member_sees_only_their_accounts(client_for, teammate, team, outsider):
    page = text(client_for(teammate).get(DASHBOARD))
    assert "Your accounts" in page and "Acme Industrial" in page
    assert "Borealis Foods" not in page  # teammate is not on its team
    assert client_for(teammate).get(PORTFOLIO).status_code == 404


def test_the_dashboard_queries_do_not_grow_with_accounts(client_for, owner, manager):
    client = client_for(manager)

    def count(n):
        for _ in range(n):
            account = AccountFactory(owner=owner)
            set_health(account, "50.0")
            set_health(account, "40.0", days_ago=35)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(DASHBOARD).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(30)


@pytest.fixture
def portfolio(account, owner, outsider, team):
    segmentation.ensure_default_model()
    tier_one = Tier.objects.order_by("rank").first()
    tier_one.required_team_roles = [TeamMember.Role.EXECUTIVE_SPONSOR]
    tier_one.plan_required = False
    tier_one.save()
    account.refresh_from_db()
    TierAssignmentFactory(account=account, tier=tier_one)
    TierAssignmentFactory(account=team[1], tier=tier_one)
    sponsor = TeamMemberFactory(account=account, role=TeamMember.Role.EXECUTIVE_SPONSOR)
    assert sponsor
    return portfolio_snapshot_refresh()


def test_the_portfolio_job_aggregates_by_tier(portfolio, account):
    tiers = {t["name"]: t for t in portfolio.data["tiers"]}
    first = tiers[Tier.objects.order_by("rank").first().name]
    # Acme (82, green, with a sponsor) and Borealis (35, red, without): mean 58.5.
    assert (first["accounts"], first["bands"]) == (2, {"green": 1, "amber": 0, "red": 1, "none": 0})
    assert first["health_mean"] == 58.5
    assert (first["requirements"], first["meeting_requirements"]) == (True, 1)
    assert tiers["Not yet tiered"]["accounts"] == 1  # the outsider's own account
    assert portfolio.data["total"]["accounts"] == 3
    again = portfolio_snapshot_refresh()
    assert again.pk == portfolio.pk and PortfolioSnapshot.objects.count() == 1


@pytest.mark.parametrize("role", ["executive", "admin_user"])
def test_executives_and_admins_open_the_portfolio(request, client_for, role, portfolio):
    page = text(client_for(request.getfixturevalue(role)).get(PORTFOLIO))
    assert "Portfolio" in page and "3 accounts" in page
    assert "1 of 2 (50%)" in page  # Tier I meeting its servicing model


@pytest.mark.parametrize("role", ["manager", "owner", "outsider"])
def test_others_get_404_on_the_portfolio(request, client_for, role, portfolio):
    assert client_for(request.getfixturevalue(role)).get(PORTFOLIO).status_code == 404


def test_the_portfolio_reads_only_the_precomputed_rows(client_for, executive, portfolio):
    client = client_for(executive)
    with CaptureQueriesContext(connection) as first:
        client.get(PORTFOLIO)
    for n in range(20):
        AccountFactory(name=f"More {n}")
    portfolio_snapshot_refresh()
    with CaptureQueriesContext(connection) as second:
        client.get(PORTFOLIO)
    assert len(first.captured_queries) == len(second.captured_queries)
    assert not any("accounts_app_account" in q["sql"] for q in second.captured_queries[2:])


def test_outsiders_get_404_on_the_health_tab(client_for, outsider, account):
    url = reverse("insights:health", args=[account.pk])
    assert client_for(outsider).get(url).status_code == 404


def test_the_dashboard_counts_live_alerts_and_lists_the_open_ones_worst_first(
    client_for, manager, team, outsider
):
    account, second = team
    now = timezone.now()
    rule = AlertRule.objects.get(kind="detractor_decision_maker")

    def alert(on, key, severity, status, hours_ago):
        return AlertFactory(
            rule=rule,
            account=on,
            subject_key=key,
            subject_label=f"Subject {key}",
            description="…",
            severity=severity,
            status=status,
            raised_at=now - timedelta(hours=hours_ago),
            evaluated_at=now,
        )

    alert(account, "a", "low", "open", 1)
    alert(account, "b", "high", "open", 5)
    alert(second, "c", "medium", "open", 2)
    alert(second, "d", "high", "acknowledged", 0)  # live, counted, not listed
    alert(account, "e", "high", "resolved", 0)  # closed: neither
    alert(AccountFactory(owner=outsider), "f", "high", "open", 0)  # not the team's
    page = text(client_for(manager).get(DASHBOARD))
    assert "3 open, 1 acknowledged · 2 high" in page
    listed = re.findall(r"Subject (\w)", page)
    assert listed == ["b", "c", "a"]  # high, medium, low


def test_the_dashboard_without_alerts(client_for, manager, team):
    page = text(client_for(manager).get(DASHBOARD))
    assert "No live alerts on these accounts." in page and "0 open" not in page


def test_the_portfolio_tiles_are_compact_amounts_and_its_table_whole(
    client_for, executive, portfolio
):
    page = text(client_for(executive).get(PORTFOLIO))
    # Three accounts of €1,000,000 each; open pipeline €100,000 + €50,000.
    assert "€3.0M revenue, last 12 months" in page
    assert "€150k open pipeline" in page
    assert "€2,000,000" in page and "€150,000" in page  # Tier I's row


def test_the_health_tab_shows_the_pipeline_as_a_compact_tile(client_for, owner, team):
    account = team[0]
    health = text(client_for(owner).get(reverse("insights:health", args=[account.pk])))
    assert "€100k Open pipeline" in health


def test_the_health_moved_most_is_worked_out_by_the_snapshot_job(client_for, manager, team):
    """A snapshot keeps its health less that of the newest snapshot at least 30 days
    before it; the dashboard lists the biggest moves from there, either way."""
    account, second = team
    set_health(account, "40.0", days_ago=31)  # newer than the one 40 days back
    account_snapshots_refresh(account_ids=[account.pk, second.pk])
    now = {s.account_id: s for s in AccountSnapshot.objects.filter(date=timezone.localdate())}
    assert now[account.pk].health_change_30d == now[account.pk].health - D("40.0")
    assert now[second.pk].health_change_30d == now[second.pk].health - D("60.0")
    shown = text(client_for(manager).get(reverse("dashboards")))
    moved = shown.split("Moved most in 30 days")[1]
    change = now[account.pk].health_change_30d
    sign = "▲ +" if change > 0 else "▼ "
    assert f"Acme Industrial {sign}{change:.1f}" in moved
