"""One opportunity's pages: adding it (prefilled from a whitespace cell), its page with
the qualification questions and the value figures, editing, deleting; permissions."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories import BusinessUnitFactory, OpportunityFactory, ProductLineFactory, StageFactory
from opportunities.models import Opportunity, QualificationCriterion, StageChange

from .helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(account, owner):
    return OpportunityFactory(
        account=account, by=owner, name="Service contract", value=Decimal("250000")
    )


def new(account):
    return reverse("opportunities:create", args=[account.pk])


def test_adding_an_opportunity_takes_the_first_stage_and_its_probability(
    client_for, teammate, account
):
    response = client_for(teammate).post(new(account), {"name": "Energy audit", "value": "40000"})
    created = Opportunity.objects.get(name="Energy audit")
    assert response["Location"] == reverse("opportunities:detail", args=[created.pk])
    assert (created.stage.name, created.probability, created.owner) == ("Prospect", 10, teammate)


def test_a_bad_form_keeps_what_was_typed(client_for, owner, account):
    response = client_for(owner).post(
        new(account),
        {"name": "Kept name", "value": "-5", "gross_margin_pct": "150", "horizon_years": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'value="Kept name"' in html
    assert "greater than or equal to 0" in html and "less than or equal to 100" in html
    assert "greater than or equal to 1" in html
    assert not Opportunity.objects.exists()


def test_a_whitespace_cell_prefills_the_form(client_for, owner, account):
    line = ProductLineFactory(name="Field service")
    unit = BusinessUnitFactory(account=account, name="Plant East")
    html = (
        client_for(owner)
        .get(new(account), {"product_line": line.pk, "business_unit": unit.pk})
        .content.decode()
    )
    assert f'<option value="{line.pk}" selected>' in html
    assert f'<option value="{unit.pk}" selected>' in html
    assert f'<option value="{owner.pk}" selected>' in html  # whoever adds it owns it
    assert 'value="Field service for Acme Industrial"' in html


def test_a_business_unit_of_another_account_is_refused(client_for, owner, account):
    elsewhere = BusinessUnitFactory(name="Not theirs")
    response = client_for(owner).post(
        new(account), {"name": "X", "value": "1", "business_unit": elsewhere.pk}
    )
    assert "Select a valid choice" in text(response)
    assert not Opportunity.objects.exists()


def test_the_page_shows_hints_for_missing_inputs(client_for, owner, opportunity):
    page = text(client_for(owner).get(reverse("opportunities:detail", args=[opportunity.pk])))
    assert "Customer's ROI — needs the customer's annual benefit" in page
    assert "Payback — needs the customer's annual benefit and investment" in page
    assert "Return on our effort — needs our effort hours" in page
    assert "Unqualified" in page and "0 of 8 answered" in page


def test_the_page_shows_the_value_figures_worked_by_hand(client_for, owner, account):
    """Benefit 120,000 a year for 3 years on an investment of 200,000: ROI =
    (360,000 − 200,000) / 200,000 = 80 %; payback = 200,000 / 10,000 = 20 months.
    Weighted 250,000 · 60 % = 150,000; ROE = 150,000 · 30 % / (100 h · 100) = 4.50."""
    opportunity = OpportunityFactory(
        account=account,
        by=owner,
        name="Line retrofit",
        stage_name="Propose",
        value=Decimal("250000"),
        customer_annual_benefit=Decimal("120000"),
        customer_investment=Decimal("200000"),
        horizon_years=3,
        effort_hours=Decimal("100"),
        gross_margin_pct=Decimal("30"),
    )
    page = text(client_for(owner).get(reverse("opportunities:detail", args=[opportunity.pk])))
    assert "Weighted value €150,000" in page
    assert "Customer's ROI 80.0%" in page and "Payback 20.0 months" in page
    assert "Return on our effort 4.50" in page


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
def test_bad_answers_are_422_and_change_nothing(client_for, owner, opportunity, bad):
    first = QualificationCriterion.objects.first().pk
    data = {k.replace("CRIT", str(first)): v for k, v in bad.items()}
    url = reverse("opportunities:qualification", args=[opportunity.pk])
    response = client_for(owner).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "form-errors" in response.content.decode()
    assert not opportunity.answers.exists()


def test_editing_changes_the_fields_and_records_a_stage_move(client_for, owner, opportunity):
    url = reverse("opportunities:edit", args=[opportunity.pk])
    form = client_for(owner).get(url)
    assert 'value="Service contract"' in form.content.decode()
    response = client_for(owner).post(
        url,
        {
            "name": "Service contract, 3 years",
            "value": "300000",
            "stage": StageFactory(name="Negotiate").pk,
            "probability": "",
            "close_date": "2027-03-31",
            "owner": owner.pk,
            "effort_hours": "120",
            "gross_margin_pct": "25",
        },
    )
    assert response["Location"] == reverse("opportunities:detail", args=[opportunity.pk])
    opportunity.refresh_from_db()
    assert opportunity.name == "Service contract, 3 years"
    assert (opportunity.stage.name, opportunity.probability) == ("Negotiate", 80)
    assert opportunity.close_date == date(2027, 3, 31)
    # 300,000 · 80 % = 240,000; ROE = 240,000 · 25 % / (120 · 100) = 5.00
    assert opportunity.weighted_value == Decimal("240000") and opportunity.roe == Decimal("5")
    assert [c.to_stage.name for c in StageChange.objects.filter(opportunity=opportunity)] == [
        "Negotiate",
        "Prospect",
    ]


def test_a_bad_edit_keeps_what_was_typed_and_saves_nothing(client_for, owner, opportunity):
    url = reverse("opportunities:edit", args=[opportunity.pk])
    response = client_for(owner).post(
        url, {"name": "Typed name", "value": "abc", "stage": StageFactory(name="Won").pk}
    )
    html = text(response)
    assert response.status_code == 200 and "Enter an amount such as 12k, 1.2M" in html
    assert 'value="Typed name"' in response.content.decode()
    assert "Edit Service contract" in html  # the heading names what is saved
    opportunity.refresh_from_db()
    assert (opportunity.name, opportunity.stage.name) == ("Service contract", "Prospect")


def test_an_owner_who_left_the_team_keeps_the_opportunity_until_handed_on(
    client_for, owner, teammate, account
):
    opportunity = OpportunityFactory(
        account=account, by=owner, name="Service contract", owner=teammate
    )
    account.team_members.filter(user=teammate).delete()
    url = reverse("opportunities:edit", args=[opportunity.pk])
    data = {"name": "Renamed", "value": "1", "stage": opportunity.stage_id, "owner": teammate.pk}
    assert client_for(owner).post(url, data).status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.name, opportunity.owner) == ("Renamed", teammate)


def test_deleting_asks_first_then_archives(client_for, owner, opportunity):
    url = reverse("opportunities:delete", args=[opportunity.pk])
    assert "Archive “Service contract”?" in text(client_for(owner).get(url))
    assert not Opportunity.objects.get().archived
    response = client_for(owner).post(url)
    assert response["Location"] == reverse("opportunities:account", args=[opportunity.account_id])
    assert Opportunity.objects.get().archived


@pytest.mark.parametrize("role", ["executive", "manager"])
def test_read_only_roles_see_but_do_not_change(request, client_for, role, account, opportunity):
    client = client_for(request.getfixturevalue(role))
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert page.status_code == 200 and "Edit" not in text(page).split("Qualification")[0]
    first = QualificationCriterion.objects.first().pk
    for method, url, data in (
        (
            "post",
            reverse("opportunities:qualification", args=[opportunity.pk]),
            {f"answer_{first}": "2"},
        ),
        ("get", new(account), {}),
        ("post", new(account), {"name": "X", "value": "1"}),
        ("get", reverse("opportunities:edit", args=[opportunity.pk]), {}),
        ("post", reverse("opportunities:edit", args=[opportunity.pk]), {"name": "X", "value": "1"}),
        ("get", reverse("opportunities:delete", args=[opportunity.pk]), {}),
        ("post", reverse("opportunities:delete", args=[opportunity.pk]), {}),
    ):
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    opportunity.refresh_from_db()
    assert Opportunity.objects.count() == 1 and opportunity.name == "Service contract"
    assert not opportunity.answers.exists()


def test_outsiders_get_404_everywhere(client_for, outsider, account, opportunity):
    client = client_for(outsider)
    for name in ("detail", "edit", "delete"):
        url = reverse(f"opportunities:{name}", args=[opportunity.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "X"}).status_code == 404, url
    assert (
        client.post(reverse("opportunities:qualification", args=[opportunity.pk])).status_code
        == 404
    )
    assert client.get(new(account)).status_code == 404
    assert client.post(new(account), {"name": "X", "value": "1"}).status_code == 404
    assert client.get("/opportunities/99999999999999999999/").status_code == 404
    assert Opportunity.objects.get().name == "Service contract"
