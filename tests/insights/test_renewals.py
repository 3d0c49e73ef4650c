"""Renewals ahead (issue 20): the contracts ending in the next 90 days on the home pages
(each role its own accounts; where each renewal stands; the value at stake and what is
not yet secured) and the value at stake by tier on the dashboards and, stored with the
portfolio's figures, on the portfolio and the executives' home — worked by hand, never
anybody else's, queries constant."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.factories import AccountFactory, TierAssignmentFactory
from insights.dashboards import dashboard_accounts, portfolio_snapshot_refresh
from insights.home import my_accounts
from insights.renewals import renewals_ahead, renewals_by_tier
from opportunities import contracts
from opportunities.models import Contract, Opportunity, Stage
from segmentation.models import Tier
from tests.pages import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_tiers")]


def contract(account, by, name, value, ends_in, **fields):
    today = timezone.localdate()
    end = today + timedelta(days=ends_in)
    return contracts.contract_create(
        account=account,
        by=by,
        name=name,
        annual_value=D(value),
        start_date=end - timedelta(days=730),
        end_date=end,
        notice_days=fields.pop("notice_days", 60),
        **fields,
    )


def opened(item: Contract) -> Opportunity:
    """Open the renewal now (as the job would at the lead time)."""
    contracts.renewal_open_if_due(contract_id=item.pk, today=item.end_date - timedelta(days=1))
    item.refresh_from_db()
    return item.renewal_opportunity


@pytest.fixture
def book(settings, owner, account, outsider):
    """Tier I: Acme (the owner's). Tier II: Beta (the owner's). The outsider's own
    account, untiered. With a 45-day lead, renewals within 45 days open at once.

    In the next 90 days, the owner's: Acme's service (100,000, in 30 days, renewal
    qualified: secured), Acme's parts (50,000, in 80 days, renewal open, unqualified),
    Beta's support (20,000, in 60 days, renewal not opened), Beta's licences (30,000,
    in 20 days, renewal lost). Left out: Acme's in 100 days, Acme's that ended
    yesterday, Beta's renewed one, an archived account's. The outsider's own: 40,000 in
    15 days (its renewal opened, unqualified)."""
    settings.STRATA_RENEWAL_LEAD_DAYS = 45
    tier_1, tier_2 = Tier.objects.get(name="Tier I"), Tier.objects.get(name="Tier II")
    TierAssignmentFactory(account=account, tier=tier_1)
    beta = AccountFactory(name="Beta Foods", owner=owner)
    TierAssignmentFactory(account=beta, tier=tier_2)
    service = contract(account, owner, "Service", 100_000, 30)
    Opportunity.objects.filter(pk=service.renewal_opportunity_id).update(  # untracked: a test's
        qualification_score=D(80)
    )
    parts = contract(account, owner, "Parts", 50_000, 80)
    opened(parts)
    contract(beta, owner, "Support", 20_000, 60)
    licences = contract(beta, owner, "Licences", 30_000, 20)
    lost = Stage.objects.filter(outcome=Stage.Outcome.LOST).first()
    Opportunity.objects.filter(pk=licences.renewal_opportunity_id).update(  # untracked: a test's
        stage=lost, loss_reason="Moved to a rival.", no_decision=True
    )
    contract(account, owner, "Later", 70_000, 100)
    old = contract(account, owner, "Old", 9_000, 5)
    Contract.objects.filter(pk=old.pk).update(  # untracked: a test's
        end_date=timezone.localdate() - timedelta(days=1)
    )
    contract(beta, owner, "Renewed", 11_000, 10, status=Contract.Status.RENEWED)
    gone = AccountFactory(name="Gone Ltd", owner=owner)
    contract(gone, owner, "Gone", 13_000, 10)
    gone.archived = True
    gone.save()
    theirs = outsider.owned_accounts.get()
    contract(theirs, outsider, "Theirs", 40_000, 15)
    return {"beta": beta}


def test_the_renewals_ahead_of_a_team_member(owner, book):
    today = timezone.localdate()
    ahead = renewals_ahead(accounts=my_accounts(user=owner), today=today)
    assert ahead.total == 4
    assert ahead.value == D(200_000)  # 100,000 + 50,000 + 20,000 + 30,000
    assert ahead.unsecured_value == D(100_000)  # all but the qualified 100,000
    assert [(r.contract.name, r.days_left, r.state) for r in ahead.items] == [
        ("Licences", 20, "lost"),
        ("Service", 30, "qualified"),
        ("Support", 60, "not_open"),
        ("Parts", 80, "unqualified"),
    ]
    support = ahead.items[2]
    assert (support.notice_days_left, support.notice_passed) == (0, False)  # 60 − 60
    assert ahead.items[0].notice_passed  # 20 days left, 60 days' notice


def test_the_value_at_stake_by_tier(owner, executive, book):
    today = timezone.localdate()
    tiers, total = renewals_by_tier(accounts=dashboard_accounts(user=owner), today=today)
    assert [(t.name, t.contracts, t.value, t.unsecured_value, t.unsecured) for t in tiers] == [
        ("Tier I", 2, D(150_000), D(50_000), 1),
        ("Tier II", 2, D(50_000), D(50_000), 2),
    ]
    assert (total.contracts, total.value, total.unsecured_value) == (4, D(200_000), D(100_000))
    # The executive sees every account: the outsider's untiered 40,000 (opened within the
    # 45 days, not qualified) comes last.
    tiers, total = renewals_by_tier(accounts=dashboard_accounts(user=executive), today=today)
    assert [(t.name, t.value, t.unsecured_value) for t in tiers][-1] == (
        "Not yet tiered",
        D(40_000),
        D(40_000),
    )
    assert (total.contracts, total.value, total.unsecured_value) == (5, D(240_000), D(140_000))


def test_the_home_pages_show_each_role_its_renewals(client_for, owner, outsider, executive, book):
    shown = text(client_for(owner).get("/"))
    assert "Renewals in the next 90 days 4" in shown
    assert "€200,000 a year up for renewal, €100,000 not yet secured" in shown
    assert "Beta Foods — Licences €30,000 a year" in shown
    assert "renewal lost" in shown and "renewal not opened" in shown
    assert "Theirs" not in shown and "Gone" not in shown and "Later" not in shown

    theirs = text(client_for(outsider).get("/"))
    assert "Own Account — Theirs" in theirs and "Licences" not in theirs

    portfolio_snapshot_refresh()  # the whole portfolio's, with its other figures
    top = text(client_for(executive).get("/"))
    assert "Renewals in the next 90 days 5" in top
    assert "Tier I 2 €150,000 €50,000 (1)" in top
    assert "All tiers 5 €240,000 €140,000 (4)" in top


def test_the_dashboards_show_the_value_at_stake_by_tier(
    client_for, manager, executive, owner, book
):
    team = text(client_for(manager).get("/dashboards/"))
    assert "Renewals in the next 90 days" in team
    assert "Tier II 2 €50,000 €50,000 (2)" in team
    assert "Not yet tiered" not in team  # the outsider's is not the manager's
    only_tier_1 = Tier.objects.get(name="Tier I").pk
    filtered = text(client_for(manager).get(f"/dashboards/?tier={only_tier_1}"))
    assert "Tier I 2 €150,000 €50,000 (1)" in filtered and "Tier II 2" not in filtered
    portfolio_snapshot_refresh()
    portfolio = text(client_for(executive).get("/dashboards/portfolio/"))
    assert "Renewals in the next 90 days" in portfolio
    assert "All tiers 5 €240,000 €140,000 (4)" in portfolio


def test_nothing_ahead_says_so(client_for, owner, executive, account):
    assert "No contract ends in the next 90 days." in text(client_for(owner).get("/"))
    portfolio_snapshot_refresh()
    assert "No contract ends in the next 90 days." in text(client_for(executive).get("/"))


@pytest.mark.parametrize("role", ["owner", "executive"])
def test_home_queries_do_not_grow_with_the_renewals(request, client_for, role, owner, book):
    client = client_for(request.getfixturevalue(role))
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    beta = book["beta"]
    for n in range(12):
        contract(beta, owner, f"More {n}", 1_000 + n, 10 + n)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
