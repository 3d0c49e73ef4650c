"""API v1 of opportunities (DESIGN §7): CRUD through the services, filters and sorts,
the computed figures, qualification, the criteria, and the permission matrix (404 for
what the caller may not see, 403 for what they may see but not change)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_app.models import Account, TeamMember
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    OpportunityFactory,
    ProductLineFactory,
    StageFactory,
    UserFactory,
)
from opportunities import services
from opportunities.models import (
    Opportunity,
    QualificationAnswer,
    QualificationCriterion,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities/"
CRITERIA_URL = "/api/v1/qualification-criteria/"
HUGE = "99999999999999999999999"


@pytest.fixture
def opportunity(account, owner):
    return OpportunityFactory(
        account=account,
        by=owner,
        name="Service contract",
        value=Decimal("250000"),
        effort_hours=Decimal("150"),
        gross_margin_pct=Decimal("30"),
        customer_annual_benefit=Decimal("120000"),
        customer_investment=Decimal("200000"),
        horizon_years=3,
    )


@pytest.fixture
def outside_manager(db):
    """A manager nobody on the team reports to, on no team: sees nothing of `account`."""
    from accounts_app.models import User

    return UserFactory(username="othermgr", role=User.Role.MANAGER)


def detail(opportunity):
    return f"{URL}{opportunity.pk}/"


def qualification_url(opportunity):
    return f"{URL}{opportunity.pk}/qualification/"


# --- CRUD and computed figures ------------------------------------------------------------


def test_the_computed_figures_match_the_hand_worked_numbers(api_for, owner, opportunity):
    row = api_for(owner).get(detail(opportunity)).json()
    # 250,000 · 10 % = 25,000; ROE = 25,000 · 30 % ÷ (150 h · 100) = 0.50
    assert row["weighted_value"] == 25000.0
    assert row["roe"] == 0.5
    # (120,000 · 3 − 200,000) ÷ 200,000 · 100 = 80 %; 200,000 ÷ (120,000 / 12) = 20 months
    assert row["roi_pct"] == 80.0
    assert row["payback_months"] == 20.0
    assert row["stage_name"] == "Prospect"
    assert row["probability"] == 10
    assert row["qualification_score"] == 0.0
    assert row["verdict"] == "unqualified"
    assert row["stalled"] is False
    assert row["owner"] == owner.pk


def test_zero_investment_or_effort_gives_null_figures(api_for, owner, account):
    response = api_for(owner).post(
        URL,
        {
            "account": account.pk,
            "name": "Pilot",
            "value": "1000",
            "customer_annual_benefit": "5000",
            "customer_investment": "0",
            "horizon_years": 2,
            "effort_hours": "0",
            "gross_margin_pct": "20",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    row = response.json()
    assert (row["roi_pct"], row["roe"]) == (None, None)
    assert row["payback_months"] == 0.0  # nothing invested pays back at once


def test_create_defaults_to_the_first_stage_and_its_probability(api_for, teammate, account):
    response = api_for(teammate).post(
        URL, {"account": account.pk, "name": "Rail retrofit", "value": "250000"}, format="json"
    )
    assert response.status_code == 201, response.json()
    row = response.json()
    assert (row["stage"], row["stage_name"], row["probability"]) == (
        StageFactory(name="Prospect").pk,
        "Prospect",
        10,
    )
    assert row["weighted_value"] == 25000.0
    assert row["owner"] == teammate.pk
    assert Opportunity.objects.get(pk=row["id"]).stage_history.count() == 1


def test_create_takes_the_given_stage_and_its_probability(api_for, owner, account):
    response = api_for(owner).post(
        URL,
        {
            "account": account.pk,
            "name": "Big deal",
            "value": "1000",
            "stage": StageFactory(name="Propose").pk,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["probability"] == 60


def test_a_stage_change_brings_its_probability_unless_one_is_given(api_for, owner, opportunity):
    client = api_for(owner)
    response = client.patch(
        detail(opportunity), {"stage": StageFactory(name="Develop").pk}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["probability"], response.json()["weighted_value"]) == (40, 100000.0)
    response = client.patch(
        detail(opportunity),
        {"stage": StageFactory(name="Propose").pk, "probability": 55},
        format="json",
    )
    assert response.json()["probability"] == 55
    assert opportunity.stage_history.count() == 3


def test_full_update_and_delete(api_for, owner, account, opportunity):
    client = api_for(owner)
    response = client.put(
        detail(opportunity),
        {
            "account": account.pk,
            "name": "Renamed",
            "value": "100000",
            "close_date": "2030-01-31",
            "probability": 50,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["weighted_value"]) == ("Renamed", 50000.0)
    assert client.delete(detail(opportunity)).status_code == 204
    assert Opportunity.objects.get(pk=opportunity.pk).archived


def test_an_opportunity_cannot_move_to_another_account(api_for, admin_user, opportunity):
    other = AccountFactory(name="Globex")
    response = api_for(admin_user).patch(detail(opportunity), {"account": other.pk}, format="json")
    assert response.status_code == 400
    assert "account" in response.json()


def test_an_owner_or_unit_of_another_account_is_a_field_error(
    api_for, owner, account, outsider, opportunity
):
    client = api_for(owner)
    foreign_unit = BusinessUnitFactory(account=AccountFactory(name="Other", owner=owner))
    response = client.patch(detail(opportunity), {"owner": outsider.pk}, format="json")
    assert response.status_code == 400
    assert "owner" in response.json()
    response = client.patch(detail(opportunity), {"business_unit": foreign_unit.pk}, format="json")
    assert response.status_code == 400
    assert "business_unit" in response.json()
    # A unit of an account the caller may not see does not exist for them.
    hidden_unit = BusinessUnitFactory(account=Account.objects.get(owner=outsider))
    response = client.post(
        URL,
        {"account": account.pk, "name": "X", "business_unit": hidden_unit.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["business_unit"][0]
    own_unit = BusinessUnitFactory(account=account)
    response = client.patch(detail(opportunity), {"business_unit": own_unit.pk}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"value": "-1"}, "value"),
        ({"probability": 101}, "probability"),
        ({"gross_margin_pct": "100.5"}, "gross_margin_pct"),
        ({"horizon_years": 0}, "horizon_years"),
        ({"stage": 987654}, "stage"),
        ({"product_line": 987654}, "product_line"),
        ({"owner": HUGE}, "owner"),
        ({"name": ""}, "name"),
        ({"close_date": "someday"}, "close_date"),
    ],
)
def test_bad_input_is_a_field_error(api_for, owner, opportunity, data, field):
    response = api_for(owner).patch(detail(opportunity), data, format="json")
    assert response.status_code == 400
    assert field in response.json()


# --- Lists, filters and sorts -------------------------------------------------------------


def test_the_list_filters_by_its_key_fields(api_for, owner, teammate, account, opportunity):
    client = api_for(owner)
    other_account = AccountFactory(name="Second", owner=owner)
    line = ProductLineFactory(name="Sensors")
    unit = BusinessUnitFactory(account=account)
    tagged = services.opportunity_create(
        account=account,
        by=owner,
        name="Tagged",
        stage=StageFactory(name="Develop"),
        product_line=line,
        business_unit=unit,
        owner=teammate,
    )
    elsewhere = services.opportunity_create(account=other_account, by=owner, name="Elsewhere")

    def names(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return sorted(row["name"] for row in response.json()["results"])

    assert names() == ["Elsewhere", "Service contract", "Tagged"]
    assert names(account=account.pk) == ["Service contract", "Tagged"]
    assert names(account=other_account.pk) == [elsewhere.name]
    assert names(stage=StageFactory(name="Develop").pk) == [tagged.name]
    assert names(owner=owner.pk) == ["Elsewhere", "Service contract"]
    assert names(owner=teammate.pk) == [tagged.name]
    assert names(product_line=line.pk) == [tagged.name]
    assert names(business_unit=unit.pk) == [tagged.name]
    assert names(account=987654) == []
    assert client.get(URL, {"account": HUGE}).status_code == 400
    assert client.get(URL, {"account": "x"}).status_code == 400


def test_the_list_sorts_with_empty_figures_last_both_ways(api_for, owner, account):
    def make(name, effort, close):
        return services.opportunity_create(
            account=account,
            by=owner,
            name=name,
            value=Decimal("100000"),
            gross_margin_pct=Decimal("30"),
            effort_hours=effort,
            close_date=close,
        )

    today = date(2030, 1, 1)
    make("cheap", Decimal("10"), today)
    make("dear", Decimal("100"), today + timedelta(days=30))
    make("unknown", None, None)
    client = api_for(owner)

    def order(sort):
        response = client.get(URL, {"sort": sort})
        assert response.status_code == 200
        return [row["name"] for row in response.json()["results"]]

    assert order("-roe") == ["cheap", "dear", "unknown"]
    assert order("roe") == ["dear", "cheap", "unknown"]
    assert order("close_date") == ["cheap", "dear", "unknown"]
    assert order("-close_date") == ["dear", "cheap", "unknown"]
    assert order("weighted_value")[:3] and order("qualification_score")
    assert client.get(URL, {"sort": "nonsense"}).status_code == 400


def test_the_list_query_count_does_not_grow_with_opportunities(api_for, owner, account):
    client = api_for(owner)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    for i in range(3):
        services.opportunity_create(account=account, by=owner, name=f"o{i}")
    few = count_queries()
    for i in range(27):
        services.opportunity_create(account=account, by=owner, name=f"p{i}")
    assert count_queries() == few


def test_a_stalled_opportunity_says_so(api_for, owner, opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(
        stage_changed_at=timezone.now() - timedelta(days=31)
    )
    assert api_for(owner).get(detail(opportunity)).json()["stalled"] is True


# --- Qualification ------------------------------------------------------------------------


def test_qualification_moves_the_verdict_from_unqualified_to_qualified(api_for, owner, opportunity):
    client = api_for(owner)
    body = client.get(qualification_url(opportunity)).json()
    assert body["answers"] == {}
    assert body["score"] == 0.0 and body["verdict"] == "unqualified"
    assert len(body["criteria"]) == 8
    assert set(body["criteria"][0]) >= {"id", "text", "help_text", "weight", "active"}
    ids = [c["id"] for c in body["criteria"]]
    # 6 yes + 1 partly + 1 no of 8 equal weights: 13 / 16 = 81.25 → 81.3, qualified
    answers = {str(i): 2 for i in ids[:6]} | {str(ids[6]): 1, str(ids[7]): 0}
    response = client.put(qualification_url(opportunity), {"answers": answers}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["answers"] == answers
    assert (body["score"], body["verdict"]) == (81.3, "qualified")
    row = client.get(detail(opportunity)).json()
    assert (row["qualification_score"], row["verdict"]) == (81.3, "qualified")
    # A partial PUT keeps the other answers: one yes to no → 11 / 16 = 68.75 → 68.8
    response = client.put(
        qualification_url(opportunity), {"answers": {str(ids[0]): 0}}, format="json"
    )
    assert (response.json()["score"], response.json()["verdict"]) == (68.8, "needs_work")


def test_a_digit_string_answer_is_accepted(api_for, owner, opportunity):
    criterion = QualificationCriterion.objects.first()
    response = api_for(owner).put(
        qualification_url(opportunity), {"answers": {str(criterion.pk): "2"}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["answers"] == {str(criterion.pk): 2}


@pytest.mark.parametrize("answer", [3, -1, "x", True, None, [2]])
def test_an_answer_outside_0_to_2_is_a_field_error_keyed_by_criterion(
    api_for, owner, opportunity, answer
):
    criterion = QualificationCriterion.objects.first()
    response = api_for(owner).put(
        qualification_url(opportunity), {"answers": {str(criterion.pk): answer}}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["answers"]) == [str(criterion.pk)]
    assert not QualificationAnswer.objects.exists()


@pytest.mark.parametrize("key", ["987654", "x", HUGE])
def test_an_unknown_criterion_is_a_field_error_and_nothing_is_saved(
    api_for, owner, opportunity, key
):
    known = QualificationCriterion.objects.first()
    response = api_for(owner).put(
        qualification_url(opportunity), {"answers": {str(known.pk): 2, key: 1}}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"answers": {key: ["Unknown criterion."]}}
    assert not QualificationAnswer.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"answers": [1]}', "{}"])
def test_a_malformed_qualification_body_is_a_400(api_for, owner, opportunity, body):
    response = api_for(owner).put(
        qualification_url(opportunity), body, content_type="application/json"
    )
    assert response.status_code == 400


# --- Permissions --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "teammate", "admin_user"])
def test_the_team_and_admins_write(request, api_for, account, opportunity, who):
    client = api_for(request.getfixturevalue(who))
    assert client.patch(detail(opportunity), {"name": "New"}, format="json").status_code == 200
    criterion = QualificationCriterion.objects.first()
    response = client.put(
        qualification_url(opportunity), {"answers": {str(criterion.pk): 1}}, format="json"
    )
    assert response.status_code == 200
    response = client.post(URL, {"account": account.pk, "name": "Another"}, format="json")
    assert response.status_code == 201
    assert client.delete(f"{URL}{response.json()['id']}/").status_code == 204


@pytest.mark.parametrize("who", ["executive", "manager_off_team"])
def test_read_only_roles_read_but_get_403_on_writes(
    request, api_for, account, opportunity, manager, who
):
    if who == "manager_off_team":
        user = manager  # the owner and teammate report to them; they are not on the team
        assert not TeamMember.objects.filter(account=account, user=user).exists()
    else:
        user = request.getfixturevalue(who)
    client = api_for(user)
    assert client.get(detail(opportunity)).status_code == 200
    assert client.get(qualification_url(opportunity)).status_code == 200
    assert [r["id"] for r in client.get(URL).json()["results"]] == [opportunity.pk]
    assert client.patch(detail(opportunity), {"name": "X"}, format="json").status_code == 403
    assert client.put(detail(opportunity), {"name": "X"}, format="json").status_code == 403
    assert client.delete(detail(opportunity)).status_code == 403
    response = client.put(qualification_url(opportunity), {"answers": {}}, format="json")
    assert response.status_code == 403
    # Even with bad input, the answer is that they may not change the account.
    response = client.post(URL, {"account": account.pk, "name": ""}, format="json")
    assert response.status_code == 403
    assert Opportunity.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "outside_manager"])
def test_outsiders_get_404_everywhere_and_an_empty_list(
    request, api_for, account, opportunity, who
):
    client = api_for(request.getfixturevalue(who))
    assert client.get(URL).json()["results"] == []
    assert client.get(URL, {"account": account.pk}).json()["results"] == []
    for method, url in (
        ("get", detail(opportunity)),
        ("patch", detail(opportunity)),
        ("put", detail(opportunity)),
        ("delete", detail(opportunity)),
        ("get", qualification_url(opportunity)),
        ("put", qualification_url(opportunity)),
    ):
        response = getattr(client, method)(url, {"answers": {}}, format="json")
        assert response.status_code == 404, (method, url)
    response = client.post(URL, {"account": account.pk, "name": "Mine now"}, format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["account"][0]
    assert Opportunity.objects.count() == 1


def test_huge_and_unknown_ids_are_404(api_for, admin_user):
    client = api_for(admin_user)
    for url in (
        f"{URL}{HUGE}/",
        f"{URL}{HUGE}/qualification/",
        f"{URL}987654/",
        f"{URL}987654/qualification/",
        f"{CRITERIA_URL}{HUGE}/",
    ):
        assert client.get(url).status_code == 404, url


def test_signed_out_callers_are_refused(client, opportunity):
    assert client.get(URL).status_code in (401, 403)
    assert client.get(CRITERIA_URL).status_code in (401, 403)


# --- Qualification criteria ---------------------------------------------------------------


def test_everyone_signed_in_reads_the_criteria(api_for, outsider):
    response = api_for(outsider).get(CRITERIA_URL)
    assert response.status_code == 200
    assert response.json()["count"] == 8


def test_admins_create_change_and_deactivate_criteria(api_for, admin_user, owner, opportunity):
    client = api_for(admin_user)
    response = client.post(CRITERIA_URL, {"text": "Legal approved", "weight": "2"}, format="json")
    assert response.status_code == 201
    criterion = response.json()
    assert criterion["active"] is True
    url = f"{CRITERIA_URL}{criterion['id']}/"
    assert client.patch(url, {"active": False}, format="json").json()["active"] is False
    assert client.get(CRITERIA_URL, {"active": "false"}).json()["count"] == 1
    assert client.post(CRITERIA_URL, {"text": "", "weight": "1"}, format="json").status_code == 400
    response = client.post(CRITERIA_URL, {"text": "Neg", "weight": "-1"}, format="json")
    assert response.status_code == 400
    assert "weight" in response.json()


def test_others_may_not_change_criteria(api_for, owner, executive, manager):
    criterion = QualificationCriterion.objects.first()
    for user in (owner, executive, manager):
        client = api_for(user)
        assert client.post(CRITERIA_URL, {"text": "Mine", "weight": "1"}).status_code == 403
        url = f"{CRITERIA_URL}{criterion.pk}/"
        assert client.patch(url, {"active": False}, format="json").status_code == 403
        assert client.delete(url).status_code == 403


def test_an_answered_criterion_is_deactivated_not_deleted(api_for, admin_user, owner, opportunity):
    answered, unanswered = QualificationCriterion.objects.all()[:2]
    services.qualification_set(opportunity=opportunity, by=owner, answers={answered.pk: 2})
    client = api_for(admin_user)
    response = client.delete(f"{CRITERIA_URL}{answered.pk}/")
    assert response.status_code == 400
    assert "deactivate" in response.json()["non_field_errors"][0]
    assert QualificationCriterion.objects.filter(pk=answered.pk).exists()
    assert client.delete(f"{CRITERIA_URL}{unanswered.pk}/").status_code == 204


def test_the_schema_lists_the_opportunity_routes(admin_user, client):
    client.force_login(admin_user)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/opportunities/",
        "/api/v1/opportunities/{id}/qualification/",
        "/api/v1/qualification-criteria/",
    ):
        assert f"{path}:" in schema


def test_changing_a_weight_recomputes_the_stored_scores(
    api_for, admin_user, owner, account, django_capture_on_commit_callbacks
):
    """Answers yes to the first criterion only: 100·2/16 = 12.5. With its weight at 3:
    100·(3·2)/(2·10) = 30.0."""
    from opportunities import services as opportunity_services
    from opportunities.models import Opportunity, QualificationCriterion

    opportunity = opportunity_services.opportunity_create(account=account, by=owner, name="O")
    first = QualificationCriterion.objects.order_by("position", "id").first()
    opportunity_services.qualification_set(opportunity=opportunity, by=owner, answers={first.pk: 2})
    assert Opportunity.objects.get(pk=opportunity.pk).qualification_score == Decimal("12.5")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(admin_user).patch(
            f"/api/v1/qualification-criteria/{first.pk}/", {"weight": "3"}, format="json"
        )
    assert response.status_code == 200
    assert Opportunity.objects.get(pk=opportunity.pk).qualification_score == Decimal("30.0")
