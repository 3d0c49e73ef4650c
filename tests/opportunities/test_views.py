"""The opportunity pages: the account tab, the portfolio by ROE, the opportunity page
with its questions; permissions and query counts."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opportunities import services
from opportunities.models import Opportunity, ProductLine, QualificationCriterion
from tests.factories import AccountFactory, BusinessUnitFactory

pytestmark = pytest.mark.django_db


def text(response):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def opportunity(account, owner):
    return services.opportunity_create(
        account=account, by=owner, name="Service contract", value=Decimal("250000")
    )


def test_the_account_tab_lists_and_adds(client_for, owner, account, opportunity):
    url = reverse("opportunities:account", args=[account.pk])
    page = text(client_for(owner).get(url))
    assert "Service contract Prospect 250000 10% 25000" in page
    response = client_for(owner).post(url, {"name": "Energy audit", "value": "40000"})
    created = Opportunity.objects.get(name="Energy audit")
    assert response["Location"] == reverse("opportunities:detail", args=[created.pk])
    assert (created.stage.name, created.probability, created.owner) == ("Prospect", 10, owner)


def test_a_bad_form_keeps_what_was_typed(client_for, owner, account):
    url = reverse("opportunities:account", args=[account.pk])
    response = client_for(owner).post(
        url, {"name": "Kept name", "value": "-5", "gross_margin_pct": "150"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'value="Kept name"' in html
    assert "greater than or equal to 0" in html and "less than or equal to 100" in html
    assert not Opportunity.objects.exists()


def test_a_whitespace_cell_prefills_the_form(client_for, owner, account):
    line = ProductLine.objects.create(name="Field service")
    unit = BusinessUnitFactory(account=account, name="Plant East")
    url = reverse("opportunities:account", args=[account.pk])
    html = (
        client_for(owner)
        .get(url, {"product_line": line.pk, "business_unit": unit.pk})
        .content.decode()
    )
    assert 'id="new-opportunity" open' in html
    assert f'<option value="{line.pk}" selected>' in html
    assert f'<option value="{unit.pk}" selected>' in html


def test_the_page_shows_hints_for_missing_inputs(client_for, owner, opportunity):
    page = text(client_for(owner).get(reverse("opportunities:detail", args=[opportunity.pk])))
    assert "Customer's ROI — needs the customer's annual benefit" in page
    assert "Return on our effort — needs our effort hours" in page
    assert "Unqualified" in page


def test_answering_moves_the_verdict(client_for, owner, opportunity):
    """Eight criteria of weight 1: five yes and one partly = 11/16 = 68.75 → needs work;
    six yes = 12/16 = 75 → qualified."""
    ids = list(QualificationCriterion.objects.values_list("pk", flat=True))
    url = reverse("opportunities:qualification", args=[opportunity.pk])
    data = {f"answer_{pk}": "2" for pk in ids[:5]} | {f"answer_{ids[5]}": "1"}
    response = client_for(owner).post(url, data, HTTP_HX_REQUEST="true")
    assert "69 / 100 Needs work" in text(response)
    response = client_for(owner).post(url, {f"answer_{ids[5]}": "2"}, HTTP_HX_REQUEST="true")
    assert "75 / 100 Qualified" in text(response)
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(
    "bad", [{"answer_CRIT": "3"}, {"answer_987654": "1"}, {"answer_CRIT": "x"}]
)
def test_bad_answers_are_400_and_change_nothing(client_for, owner, opportunity, bad):
    first = QualificationCriterion.objects.first().pk
    data = {k.replace("CRIT", str(first)): v for k, v in bad.items()}
    url = reverse("opportunities:qualification", args=[opportunity.pk])
    response = client_for(owner).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "form-errors" in response.content.decode()
    assert not opportunity.answers.exists()


@pytest.mark.parametrize("role", ["executive", "manager"])
def test_read_only_roles_see_but_do_not_change(request, client_for, role, account, opportunity):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("opportunities:detail", args=[opportunity.pk])).status_code == 200
    url = reverse("opportunities:qualification", args=[opportunity.pk])
    first = QualificationCriterion.objects.first().pk
    assert client.post(url, {f"answer_{first}": "2"}).status_code == 403
    assert (
        client.post(reverse("opportunities:account", args=[account.pk]), {"name": "X"}).status_code
        == 403
    )
    assert Opportunity.objects.count() == 1


def test_outsiders_get_404_everywhere(client_for, outsider, account, opportunity):
    client = client_for(outsider)
    for url in (
        reverse("opportunities:detail", args=[opportunity.pk]),
        reverse("opportunities:account", args=[account.pk]),
        "/opportunities/99999999999999999999/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("opportunities:qualification", args=[opportunity.pk])).status_code
        == 404
    )
    assert "Service contract" not in text(client.get(reverse("opportunities:portfolio")))


def test_the_portfolio_puts_the_best_return_on_effort_first(client_for, owner, account):
    for name, hours in (("Low", 1000), ("High", 10), ("Unknown", None)):
        services.opportunity_create(
            account=account,
            by=owner,
            name=name,
            value=Decimal("100000"),
            gross_margin_pct=Decimal("30"),
            effort_hours=hours,
        )
    page = client_for(owner).get(reverse("opportunities:portfolio")).context["page"]
    assert [o.name for o in page] == ["High", "Low", "Unknown"]


def test_the_portfolio_queries_do_not_grow_with_rows(client_for, owner):
    client = client_for(owner)
    client.get(reverse("opportunities:portfolio"))

    def count(n):
        account = AccountFactory(owner=owner)
        for i in range(n):
            services.opportunity_create(account=account, by=owner, name=f"O{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("opportunities:portfolio")).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(20)
