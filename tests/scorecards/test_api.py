"""API v1 of scorecards: metrics (admins write), scorecards and lines (attainment and
score read-only; bad figures are 400s with field errors), survey rounds with results
(customer answers never shown to an outsider), account health; the permission matrix."""

from decimal import Decimal as D

import pytest
from django.core import mail

from demo.factories import ContactFactory, MetricFactory, ScorecardFactory, SurveyRoundFactory
from insights.snapshots import account_snapshots_refresh
from scorecards import surveys
from scorecards.models import Metric, Scorecard, ScorecardLine, SurveyRound, SurveyTemplate

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.fixture
def scorecard(account, owner):
    """Revenue (target 1,000) and Open escalations (no target), no actuals yet."""
    return ScorecardFactory(
        account=account,
        by=owner,
        metrics=["Revenue", "Open escalations"],
        lines={"Revenue": {"target": "1000"}},
    )


@pytest.fixture
def survey(account, owner, django_capture_on_commit_callbacks):
    contact = ContactFactory(account=account, email="c@acme.example")
    with django_capture_on_commit_callbacks(execute=True):
        survey = SurveyRoundFactory(
            account=account,
            by=owner,
            template=SurveyTemplate.objects.get(),
            title="Autumn",
            contacts=[contact],
            link_base="https://x/s/",
        )
    invitation = survey.invitations.get()
    invitation.token_hash = surveys.token_hash("t0k")
    invitation.save()
    surveys.customer_answer(
        token="t0k",
        answers={d.pk: 2 for d in survey.template.dimensions.all()},
        comment="Confidential: unhappy with delivery.",
    )
    return survey


def test_everyone_reads_the_metrics_and_admins_change_them(api_for, owner, admin_user, scorecard):
    assert api_for(owner).get("/api/v1/metrics/").json()["count"] == Metric.objects.count()
    assert api_for(owner).post("/api/v1/metrics/", {"name": "X"}).status_code == 403
    response = api_for(admin_user).post(
        "/api/v1/metrics/",
        {"name": "Revenue", "perspective": "customer", "kind": "lagging"},
    )
    assert response.status_code == 400 and "name" in response.json()  # already in the library
    revenue = MetricFactory(name="Revenue")
    response = api_for(admin_user).delete(f"/api/v1/metrics/{revenue.pk}/")
    assert response.status_code == 400 and Metric.objects.filter(pk=revenue.pk).exists()


def test_a_scorecard_reads_with_its_lines(api_for, owner, account, scorecard):
    body = api_for(owner).get("/api/v1/scorecards/", {"account": account.pk}).json()
    (card,) = body["results"]
    assert (card["period_start"], card["cadence"], card["score"]) == (
        "2026-01-01",
        "quarterly",
        None,
    )
    assert [line["metric_name"] for line in card["lines"]] == ["Revenue", "Open escalations"]


