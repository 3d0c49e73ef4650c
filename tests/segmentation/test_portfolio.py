"""The segmentation portfolio page: accounts and revenue per tier, and the Pareto curve,
over the accounts the user may see."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts_app.models import Account, TeamMember
from demo.factories import AccountFactory, TierAssignmentFactory, TierFactory, UserFactory
from segmentation.models import Tier, TierAssignment

pytestmark = pytest.mark.django_db

URL = reverse("segmentation:portfolio")


def place(account, tier_name, *, pinned=False):
    return TierAssignmentFactory(account=account, tier=TierFactory(name=tier_name), pinned=pinned)


def rows(response):
    """{tier name (None for "not yet tiered"): row} from the page's context."""
    return {row.tier.name if row.tier else None: row for row in response.context["summary"].rows}


@pytest.fixture
def book(account, owner, outsider):
    """The owner's accounts: Acme (Tier I, 600), Beta (Tier I, pinned, 300), Gamma (not
    tiered, 100); the outsider's account (Tier II, 5,000) is not theirs to see."""
    Account.objects.filter(pk=account.pk).update(annual_revenue=Decimal("600"))
    place(account, "Tier I")
    beta = AccountFactory(name="Beta", owner=owner, annual_revenue=Decimal("300"))
    place(beta, "Tier I", pinned=True)
    gamma = AccountFactory(name="Gamma", owner=owner, annual_revenue=Decimal("100"))
    theirs = Account.objects.get(name="Outsider's Own Account")
    Account.objects.filter(pk=theirs.pk).update(annual_revenue=Decimal("5000"))
    place(theirs, "Tier II")
    return {"acme": account, "beta": beta, "gamma": gamma, "theirs": theirs}


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_team_member_counts_only_their_own_accounts(client_for, owner, book):
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    assert response.context["nav_active"] == "segmentation"
    summary = response.context["summary"]
    assert (summary.accounts, summary.revenue, summary.pinned) == (3, Decimal("1000"), 1)
    by_tier = rows(response)
    assert list(by_tier) == ["Tier I", "Tier II", "Tier III", None]
    first = by_tier["Tier I"]
    assert (first.accounts, first.revenue, first.pinned) == (2, Decimal("900"), 1)
    assert first.revenue_pct == Decimal("90")
    assert round(first.accounts_pct, 1) == Decimal("66.7")
    # The outsider's Tier II account is neither counted nor summed.
    assert (by_tier["Tier II"].accounts, by_tier["Tier II"].revenue) == (0, Decimal("0"))
    assert (by_tier[None].accounts, by_tier[None].revenue) == (1, Decimal("100"))
    html = response.content.decode()
    assert "5,000" not in html
    assert "1,000" in html  # the total revenue, in the totals row and the facts


def test_teammate_sees_only_the_account_whose_team_they_are_on(client_for, teammate, book):
    summary = client_for(teammate).get(URL).context["summary"]
    assert (summary.accounts, summary.revenue) == (1, Decimal("600"))


@pytest.mark.parametrize("role", ["admin_user", "executive"])
def test_admin_and_executive_see_every_account(request, client_for, book, role):
    response = client_for(request.getfixturevalue(role)).get(URL)
    summary = response.context["summary"]
    assert (summary.accounts, summary.revenue) == (4, Decimal("6000"))
    assert rows(response)["Tier II"].accounts == 1
    assert rows(response)["Tier II"].revenue_pct == Decimal("5000") * 100 / Decimal("6000")


def test_archived_accounts_are_left_out(client_for, owner, book):
    Account.objects.filter(pk=book["beta"].pk).update(archived=True)
    response = client_for(owner).get(URL)
    summary = response.context["summary"]
    assert (summary.accounts, summary.revenue, summary.pinned) == (2, Decimal("700"), 0)
    assert rows(response)["Tier I"].accounts == 1
    assert response.context["pareto"].n == 2


def test_pinned_accounts_are_counted_per_tier(client_for, admin_user, book):
    TierAssignment.objects.filter(account=book["theirs"]).update(pinned=True)
    response = client_for(admin_user).get(URL)
    assert rows(response)["Tier I"].pinned == 1
    assert rows(response)["Tier II"].pinned == 1
    assert response.context["summary"].pinned == 2


