"""The pipeline pages: the portfolio across the user's accounts and the account's
Opportunities tab, as a list or a board by stage; filters, the summary, moving a card;
permissions and query counts."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import AccountFactory, OpportunityFactory, StageFactory, TeamMemberFactory
from opportunities.models import Opportunity, StageChange

from .helpers import text

pytestmark = pytest.mark.django_db

PORTFOLIO = "/opportunities/"


def tab(account):
    return reverse("opportunities:account", args=[account.pk])


def test_the_account_tab_lists_its_open_pipeline_with_a_summary(client_for, owner, account):
    OpportunityFactory(account=account, by=owner, name="Service contract", value=Decimal("250000"))
    OpportunityFactory(
        account=account, by=owner, name="Audit", stage_name="Propose", value=Decimal("40000"), yes=6
    )
    OpportunityFactory(
        account=account, by=owner, name="Old deal", stage_name="Won", value=Decimal("90000")
    )
    page = text(client_for(owner).get(tab(account)))
    assert "Service contract Prospect €250,000 10% €25,000" in page
    assert "Audit Propose €40,000 60% €24,000" in page
    assert "Old deal" not in page  # open ones by default
    # Open pipeline 290,000 in 2; weighted 25,000 + 24,000 = 49,000; one qualified (75).
    assert "2 opportunities" in page
    assert "Open pipeline €290,000 in 2 Weighted €49,000" in page
    assert "1 qualified 0 need work 1 unqualified" in page
    everything = text(client_for(owner).get(tab(account), {"status": ""}))
    assert "Old deal" in everything and "Won €90,000" in everything


def test_the_portfolio_puts_the_best_return_on_effort_first(client_for, owner, account):
    for name, hours in (("Low", 1000), ("High", 10), ("Unknown", None)):
        OpportunityFactory(
            account=account, by=owner, name=name, gross_margin_pct=Decimal("30"), effort_hours=hours
        )
    page = client_for(owner).get(PORTFOLIO).context["page"]
    assert [o.name for o in page] == ["High", "Low", "Unknown"]
    by_close = client_for(owner).get(PORTFOLIO, {"sort": "-value"}).context["page"]
    # Equal values: the newest first (the id breaks ties, so pages stay stable).
    assert [o.name for o in by_close] == ["Unknown", "High", "Low"]


def test_the_filters_narrow_the_list(client_for, owner, teammate, account):
    other = AccountFactory(name="Borealis Foods", owner=owner)
    OpportunityFactory(account=account, by=owner, name="Qualified one", yes=6)
    OpportunityFactory(account=account, by=owner, name="Half way", yes=4)  # 50: needs work
    OpportunityFactory(account=other, by=owner, name="Borealis pilot", owner=owner)
    mine = OpportunityFactory(account=account, by=owner, name="Teammate's", owner=teammate)
    stalled = OpportunityFactory(account=account, by=owner, name="Forgotten", stage_name="Propose")
    Opportunity.objects.filter(pk=stalled.pk).update(
        stage_changed_at=timezone.now() - timedelta(days=31)
    )
    client = client_for(owner)

    def names(**params):
        return sorted(o.name for o in client.get(PORTFOLIO, params).context["page"])

    assert names(verdict="qualified") == ["Qualified one"]
    assert names(verdict="needs_work") == ["Half way"]
    assert names(q="borealis") == ["Borealis pilot"]  # the account's name matches too
    assert names(owner=teammate.pk) == [mine.name]
    assert names(stalled="true") == ["Forgotten"]
    assert names(stage=StageFactory(name="Propose").pk) == ["Forgotten"]
    assert names(account=other.pk) == ["Borealis pilot"]


def test_a_bad_filter_says_so_and_never_fails(client_for, owner, account):
    OpportunityFactory(account=account, by=owner, name="Service contract")
    for params in ({"stage": "abc"}, {"verdict": "great"}, {"owner": "9" * 30}, {"page": "x"}):
        response = client_for(owner).get(PORTFOLIO, params)
        assert response.status_code == 200, params
    response = client_for(owner).get(PORTFOLIO, {"verdict": "great"})
    assert "Verdict: Select a valid choice" in text(response)


def test_the_board_has_a_column_per_open_stage_with_counts_and_totals(client_for, owner, account):
    OpportunityFactory(account=account, by=owner, name="A", value=Decimal("100000"))
    OpportunityFactory(account=account, by=owner, name="B", value=Decimal("50000"))
    OpportunityFactory(
        account=account, by=owner, name="C", stage_name="Negotiate", value=Decimal("200000")
    )
    OpportunityFactory(account=account, by=owner, name="Won it", stage_name="Won")
    response = client_for(owner).get(PORTFOLIO, {"view": "board"})
    columns = {c.stage.name: c for c in response.context["columns"]}
    assert list(columns) == ["Prospect", "Qualify", "Develop", "Propose", "Negotiate"]
    assert (columns["Prospect"].count, columns["Prospect"].value) == (2, Decimal("150000"))
    # 100,000·10 % + 50,000·10 % = 15,000; 200,000·80 % = 160,000
    assert columns["Prospect"].weighted == Decimal("15000")
    assert columns["Negotiate"].weighted == Decimal("160000")
    page = text(response)
    assert "Prospect 2 €150k · weighted €15k" in page
    assert "Qualify 0 €0 · weighted €0 None in this stage" in page
    everything = client_for(owner).get(PORTFOLIO, {"view": "board", "status": ""})
    assert [c.stage.name for c in everything.context["columns"]][-2:] == ["Won", "Lost"]


def test_a_board_column_shows_its_first_cards_and_links_to_the_rest(client_for, owner, account):
    for i in range(23):
        OpportunityFactory(account=account, by=owner, name=f"Deal {i:02}", value=Decimal(1000 + i))
    response = client_for(owner).get(PORTFOLIO, {"view": "board", "sort": "-value"})
    prospect = response.context["columns"][0]
    assert prospect.count == 23 and len(prospect.cards) == 20 and prospect.more == 3
    assert [c.name for c in prospect.cards[:2]] == ["Deal 22", "Deal 21"]
    assert "3 more in the list" in text(response)


def test_an_htmx_filter_change_returns_only_the_results(client_for, owner, account):
    OpportunityFactory(account=account, by=owner, name="Service contract")
    response = client_for(owner).get(
        tab(account), {"q": "serv"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="pipeline-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="pipeline-results"')
    assert "Service contract" in html and '<nav class="tabs"' not in html
    assert "HX-Target" in response["Vary"]


def test_moving_a_card_records_the_stage_and_refreshes_the_board(client_for, owner, account):
    opportunity = OpportunityFactory(account=account, by=owner, name="Service contract")
    url = reverse("opportunities:stage", args=[opportunity.pk])
    response = client_for(owner).post(
        url, {"stage": StageFactory(name="Propose").pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    event = json.loads(response["HX-Trigger"])["pipeline-changed"]
    assert event["message"] == "“Service contract” moved to Propose."
    opportunity.refresh_from_db()
    assert (opportunity.stage.name, opportunity.probability) == ("Propose", 60)
    assert StageChange.objects.filter(opportunity=opportunity).count() == 2


def test_a_refused_move_is_said_and_moves_nothing(client_for, owner, account):
    opportunity = OpportunityFactory(account=account, by=owner, name="Service contract")
    url = reverse("opportunities:stage", args=[opportunity.pk])
    response = client_for(owner).post(url, {"stage": "999999"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "no longer exists" in json.loads(response["HX-Trigger"])["strata-flash"]["error"]
    plain = client_for(owner).post(url, {"stage": StageFactory(name="Qualify").pk})
    assert plain["Location"] == reverse("opportunities:detail", args=[opportunity.pk])
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Qualify"


@pytest.mark.parametrize("role", ["executive", "manager"])
def test_read_only_roles_see_the_board_but_cannot_move(request, client_for, role, owner, account):
    opportunity = OpportunityFactory(account=account, by=owner, name="Service contract")
    client = client_for(request.getfixturevalue(role))
    board = client.get(tab(account), {"view": "board"})
    assert "Service contract" in text(board) and 'class="move-form"' not in board.content.decode()
    url = reverse("opportunities:stage", args=[opportunity.pk])
    assert client.post(url, {"stage": StageFactory(name="Won").pk}).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "Prospect"


def test_the_board_lets_the_team_move_only_its_own_accounts(client_for, owner, account):
    """A manager on one account's team sees a report's account too, but moves only the
    cards of the account they are on."""
    OpportunityFactory(account=account, by=owner, name="Owner's deal")
    manager_account = AccountFactory(name="Managed Co")
    manager = owner.manager
    TeamMemberFactory(account=manager_account, user=manager)
    OpportunityFactory(account=manager_account, by=manager, name="Manager's deal")
    response = client_for(manager).get(PORTFOLIO, {"view": "board"})
    assert response.context["editable"] == {manager_account.pk}
    assert response.content.decode().count('class="move-form"') == 1


def test_outsiders_see_nothing_of_the_pipeline(client_for, outsider, owner, account):
    opportunity = OpportunityFactory(account=account, by=owner, name="Service contract")
    client = client_for(outsider)
    assert client.get(tab(account)).status_code == 404
    assert client.get(tab(account), {"view": "board"}).status_code == 404
    url = reverse("opportunities:stage", args=[opportunity.pk])
    assert client.post(url, {"stage": StageFactory(name="Won").pk}).status_code == 404
    for params in ({}, {"view": "board"}, {"q": "Service"}, {"account": account.pk}):
        assert "Service contract" not in text(client.get(PORTFOLIO, params)), params
    # The owner filter offers only owners of what the outsider may see.
    assert owner not in client.get(PORTFOLIO).context["owners"]


@pytest.mark.parametrize("view", ["list", "board"])
@pytest.mark.parametrize("where", ["portfolio", "tab"])
def test_the_pipeline_queries_do_not_grow_with_rows(client_for, owner, account, view, where):
    client = client_for(owner)
    url = PORTFOLIO if where == "portfolio" else tab(account)

    def count(n):
        other = AccountFactory(owner=owner)
        for i in range(n):
            OpportunityFactory(
                account=account,
                by=owner,
                name=f"O{n}-{i}",
                stage_name=["Prospect", "Propose"][i % 2],
            )
            OpportunityFactory(account=other, by=owner, name=f"P{n}-{i}", yes=i % 8)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"view": view}).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(15)


def test_the_cards_links_built_from_a_prefix_are_the_real_urls(owner, account):
    from opportunities.selectors import mark_rows

    (row,) = mark_rows(
        Opportunity.objects.filter(pk=OpportunityFactory(account=account, by=owner, name="X").pk)
    )
    assert row.url == reverse("opportunities:detail", args=[row.pk])
    assert f"{row.url}stage/" == reverse("opportunities:stage", args=[row.pk])
    assert (row.verdict, row.verdict_label) == ("unqualified", "Unqualified")