def test_patching_an_actual_moves_attainment_and_score(api_for, owner, scorecard):
    revenue = scorecard.lines.get(metric__name="Revenue")
    response = api_for(owner).patch(
        f"/api/v1/scorecard-lines/{revenue.pk}/", {"actual": "950"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["attainment"], response.json()["status"]) == (0.95, "near")
    scorecard.refresh_from_db()
    assert scorecard.score == D("95.0")
    ignored = api_for(owner).patch(
        f"/api/v1/scorecard-lines/{revenue.pk}/", {"attainment": 5}, format="json"
    )
    assert ignored.json()["attainment"] == 0.95  # read-only


@pytest.mark.parametrize(
    "data, field",
    [
        ({"actual": "abc"}, "actual"),
        ({"weight": -1}, "weight"),
        ({"weight": 500}, "weight"),
        ({"target": "1e30"}, "target"),
    ],
)
def test_bad_figures_are_400_with_field_errors(api_for, owner, scorecard, data, field):
    revenue = scorecard.lines.get(metric__name="Revenue")
    response = api_for(owner).patch(f"/api/v1/scorecard-lines/{revenue.pk}/", data, format="json")
    assert response.status_code == 400 and field in response.json()
    revenue.refresh_from_db()
    assert (revenue.actual, revenue.weight) == (None, D(1))


def test_scorecards_are_created_and_carried_forward(api_for, owner, account, scorecard):
    response = api_for(owner).post(f"/api/v1/scorecards/{scorecard.pk}/next/")
    assert response.status_code == 201 and response.json()["period_start"] == "2026-04-01"
    bad = api_for(owner).post(
        "/api/v1/scorecards/", {"account": account.pk, "period_start": "2026-05-01"}, format="json"
    )
    assert bad.status_code == 400 and "period_start" in bad.json()
    line = api_for(owner).post(
        "/api/v1/scorecard-lines/",
        {
            "scorecard": scorecard.pk,
            "metric": MetricFactory(name="Quality incidents").pk,
            "target": "2",
        },
        format="json",
    )
    assert line.status_code == 201 and line.json()["target"] == 2.0
    again = api_for(owner).post(
        "/api/v1/scorecard-lines/",
        {"scorecard": scorecard.pk, "metric": MetricFactory(name="Quality incidents").pk},
        format="json",
    )
    assert again.status_code == 400 and "metric" in again.json()


def test_survey_results_reach_those_who_see_the_account(api_for, owner, account, survey):
    body = api_for(owner).get(f"/api/v1/survey-rounds/{survey.pk}/").json()
    assert body["results"]["answered"] == 1 and body["results"]["customer_mean"] == 2.0
    assert body["results"]["comments"][0]["text"] == "Confidential: unhappy with delivery."
    assert body["results"]["dimensions"][0]["gap"] is None  # no prediction yet


def test_a_round_is_sent_and_closed_through_the_api(api_for, owner, account):
    contact = ContactFactory(account=account, email="d@acme.example")
    response = api_for(owner).post(
        "/api/v1/survey-rounds/",
        {
            "account": account.pk,
            "template": SurveyTemplate.objects.get().pk,
            "title": "API round",
            "contacts": [contact.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    survey = SurveyRound.objects.get(title="API round")
    assert (
        api_for(owner).post(f"/api/v1/survey-rounds/{survey.pk}/close/").json()["status"]
        == "closed"
    )
    bad = api_for(owner).post(
        "/api/v1/survey-rounds/",
        {
            "account": account.pk,
            "template": SurveyTemplate.objects.get().pk,
            "title": "",
            "contacts": [],
        },
        format="json",
    )
    assert bad.status_code == 400 and {"title", "contacts"} <= set(bad.json())


def test_the_health_of_an_account(api_for, owner, account):
    account_snapshots_refresh(account_ids=[account.pk])
    body = api_for(owner).get(f"/api/v1/accounts/{account.pk}/health/").json()
    assert (body["score"], body["band"]) == (0.0, "red")
    assert body["components"][0] == {
        "key": "rpi",
        "label": "Relationship penetration",
        "value": 0.0,
        "weight_pct": 100.0,
        "contribution": 0.0,
    }
    assert body["components"][1]["value"] is None


@pytest.mark.parametrize("role", ["executive", "manager"])
def test_read_only_roles_read_but_get_403_on_writes(
    request, api_for, role, account, scorecard, survey
):
    client = api_for(request.getfixturevalue(role))
    line = scorecard.lines.first()
    assert client.get(f"/api/v1/scorecards/{scorecard.pk}/").status_code == 200
    assert client.get(f"/api/v1/survey-rounds/{survey.pk}/").status_code == 200
    assert client.get(f"/api/v1/accounts/{account.pk}/health/").status_code == 200
    for method, url, data in (
        ("patch", f"/api/v1/scorecard-lines/{line.pk}/", {"actual": "1"}),
        ("delete", f"/api/v1/scorecard-lines/{line.pk}/", {}),
        ("post", f"/api/v1/scorecards/{scorecard.pk}/next/", {}),
        ("post", "/api/v1/scorecards/", {"account": account.pk, "period_start": "2026-07-01"}),
        ("post", f"/api/v1/survey-rounds/{survey.pk}/close/", {}),
    ):
        assert getattr(client, method)(url, data, format="json").status_code == 403, url
    assert Scorecard.objects.count() == 1 and ScorecardLine.objects.filter(actual=1).count() == 0


def test_outsiders_get_404_and_never_see_customer_answers(
    api_for, outsider, account, scorecard, survey
):
    client = api_for(outsider)
    line = scorecard.lines.first()
    for url in (
        f"/api/v1/scorecards/{scorecard.pk}/",
        f"/api/v1/scorecard-lines/{line.pk}/",
        f"/api/v1/survey-rounds/{survey.pk}/",
        f"/api/v1/accounts/{account.pk}/health/",
        f"/api/v1/scorecards/{HUGE}/",
        f"/api/v1/accounts/{HUGE}/health/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Confidential" not in response.content.decode()
    for url in (
        "/api/v1/scorecards/",
        "/api/v1/scorecard-lines/",
        "/api/v1/survey-rounds/",
    ):
        body = client.get(url, {"account": account.pk}).json()
        assert body["count"] == 0, url
    assert client.patch(f"/api/v1/scorecard-lines/{line.pk}/", {"actual": "1"}).status_code == 404
    assert client.post(f"/api/v1/survey-rounds/{survey.pk}/close/").status_code == 404
    response = client.post(
        "/api/v1/scorecard-lines/",
        {"scorecard": scorecard.pk, "metric": MetricFactory(name="Net Promoter Score").pk},
    )
    assert response.status_code == 400 and "scorecard" in response.json()
    assert len(mail.outbox) == 1  # only the fixture's round was sent