def test_accounts_not_yet_tiered_have_their_own_row_linking_to_the_list(client_for, owner, book):
    response = client_for(owner).get(URL)
    html = response.content.decode()
    assert "Not yet tiered" in html
    assert f'href="{reverse("accounts:list")}?tier=none&amp;archived=false"' in html


def test_no_not_yet_tiered_row_when_every_account_has_a_tier(client_for, owner, book):
    place(book["gamma"], "Tier III")
    response = client_for(owner).get(URL)
    assert None not in rows(response)
    assert "Not yet tiered" not in response.content.decode()


def test_tier_counts_link_to_the_accounts_list_filtered_by_tier(client_for, owner, book):
    html = client_for(owner).get(URL).content.decode()
    assert (
        f'href="{reverse("accounts:list")}?tier={TierFactory(name="Tier I").pk}&amp;archived=false"'
        in html
    )
    # An empty tier has nothing to list.
    assert f"?tier={TierFactory(name='Tier II').pk}" not in html


def test_tier_rows_show_the_servicing_model(client_for, owner, book):
    html = client_for(owner).get(URL).content.decode()
    assert "Executive sponsor" in html  # Tier I's required team role
    assert "Every 90 days" in html and "Every 30 days" in html
    assert "Trusted advisor" in html and "Self-service" in html


def test_pareto_chart_and_its_numbers_in_text(client_for, owner, book):
    response = client_for(owner).get(URL)
    pareto = response.context["pareto"]
    assert (pareto.n, pareto.k, pareto.top_share_pct) == (3, 1, 60.0)
    html = response.content.decode()
    assert "The top 20% of accounts (1 of 3 accounts) bring 60% of revenue." in html
    assert "Top 20% of accounts: 60% of revenue" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html


def main_of(response) -> str:
    """The page's own content, without the top bar (its menu button has an icon)."""
    html = response.content.decode()
    return html[html.index('<main id="main"') :]


def test_zero_revenue_replaces_the_chart_with_a_message(client_for, owner, account):
    Account.objects.filter(pk=account.pk).update(annual_revenue=0)
    response = client_for(owner).get(URL)
    html = main_of(response)
    assert "<svg" not in html
    assert "no revenue concentration to chart" in html
    assert rows(response)["Tier I"].revenue_pct is None  # shown as "—": 0 of 0 is no share


def test_empty_state_when_the_user_sees_no_accounts(client_for, db):
    loner = UserFactory(username="loner")
    response = client_for(loner).get(URL)
    assert response.status_code == 200
    html = main_of(response)
    assert "No accounts to segment yet" in html
    assert "<svg" not in html and "<table" not in html


def test_admins_get_links_to_the_model_and_the_runs(client_for, admin_user, owner, book):
    html = client_for(admin_user).get(URL).content.decode()
    assert f'href="{reverse("segmentation:model")}"' in html
    assert f'href="{reverse("segmentation:runs")}"' in html


@pytest.mark.parametrize("role", ["owner", "executive"])
def test_others_get_no_links_to_the_model_and_the_runs(request, client_for, book, role):
    html = client_for(request.getfixturevalue(role)).get(URL).content.decode()
    assert reverse("segmentation:model") not in html
    assert reverse("segmentation:runs") not in html


def _more_accounts(count, member):
    tiers = list(Tier.objects.order_by("rank"))
    for i in range(count):
        account = AccountFactory(annual_revenue=Decimal(1000 + i))
        TeamMember.objects.create(account=account, user=member)
        if i % 3:
            TierAssignmentFactory(account=account, tier=tiers[i % len(tiers)], pinned=bool(i % 2))


@pytest.mark.parametrize("role", ["teammate", "manager", "admin_user"])
def test_queries_do_not_grow_with_the_number_of_accounts(
    request, client_for, teammate, role, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(role))
    _more_accounts(3, teammate)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).context["summary"].accounts >= 3
    _more_accounts(27, teammate)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(URL).context["summary"].accounts >= 30


def test_following_a_tier_link_lists_as_many_accounts_as_the_row_counts(client_for, owner, book):
    archived = AccountFactory(name="Old Co", owner=owner, archived=True)
    place(archived, "Tier I")
    client = client_for(owner)
    row = rows(client.get(URL))["Tier I"]
    assert row.accounts == 2  # Acme and Beta; the archived account is left out
    listed = client.get(
        f"{reverse('accounts:list')}?tier={TierFactory(name='Tier I').pk}&archived=false"
    )
    assert listed.context["page"].paginator.count == 2
