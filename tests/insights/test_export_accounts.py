"""The accounts list as a file: `accounts/export/` and the accounts page's Export links
(DESIGN §10): exactly the rows the list shows for its filters, in the caller's scope."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts_app.models import DefaultRegion
from demo.factories import AccountFactory, TierAssignmentFactory
from tests.export_files import export_links, rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/export/"


@pytest.fixture
def portfolio(seeded_tiers, owner, account):
    """The owner's accounts: `account` (Acme, tier I) and three more, one an attempted
    formula."""
    tier_1, tier_2, _ = seeded_tiers
    TierAssignmentFactory(account=account, tier=tier_1, composite=Decimal("81.50"))
    beta = AccountFactory(name="Beta Foods", owner=owner, region=DefaultRegion.NORTH_AMERICA)
    TierAssignmentFactory(account=beta, tier=tier_2, composite=Decimal("40"))
    AccountFactory(name="Gamma Acme Subsidiary", owner=owner, parent=account)
    AccountFactory(name='=HYPERLINK("http://x")', owner=owner, annual_revenue=Decimal("5"))
    return {"tier_1": tier_1, "tier_2": tier_2}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_tier_filter_exports_exactly_that_tiers_accounts(
    api_for, owner, portfolio, account, file_format
):
    response = api_for(owner).get(URL, {"tier": portfolio["tier_1"].pk, "file_format": file_format})
    (row,) = rows(response)
    assert row["name"] == "Acme Industrial"
    assert str(row["id"]) == str(account.pk)
    assert row["tier"] == portfolio["tier_1"].name
    assert row["owner"] == "Olivia Owner"
    assert row["industry"] == account.industry.name == "Manufacturing"
    assert row["lifecycle_stage"] == "Development"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_region_and_search_filters_narrow_the_file_as_they_narrow_the_list(
    api_for, owner, portfolio, file_format
):
    client = api_for(owner)
    by_region = rows(
        client.get(URL, {"region": DefaultRegion.NORTH_AMERICA, "file_format": file_format})
    )
    assert [r["name"] for r in by_region] == ["Beta Foods"]
    assert by_region[0]["region"] == DefaultRegion.NORTH_AMERICA.label
    searched = rows(client.get(URL, {"q": "acme", "file_format": file_format}))
    listed = client.get("/api/v1/accounts/", {"q": "acme"}).json()["results"]
    assert [r["name"] for r in searched] == [a["name"] for a in listed]
    assert {r["name"] for r in searched} == {"Acme Industrial", "Gamma Acme Subsidiary"}


def test_amounts_stay_numbers_and_formulas_are_neutralised(api_for, owner, portfolio):
    by_name = {r["name"]: r for r in rows(api_for(owner).get(URL, {"file_format": "xlsx"}))}
    formula = by_name['\'=HYPERLINK("http://x")']
    assert formula["annual_revenue"] == 5
    assert by_name["Acme Industrial"]["annual_revenue"] == 1_000_000
    assert by_name["Gamma Acme Subsidiary"]["parent"] == "Acme Industrial"


def test_the_file_is_named_after_the_list_and_the_day(api_for, owner, portfolio):
    response = api_for(owner).get(URL, {"file_format": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="strata-accounts-')
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_csv_is_the_default(api_for, owner, portfolio):
    assert api_for(owner).get(URL)["Content-Type"].startswith("text/csv")


def test_an_unknown_file_format_is_a_400_naming_the_choices(api_for, owner, portfolio):
    response = api_for(owner).get(URL, {"file_format": "pdf"})
    assert response.status_code == 400
    assert "csv, xlsx" in response.json()["file_format"][0]


def test_a_bad_filter_is_a_400_as_on_the_list(api_for, owner, portfolio):
    assert api_for(owner).get(URL, {"tier": "nope"}).status_code == 400


def test_an_outsider_exports_only_their_own_account(api_for, outsider, portfolio):
    names = [r["name"] for r in rows(api_for(outsider).get(URL, {"file_format": "csv"}))]
    assert names == ["Outsider's Own Account"]


def test_a_parent_the_caller_may_not_see_is_not_named(api_for, outsider, owner, account):
    AccountFactory(name="Outsider Child", owner=outsider, parent=account)
    by_name = {r["name"]: r for r in rows(api_for(outsider).get(URL))}
    assert by_name["Outsider Child"]["parent"] == ""
    assert by_name["Outsider Child"]["parent_id"] == str(account.pk)


def test_anonymous_is_refused(client, portfolio):
    assert client.get(URL).status_code in (401, 403)


def test_the_queries_do_not_grow_with_the_rows(
    api_for, admin_user, portfolio, owner, django_assert_max_num_queries
):
    for n in range(12):
        AccountFactory(name=f"Extra {n}", owner=owner)
    with django_assert_max_num_queries(8):
        response = api_for(admin_user).get(URL, {"file_format": "xlsx"})
    assert len(rows(response)) == 16  # the four of the portfolio and the twelve


def test_the_pages_export_links_carry_its_filters_and_sort(client_for, owner, portfolio):
    client = client_for(owner)
    page = client.get(
        reverse("accounts:list"), {"region": DefaultRegion.NORTH_AMERICA, "sort": "-name"}
    )
    links = export_links(page)
    assert set(links) == {"csv", "xlsx"}
    assert links["xlsx"].startswith(URL + "?")
    assert "region=north_america" in links["xlsx"] and "sort=-name" in links["xlsx"]
    assert [r["name"] for r in rows(client.get(links["csv"]))] == ["Beta Foods"]


def test_the_export_links_follow_an_htmx_filter_update(client_for, owner, portfolio):
    fragment = client_for(owner).get(
        reverse("accounts:list"), {"q": "beta"}, headers={"HX-Request": "true"}
    )
    assert "q=beta" in export_links(fragment)["csv"]
