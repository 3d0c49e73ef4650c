"""The risk register (issue 20, DESIGN §13): score = likelihood × impact worked by hand,
the 5 × 5 heat map, the services' rules (the team writes, executives read, the owner is
on the team), the API (`risks/`: 400 with field errors, 404 for outsiders, no DELETE),
the Risks tab (refused saves keep what was typed; queries constant), and the "Open high
risk" alert raising and resolving."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights.alerts.evaluate import rule_evaluate
from plans import services
from plans.models import Risk
from plans.risk_register import band, heat_map, risk_score
from scorecards.models import Alert, AlertRule
from tests.pages import text

pytestmark = pytest.mark.django_db

API = "/api/v1/risks/"


def add(account, by, **fields):
    values = {"title": "Sponsor retiring", "category": "relationship", "likelihood": 3}
    return services.risk_create(account=account, by=by, **(values | {"impact": 5} | fields))


# --- the arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "likelihood,impact,score,colour",
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (2, 5, 10, "high"),
        (2, 6, None, None),
        (3, 5, 15, "severe"),
        (5, 5, 25, "severe"),
    ],
)
def test_the_score_is_likelihood_times_impact(likelihood, impact, score, colour):
    if score is None:
        with pytest.raises(ValueError):
            risk_score(likelihood, impact)
        return
    assert risk_score(likelihood, impact) == score
    assert band(score) == colour


def test_the_heat_map_counts_live_risks_per_cell_impact_from_the_top():
    cells = heat_map([(3, 5), (3, 5), (5, 1)])
    assert [row[0]["impact"] for row in cells] == [5, 4, 3, 2, 1]
    assert [c["likelihood"] for c in cells[0]] == [1, 2, 3, 4, 5]
    assert cells[0][2] == {"likelihood": 3, "impact": 5, "score": 15, "band": "severe", "count": 2}
    assert cells[4][4]["count"] == 1 and cells[4][4]["score"] == 5
    assert sum(c["count"] for row in cells for c in row) == 3


# --- the services -----------------------------------------------------------------------


def test_the_team_adds_and_changes_a_risk_and_history_names_who(account, owner, teammate):
    risk = add(account, owner, owner=teammate, due_date=date(2027, 1, 31))
    assert risk.score == 15
    risk = services.risk_update(risk=risk, by=teammate, likelihood=2, status="mitigating")
    risk.refresh_from_db()
    assert (risk.score, risk.status) == (10, "mitigating")
    rows = list(risk.history.order_by("history_date"))
    assert [r.history_user for r in rows] == [owner, teammate]
    assert rows[-1].history_account_id == account.pk


def test_the_owner_must_be_on_the_team_and_executives_only_read(
    account, owner, outsider, executive
):
    with pytest.raises(ValidationError) as refused:
        add(account, owner, owner=outsider)
    assert "not on the account team" in str(refused.value.message_dict["owner"])
    with pytest.raises(PermissionDenied):
        add(account, executive)
    with pytest.raises(ValidationError) as refused:
        add(account, owner, likelihood=6)
    assert "likelihood" in refused.value.message_dict
    assert not Risk.objects.exists()


# --- the API ----------------------------------------------------------------------------


def test_the_api_lists_adds_and_changes_risks(api_for, account, owner, teammate):
    api = api_for(owner)
    body = {
        "account": account.pk,
        "title": "Delivery slipping on line 4",
        "category": "delivery",
        "likelihood": 4,
        "impact": 4,
        "owner": teammate.pk,
        "score": 1,  # read-only: ignored
    }
    created = api.post(API, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["score"] == 16
    pk = created.json()["id"]
    changed = api.patch(f"{API}{pk}/", {"status": "closed"}, format="json")
    assert changed.status_code == 200 and changed.json()["status"] == "closed"
    assert api.get(API, {"account": account.pk, "status": "open"}).json()["count"] == 0
    assert api.delete(f"{API}{pk}/").status_code == 405


def test_the_api_refuses_bad_input_with_field_errors(api_for, account, owner, outsider):
    api = api_for(owner)
    bad = {"account": account.pk, "title": "", "category": "weather", "likelihood": 0, "impact": 9}
    refused = api.post(API, bad, format="json")
    assert refused.status_code == 400
    assert {"title", "category", "likelihood", "impact"} <= set(refused.json())
    refused = api.post(
        API,
        {
            "account": account.pk,
            "title": "X",
            "category": "commercial",
            "likelihood": 1,
            "impact": 1,
            "owner": outsider.pk,
        },
        format="json",
    )
    assert refused.status_code == 400 and "owner" in refused.json()
    assert not Risk.objects.exists()


def test_outsiders_get_404_and_executives_read_only(api_for, account, owner, outsider, executive):
    risk = add(account, owner)
    assert api_for(outsider).get(f"{API}{risk.pk}/").status_code == 404
    assert api_for(outsider).get(API).json()["count"] == 0
    assert api_for(outsider).patch(f"{API}{risk.pk}/", {"title": "x"}).status_code == 404
    executive_api = api_for(executive)
    assert executive_api.get(f"{API}{risk.pk}/").status_code == 200
    assert executive_api.patch(f"{API}{risk.pk}/", {"title": "x"}).status_code == 403
    created = executive_api.post(
        API,
        {
            "account": account.pk,
            "title": "x",
            "category": "financial",
            "likelihood": 1,
            "impact": 1,
        },
        format="json",
    )
    assert created.status_code == 403


# --- the tab ----------------------------------------------------------------------------


def tab(account):
    return reverse("account_risks", args=[account.pk])


def test_the_tab_shows_the_heat_map_and_the_register(client_for, account, owner, teammate):
    empty = client_for(owner).get(tab(account))
    assert empty.status_code == 200 and "No live risk" in text(empty)
    add(account, owner, title="Sponsor retiring", owner=teammate)
    add(account, owner, title="Price pressure", category="commercial", likelihood=2, impact=2)
    services.risk_update(
        risk=add(account, owner, title="Old worry", likelihood=1, impact=1),
        by=owner,
        status="closed",
    )
    page = text(client_for(owner).get(tab(account)))
    assert page.index("Sponsor retiring") < page.index("Price pressure")  # highest first
    assert "Old worry" not in page and "2 live risks, 1 closed" in page
    assert "Old worry" in text(client_for(owner).get(tab(account), {"show": "closed"}))


def test_adding_through_the_tab_and_a_refused_save_keeps_what_was_typed(client_for, account, owner):
    client = client_for(owner)
    url = reverse("account_risk_create", args=[account.pk])
    typed = {
        "title": "Competitor pilot",
        "category": "competitive",
        "likelihood": "9",
        "impact": "4",
        "status": "open",
        "mitigation": "Meet the COO",
    }
    refused = client.post(url, typed, headers={"HX-Request": "true", "HX-Target": "risk-form"})
    assert refused.status_code == 422
    assert 'value="Competitor pilot"' in refused.text and "Meet the COO" in refused.text
    assert "Select a valid choice" in refused.text and "<nav" not in refused.text
    saved = client.post(url, typed | {"likelihood": "4"})
    assert saved.status_code == 302
    assert Risk.objects.get().score == 16


def test_outsiders_get_404_and_executives_cannot_change(
    client_for, account, owner, outsider, executive
):
    risk = add(account, owner)
    edit = reverse("account_risk_edit", args=[account.pk, risk.pk])
    assert client_for(outsider).get(tab(account)).status_code == 404
    assert client_for(outsider).get(edit).status_code == 404
    page = client_for(executive).get(tab(account))
    assert page.status_code == 200 and "Add a risk" not in page.text
    assert client_for(executive).post(edit, {"title": "x"}).status_code == 403


def test_the_tab_reads_in_constant_queries(client_for, account, owner):
    client = client_for(owner)
    add(account, owner)
    client.get(tab(account))
    with CaptureQueriesContext(connection) as few:
        client.get(tab(account))
    for n in range(25):
        add(account, owner, title=f"Risk {n}", likelihood=1 + n % 5, impact=1 + n % 3)
    with CaptureQueriesContext(connection) as many:
        client.get(tab(account))
    assert len(many) == len(few)


# --- the alert --------------------------------------------------------------------------


def test_an_open_risk_scoring_15_or_more_raises_an_alert_until_closed(
    account, owner, seeded_metrics
):
    rule = AlertRule.objects.get(kind="risk_high")
    low = add(account, owner, title="Price pressure", likelihood=2, impact=5)  # 10: not yet
    high = add(account, owner, title="Sponsor retiring", likelihood=3, impact=5)  # 15
    rule_evaluate(rule=rule)
    live = Alert.objects.filter(rule=rule, status__in=Alert.LIVE)
    assert [a.subject_key for a in live] == [f"risk:{high.pk}"]
    assert "scores 15 (likelihood 3 × impact 5)" in live.get().description
    services.risk_update(risk=low, by=owner, likelihood=3)  # 15 now
    services.risk_update(risk=high, by=owner, status="closed")
    rule_evaluate(rule=rule)
    assert [a.subject_key for a in live.all()] == [f"risk:{low.pk}"]
    assert Alert.objects.get(subject_key=f"risk:{high.pk}").status == Alert.Status.RESOLVED
