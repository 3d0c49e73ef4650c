"""The pipeline as a file: `opportunities/export/` and the pipeline pages' Export links
(DESIGN §10): exactly the rows the list shows for its filters and sort."""

from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories import AccountFactory, OpportunityFactory
from opportunities.models import Stage
from tests.export_files import export_links, rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities/export/"


@pytest.fixture
def pipeline(owner, account, outsider):
    other = AccountFactory(name="Borealis Foods", owner=owner)
    OpportunityFactory(
        account=account,
        name="Losing deal",
        value=Decimal("50000"),
        customer_annual_benefit=Decimal("100"),
        customer_investment=Decimal("1000"),
        horizon_years=1,
    )
    OpportunityFactory(account=account, name="Closed", stage_name="Lost")
    OpportunityFactory(account=other, name="@Pilot", value=Decimal("1200.50"))
    OpportunityFactory(
        account=AccountFactory(name="Hidden", owner=outsider), name="Not yours", by=outsider
    )
    return {"other": other}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_account_filter_exports_exactly_its_opportunities(
    api_for, owner, account, pipeline, file_format
):
    exported = rows(api_for(owner).get(URL, {"account": account.pk, "file_format": file_format}))
    assert sorted(r["name"] for r in exported) == ["Closed", "Losing deal"]
    assert {r["account"] for r in exported} == {"Acme Industrial"}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_stage_filter_narrows_the_file(api_for, owner, pipeline, file_format):
    lost = Stage.objects.get(name="Lost")
    exported = rows(api_for(owner).get(URL, {"stage": lost.pk, "file_format": file_format}))
    assert [(r["name"], r["stage"], r["status"]) for r in exported] == [("Closed", "Lost", "Lost")]


def test_amounts_and_figures_stay_numbers_even_negative(api_for, owner, pipeline):
    by_name = {r["name"]: r for r in rows(api_for(owner).get(URL, {"file_format": "xlsx"}))}
    deal = by_name["Losing deal"]
    assert deal["value"] == 50000
    assert deal["roi_pct"] == -90
    assert deal["owner"] == "Olivia Owner"
    assert by_name["'@Pilot"]["value"] == 1200.5


def test_an_outsider_exports_none_of_the_others_opportunities(api_for, outsider, pipeline):
    assert [r["name"] for r in rows(api_for(outsider).get(URL))] == ["Not yours"]


def test_anonymous_and_a_bad_format_are_refused(client, api_for, owner, pipeline):
    assert client.get(URL).status_code in (401, 403)
    assert api_for(owner).get(URL, {"file_format": "json"}).status_code == 400


def test_the_queries_do_not_grow_with_the_rows(
    api_for, owner, account, pipeline, django_assert_max_num_queries
):
    for n in range(10):
        OpportunityFactory(account=account, name=f"More {n}")
    with django_assert_max_num_queries(6):
        assert len(rows(api_for(owner).get(URL, {"file_format": "xlsx"}))) == 13


def test_the_portfolio_export_is_the_pages_rows_in_its_order(client_for, owner, pipeline):
    client = client_for(owner)
    page = client.get(reverse("opportunities:portfolio"), {"sort": "-value"})
    links = export_links(page)
    assert links["csv"].startswith(URL + "?")
    assert "status=open" in links["csv"] and "sort=-value" in links["csv"]
    shown = [o.name for o in page.context["page"].object_list]
    exported = [r["name"] for r in rows(client.get(links["xlsx"]))]
    assert exported == ["'" + n if n.startswith("@") else n for n in shown]
    assert "Closed" not in [r.lstrip("'") for r in exported]  # the page shows open ones


def test_an_account_tabs_export_is_that_accounts_pipeline(client_for, owner, account, pipeline):
    client = client_for(owner)
    tab = client.get(reverse("opportunities:account", args=[account.pk]), {"status": ""})
    links = export_links(tab)
    assert f"account={account.pk}" in links["csv"]
    assert sorted(r["name"] for r in rows(client.get(links["csv"]))) == ["Closed", "Losing deal"]
