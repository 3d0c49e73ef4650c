"""An opportunity's amounts: shown with the currency on its page, the pipeline and the
board; typed as "1.2M" or "250k" in the form, the whitespace editor and the API."""

from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories import BusinessUnitFactory, OpportunityFactory, ProductLineFactory
from opportunities.models import Opportunity, WhitespaceCell

from .helpers import text

pytestmark = pytest.mark.django_db

REFUSAL = "Enter an amount such as 12k, 1.2M or 3,034,500."


@pytest.fixture
def opportunity(account, owner):
    return OpportunityFactory(
        account=account,
        by=owner,
        name="Service contract",
        value=Decimal("3034500"),
        customer_annual_benefit=Decimal("450000"),
        customer_investment=Decimal("900000"),
        horizon_years=3,
    )


def test_the_page_shows_every_amount_with_the_currency(client_for, owner, opportunity):
    page = text(client_for(owner).get(reverse("opportunities:detail", args=[opportunity.pk])))
    assert "Value €3,034,500" in page
    assert "Customer's benefit €450,000 a year" in page
    assert "Customer's investment €900,000" in page
    assert "Weighted value €303,450" in page  # 10 % in the first stage


def test_the_pipeline_lists_whole_amounts_and_the_board_compact_ones(
    client_for, owner, account, opportunity
):
    client = client_for(owner)
    url = reverse("opportunities:account", args=[account.pk])
    assert "€3,034,500" in text(client.get(url))
    board = client.get(url, {"view": "board"}).content.decode()
    assert "€3.0M" in board


def test_the_form_reads_shorthand(client_for, owner, account):
    response = client_for(owner).post(
        reverse("opportunities:create", args=[account.pk]),
        {"name": "Energy audit", "value": "1.2M", "customer_investment": "250k"},
    )
    assert response.status_code == 302
    created = Opportunity.objects.get(name="Energy audit")
    assert (created.value, created.customer_investment) == (Decimal(1_200_000), Decimal(250_000))


def test_the_form_refuses_what_it_cannot_read_and_keeps_it(client_for, owner, opportunity):
    url = reverse("opportunities:edit", args=[opportunity.pk])
    response = client_for(owner).post(
        url, {"name": "Service contract", "value": "1.2.3", "customer_annual_benefit": "12kk"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(REFUSAL) == 2
    assert 'value="1.2.3"' in html and 'value="12kk"' in html
    opportunity.refresh_from_db()
    assert opportunity.value == Decimal("3034500")


def test_the_whitespace_editor_reads_shorthand(client_for, owner, account):
    line = ProductLineFactory(name="Spare parts")
    unit = BusinessUnitFactory(account=account, name="West")
    url = reverse("opportunities:whitespace_cell", args=[account.pk, line.pk, unit.pk])
    refused = client_for(owner).post(
        url, {"state": "sold", "revenue": "45kk"}, HTTP_HX_REQUEST="true"
    )
    assert REFUSAL in text(refused) and 'value="45kk"' in refused.content.decode()
    client_for(owner).post(url, {"state": "sold", "revenue": "45k"}, HTTP_HX_REQUEST="true")
    assert WhitespaceCell.objects.get(business_unit=unit).revenue == Decimal(45_000)
    matrix = text(client_for(owner).get(reverse("opportunities:whitespace", args=[account.pk])))
    assert "€45,000" in matrix


def test_the_api_reads_shorthand_and_numbers_and_refuses_the_rest(api_for, owner, opportunity):
    client = api_for(owner)
    url = f"/api/v1/opportunities/{opportunity.pk}/"
    response = client.patch(url, {"value": "1.2M", "customer_investment": 5000}, format="json")
    assert response.status_code == 200, response.data
    opportunity.refresh_from_db()
    assert (opportunity.value, opportunity.customer_investment) == (Decimal(1_200_000), 5000)
    response = client.patch(url, {"value": "abc"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"value": [REFUSAL]}
    assert client.patch(url, {"customer_investment": "-5k"}, format="json").status_code == 400


def test_the_whitespace_api_reads_shorthand(api_for, owner, account):
    line = ProductLineFactory(name="Spare parts")
    unit = BusinessUnitFactory(account=account, name="West")
    response = api_for(owner).put(
        f"/api/v1/accounts/{account.pk}/whitespace/",
        {"product_line": line.pk, "business_unit": unit.pk, "state": "sold", "revenue": "45k"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert WhitespaceCell.objects.get(business_unit=unit).revenue == Decimal(45_000)
