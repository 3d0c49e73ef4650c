"""API v1 for plans (DESIGN §7): plans and their life cycle, the items, optimistic
locking (428 / 409 / ETag), 404 for what the caller may not see, 403 for what they may
see but not change, bad input as 400 and never 500, and lists whose queries do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts_app.models import Account
from demo.factories import AccountFactory
from plans import services
from plans.models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
ITEM_RESOURCES = ["knowledge-points", "swot-items", "goals", "strategies", "tactics"]


@pytest.fixture
def items(plan, owner):
    """One of each item on the plan, by resource name."""
    point = services.item_create(
        model=KnowledgePoint, by=owner, parent=plan, text="Cut costs", kind="goal"
    )
    swot = services.item_create(model=SwotItem, by=owner, parent=plan, text="Fast", kind="strength")
    goal = services.item_create(model=Goal, by=owner, parent=plan, text="Grow services")
    strategy = services.item_create(model=Strategy, by=owner, parent=goal, text="Land a pilot")
    tactic = services.item_create(model=Tactic, by=owner, parent=strategy, text="Workshop")
    return {
        "knowledge-points": point,
        "swot-items": swot,
        "goals": goal,
        "strategies": strategy,
        "tactics": tactic,
    }


@pytest.fixture
def hidden_plan(outsider):
    account = Account.objects.get(owner=outsider)
    return services.plan_create(account=account, by=outsider, period=2027)


def url(resource, pk=None, action=None):
    path = f"/api/v1/{resource}/"
    if pk is not None:
        path += f"{pk}/"
    if action:
        path += f"{action}/"
    return path


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return [row["id"] for row in results(response)]


def create_data(resource, items, plan):
    return {
        "knowledge-points": {"plan": plan.pk, "kind": "challenge", "text": "Supply chain"},
        "swot-items": {"plan": plan.pk, "kind": "weakness", "text": "Slow quotes"},
        "goals": {
            "plan": plan.pk,
            "text": "Be their logistics partner",
            "customer_goal": items["knowledge-points"].pk,
        },
        "strategies": {"goal": items["goals"].pk, "text": "Executive sponsor"},
        "tactics": {
            "strategy": items["strategies"].pk,
            "text": "Quarterly review",
            "due_date": "2027-03-01",
            "status": "in_progress",
        },
    }[resource]


def submitted(plan, owner):
    services.plan_submit(plan=plan, by=owner)
    plan.refresh_from_db()
    return plan


def approved(plan, owner, manager):
    submitted(plan, owner)
    services.plan_approve(plan=plan, by=manager)
    plan.refresh_from_db()
    return plan


# --- plans: list, retrieve, create, update ------------------------------------------------


def test_plan_list_shows_the_plans_of_visible_accounts(api_for, owner, plan, hidden_plan):
    rows = results(api_for(owner).get(url("plans")))
    assert [row["id"] for row in rows] == [plan.pk]
    row = rows[0]
    for field in ("id", "account", "period", "status", "version", "overview"):
        assert field in row
    assert (row["account"], row["period"], row["status"], row["version"]) == (
        plan.account_id,
        2027,
        "draft",
        1,
    )


def test_plan_list_filters_by_account_period_and_status(api_for, owner, account, plan):
    other = services.plan_create(account=account, by=owner, period=2026)
    second_account = AccountFactory(owner=owner)
    third = services.plan_create(account=second_account, by=owner, period=2027)
    submitted(other, owner)
    client = api_for(owner)
    assert set(ids(client.get(url("plans"), {"account": account.pk}))) == {plan.pk, other.pk}
    assert set(ids(client.get(url("plans"), {"period": 2027}))) == {plan.pk, third.pk}
    assert ids(client.get(url("plans"), {"status": "submitted"})) == [other.pk]


@pytest.mark.parametrize(
    "params",
    [{"status": "lost"}, {"period": "soon"}, {"account": "abc"}, {"account": HUGE}],
)
def test_plan_list_refuses_bad_filters(api_for, owner, plan, params):
    assert api_for(owner).get(url("plans"), params).status_code == 400


def test_plan_list_sorts_by_updated_at(api_for, owner, account, plan):
    older = services.plan_create(account=account, by=owner, period=2026)
    Plan.objects.filter(pk=plan.pk).update(updated_at=older.updated_at.replace(year=2020))
    client = api_for(owner)
    assert ids(client.get(url("plans"))) == [older.pk, plan.pk]
    assert ids(client.get(url("plans"), {"ordering": "updated_at"})) == [plan.pk, older.pk]


def test_plan_retrieve_has_quality_failing_checks_and_an_etag(api_for, owner, plan):
    response = api_for(owner).get(url("plans", plan.pk))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert 0 <= body["quality"] <= 100
    keys = {check["key"] for check in body["failing_checks"]}
    assert "overview" in keys
    assert set(body["failing_checks"][0]) == {"key", "label", "advice"}


def test_owner_creates_a_plan(api_for, owner, account):
    response = api_for(owner).post(
        url("plans"), {"account": account.pk, "period": 2028, "overview": "Big year"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["period"], body["status"], body["overview"]) == (2028, "draft", "Big year")
    assert Plan.objects.get(pk=body["id"]).created_by == owner


def test_a_second_plan_for_the_same_period_is_a_400(api_for, owner, account, plan):
    response = api_for(owner).post(url("plans"), {"account": account.pk, "period": 2027})
    assert response.status_code == 400
    assert "period" in response.json()


def test_creating_a_plan_for_an_invisible_account_says_it_does_not_exist(api_for, owner, outsider):
    hidden = Account.objects.get(owner=outsider)
    response = api_for(owner).post(url("plans"), {"account": hidden.pk})
    assert response.status_code == 400
    assert "does not exist" in str(response.json()["account"])
    assert not Plan.objects.filter(account=hidden).exists()


def test_executive_cannot_create_a_plan(api_for, executive, account):
    assert api_for(executive).post(url("plans"), {"account": account.pk}).status_code == 403


def test_plans_are_not_deleted_through_the_api(api_for, owner, plan):
    assert api_for(owner).delete(url("plans", plan.pk)).status_code == 405
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_teammate_updates_overview_and_financials(api_for, teammate, plan):
    response = api_for(teammate).patch(
        url("plans", plan.pk),
        {"version": 1, "overview": "New", "revenue_target": "1000000.00", "revenue_q1": 250000},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    body = response.json()
    assert (body["version"], body["overview"], body["revenue_target"]) == (2, "New", "1000000.00")
    plan.refresh_from_db()
    assert (plan.version, plan.overview) == (2, "New")


def test_status_and_period_of_a_plan_are_read_only(api_for, owner, plan):
    response = api_for(owner).patch(
        url("plans", plan.pk), {"version": 1, "status": "approved", "period": 1999}, format="json"
    )
    assert response.status_code == 200
    plan.refresh_from_db()
    assert (plan.status, plan.period) == ("draft", 2027)


@pytest.mark.parametrize(
    "data",
    [
        {"margin_target_pct": "1e20"},
        {"revenue_target": "lots"},
        {"overview": "x" * 20_001},
        {"version": "abc"},
        {"version": -1},
    ],
)
def test_bad_plan_input_is_a_400(api_for, owner, plan, data):
    response = api_for(owner).patch(url("plans", plan.pk), {"version": 1, **data}, format="json")
    assert response.status_code == 400, response.content
    plan.refresh_from_db()
    assert plan.version == 1


def test_non_json_is_a_400(api_for, owner, plan):
    response = api_for(owner).generic(
        "PATCH", url("plans", plan.pk), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    response = api_for(owner).generic(
        "POST", url("tactics"), "[1, 2", content_type="application/json"
    )
    assert response.status_code == 400


# --- optimistic locking ------------------------------------------------------------------


def test_an_update_without_a_version_is_a_428(api_for, owner, plan, items):
    client = api_for(owner)
    response = client.patch(url("plans", plan.pk), {"overview": "x"}, format="json")
    assert response.status_code == 428
    assert "version" in response.json()["detail"]
    response = client.patch(url("tactics", items["tactics"].pk), {"text": "x"}, format="json")
    assert response.status_code == 428
    plan.refresh_from_db()
    assert plan.overview == ""


@pytest.mark.parametrize("header", ['"1"', "1", 'W/"1"'])
def test_if_match_names_the_version(api_for, owner, plan, header):
    response = api_for(owner).patch(
        url("plans", plan.pk), {"overview": "x"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'


def test_a_malformed_if_match_is_a_400(api_for, owner, plan):
    response = api_for(owner).patch(
        url("plans", plan.pk), {"overview": "x"}, format="json", HTTP_IF_MATCH="banana"
    )
    assert response.status_code == 400


def test_a_stale_plan_version_is_a_409_with_the_current_plan(api_for, owner, teammate, plan):
    services.plan_update(plan=plan, by=teammate, version=1, overview="Theirs")
    response = api_for(owner).patch(
        url("plans", plan.pk), {"overview": "Mine"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 409
    body = response.json()
    assert "someone else" in body["detail"]
    assert (body["current"]["overview"], body["current"]["version"]) == ("Theirs", 2)
    plan.refresh_from_db()
    assert plan.overview == "Theirs"


def test_a_stale_tactic_version_is_a_409_with_the_current_tactic(api_for, owner, teammate, items):
    tactic = items["tactics"]
    services.item_update(item=tactic, by=teammate, version=1, text="Theirs")
    response = api_for(owner).patch(
        url("tactics", tactic.pk), {"version": 1, "text": "Mine"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["text"] == "Theirs"
    assert response.json()["current"]["version"] == 2
    tactic.refresh_from_db()
    assert tactic.text == "Theirs"


def test_a_transition_moves_the_version_on(api_for, owner, plan):
    submitted(plan, owner)
    response = api_for(owner).patch(
        url("plans", plan.pk), {"version": 1, "overview": "x"}, format="json"
    )
    assert response.status_code == 409


# --- the life cycle -----------------------------------------------------------------------


def test_owner_submits_and_manager_approves(api_for, owner, manager, plan):
    response = api_for(owner).post(url("plans", plan.pk, "submit"), {"comment": "Ready"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("submitted", 2)
    assert response["ETag"] == '"2"'
    response = api_for(manager).post(url("plans", plan.pk, "approve"), {})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"


def test_teammate_cannot_submit(api_for, teammate, plan):
    assert api_for(teammate).post(url("plans", plan.pk, "submit")).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_owner_cannot_approve_her_own_plan(api_for, owner, plan):
    submitted(plan, owner)
    assert api_for(owner).post(url("plans", plan.pk, "approve")).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_manager_requests_changes_with_a_comment(api_for, owner, manager, plan):
    submitted(plan, owner)
    client = api_for(manager)
    response = client.post(url("plans", plan.pk, "request-changes"), {}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    response = client.post(
        url("plans", plan.pk, "request-changes"), {"comment": "   "}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        url("plans", plan.pk, "request-changes"), {"comment": "Add targets"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "changes_requested"


def test_teammate_cannot_request_changes_even_without_a_comment(api_for, owner, teammate, plan):
    submitted(plan, owner)
    response = api_for(teammate).post(url("plans", plan.pk, "request-changes"), {})
    assert response.status_code == 403


def test_approving_a_draft_is_a_400(api_for, manager, plan):
    response = api_for(manager).post(url("plans", plan.pk, "approve"))
    assert response.status_code == 400
    assert "submitted" in str(response.json())


def test_an_approved_plan_refuses_item_writes_until_reopened(api_for, owner, manager, plan, items):
    approved(plan, owner, manager)
    client = api_for(owner)
    tactic = items["tactics"]
    assert (
        client.patch(url("tactics", tactic.pk), {"version": 1, "text": "x"}, format="json")
    ).status_code == 403
    assert client.delete(url("tactics", tactic.pk)).status_code == 403
    assert (
        client.post(url("swot-items"), {"plan": plan.pk, "kind": "threat", "text": "Rival"})
    ).status_code == 403
    assert (
        client.patch(url("plans", plan.pk), {"version": 3, "overview": "x"}, format="json")
    ).status_code == 403

    response = client.post(url("plans", plan.pk, "reopen"), {"comment": "New facts"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    response = client.patch(url("tactics", tactic.pk), {"version": 1, "text": "x"}, format="json")
    assert response.status_code == 200


def test_executive_reads_everything_but_every_write_is_a_403(
    api_for, executive, owner, plan, items
):
    submitted(plan, owner)
    client = api_for(executive)
    assert ids(client.get(url("plans"))) == [plan.pk]
    assert client.get(url("plans", plan.pk)).status_code == 200
    for resource, item in items.items():
        assert client.get(url(resource, item.pk)).status_code == 200
        assert item.pk in ids(client.get(url(resource)))
        assert (
            client.patch(url(resource, item.pk), {"version": 1, "text": "x"}, format="json")
        ).status_code == 403, resource
        assert client.delete(url(resource, item.pk)).status_code == 403
        assert client.post(url(resource, item.pk, "restore")).status_code == 403
        assert (
            client.post(url(resource), create_data(resource, items, plan), format="json")
        ).status_code == 403, resource
    assert (
        client.patch(url("plans", plan.pk), {"version": 2, "overview": "x"}, format="json")
    ).status_code == 403
    for step in ("submit", "approve", "reopen", "clone"):
        assert client.post(url("plans", plan.pk, step)).status_code == 403, step
    assert (
        client.post(url("plans", plan.pk, "request-changes"), {"comment": "no"})
    ).status_code == 403


def test_outsider_gets_404_everywhere_and_empty_lists(api_for, outsider, plan, items):
    client = api_for(outsider)
    assert ids(client.get(url("plans"))) == []
    assert client.get(url("plans", plan.pk)).status_code == 404
    assert (
        client.patch(url("plans", plan.pk), {"version": 1, "overview": "x"}, format="json")
    ).status_code == 404
    for step in ("submit", "approve", "request-changes", "reopen", "clone"):
        assert client.post(url("plans", plan.pk, step), {"comment": "x"}).status_code == 404
    for resource, item in items.items():
        assert ids(client.get(url(resource))) == []
        assert client.get(url(resource, item.pk)).status_code == 404
        assert (
            client.patch(url(resource, item.pk), {"version": 1, "text": "x"}, format="json")
        ).status_code == 404
        assert client.delete(url(resource, item.pk)).status_code == 404
        assert client.post(url(resource, item.pk, "restore")).status_code == 404
        response = client.post(url(resource), create_data(resource, items, plan), format="json")
        assert response.status_code == 400, resource
        assert "does not exist" in str(response.json())
    for model in (KnowledgePoint, SwotItem, Goal, Strategy, Tactic):
        assert model.objects.count() == 1


def test_ids_past_64_bits_are_404(api_for, owner, plan):
    client = api_for(owner)
    for resource in ["plans", *ITEM_RESOURCES]:
        assert client.get(url(resource, HUGE)).status_code == 404
        assert client.patch(url(resource, HUGE), {"version": 1}).status_code == 404
    assert client.post(url("plans", HUGE, "submit")).status_code == 404


# --- clone --------------------------------------------------------------------------------


def test_clone_makes_the_next_periods_plan_with_open_tactics_only(api_for, owner, plan, items):
    strategy = items["strategies"]
    services.item_create(model=Tactic, by=owner, parent=strategy, text="Done", status="done")
    response = api_for(owner).post(url("plans", plan.pk, "clone"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["period"], body["status"], body["version"]) == (2028, "draft", 1)
    texts = list(
        Tactic.objects.filter(strategy__goal__plan_id=body["id"]).values_list("text", flat=True)
    )
    assert texts == ["Workshop"]
    assert api_for(owner).post(url("plans", plan.pk, "clone")).status_code == 400


# --- items --------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ITEM_RESOURCES)
def test_teammate_creates_each_item(api_for, teammate, plan, items, resource):
    response = api_for(teammate).post(
        url(resource), create_data(resource, items, plan), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["position"], body["version"], body["deleted"]) == (2, 1, False)
    for key, value in create_data(resource, items, plan).items():
        assert body[key] == value


@pytest.mark.parametrize("resource", ITEM_RESOURCES)
def test_each_item_updates_with_its_version(api_for, teammate, items, resource):
    item = items[resource]
    response = api_for(teammate).patch(
        url(resource, item.pk), {"text": "Changed"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert (response.json()["text"], response.json()["version"]) == ("Changed", 2)
    response = api_for(teammate).get(url(resource, item.pk))
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize("resource", ITEM_RESOURCES)
def test_each_item_is_soft_deleted_and_restored(api_for, owner, items, resource):
    item = items[resource]
    client = api_for(owner)
    assert client.delete(url(resource, item.pk)).status_code == 204
    assert item.pk not in ids(client.get(url(resource)))
    assert ids(client.get(url(resource), {"deleted": "true"})) == [item.pk]
    assert client.get(url(resource, item.pk)).json()["deleted"] is True
    response = client.post(url(resource, item.pk, "restore"))
    assert response.status_code == 200
    assert response.json()["deleted"] is False
    assert item.pk in ids(client.get(url(resource)))


def test_a_deleted_item_cannot_be_edited(api_for, owner, items):
    tactic = items["tactics"]
    services.item_delete(item=tactic, by=owner)
    response = api_for(owner).patch(
        url("tactics", tactic.pk), {"version": 1, "text": "x"}, format="json"
    )
    assert response.status_code == 400


def test_item_lists_filter_by_their_parent(api_for, owner, account, plan, items):
    other_plan = services.plan_create(account=account, by=owner, period=2026)
    other_goal = services.item_create(model=Goal, by=owner, parent=other_plan, text="Other")
    other_strategy = services.item_create(model=Strategy, by=owner, parent=other_goal, text="Other")
    other_tactic = services.item_create(model=Tactic, by=owner, parent=other_strategy, text="Other")
    client = api_for(owner)
    assert ids(client.get(url("goals"), {"plan": plan.pk})) == [items["goals"].pk]
    assert ids(client.get(url("goals"), {"plan": other_plan.pk})) == [other_goal.pk]
    assert ids(client.get(url("strategies"), {"goal": other_goal.pk})) == [other_strategy.pk]
    assert ids(client.get(url("tactics"), {"strategy": items["strategies"].pk})) == [
        items["tactics"].pk
    ]
    assert ids(client.get(url("tactics"), {"plan": other_plan.pk})) == [other_tactic.pk]
    assert ids(client.get(url("knowledge-points"), {"plan": other_plan.pk})) == []
    assert ids(client.get(url("swot-items"), {"plan": plan.pk, "kind": "strength"})) == [
        items["swot-items"].pk
    ]
    assert ids(client.get(url("swot-items"), {"plan": plan.pk, "kind": "threat"})) == []


def test_tactic_owner_and_due_date(api_for, owner, teammate, outsider, items):
    tactic = items["tactics"]
    client = api_for(owner)
    response = client.patch(
        url("tactics", tactic.pk),
        {"version": 1, "owner": teammate.pk, "due_date": "2027-06-30", "status": "done"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["owner"], response.json()["due_date"]) == (teammate.pk, "2027-06-30")
    response = client.patch(
        url("tactics", tactic.pk), {"version": 2, "owner": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()


def test_an_item_cannot_move_to_another_parent(api_for, owner, account, items):
    other = services.plan_create(account=account, by=owner, period=2026)
    response = api_for(owner).patch(
        url("goals", items["goals"].pk), {"version": 1, "plan": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "plan" in response.json()


def test_a_customer_goal_from_another_plan_is_refused(api_for, owner, account, plan):
    other = services.plan_create(account=account, by=owner, period=2026)
    point = services.item_create(
        model=KnowledgePoint, by=owner, parent=other, text="Theirs", kind="goal"
    )
    response = api_for(owner).post(
        url("goals"), {"plan": plan.pk, "text": "x", "customer_goal": point.pk}, format="json"
    )
    assert response.status_code == 400
    assert "customer_goal" in response.json()


@pytest.mark.parametrize(
    ("resource", "data"),
    [
        ("knowledge-points", {"kind": "rumour", "text": "x"}),
        ("swot-items", {"kind": "strength", "text": ""}),
        ("swot-items", {"kind": "strength", "text": "   "}),
        ("swot-items", {"kind": "strength", "text": "x" * 5_001}),
        ("swot-items", {"text": "no kind"}),
        ("swot-items", {"kind": "strength", "text": "x", "plan": HUGE}),
        ("swot-items", {"kind": "strength", "text": "x", "plan": "abc"}),
        ("tactics", {"text": "x", "status": "someday"}),
        ("tactics", {"text": "x", "due_date": "tomorrow"}),
        ("tactics", {"text": "x", "owner": HUGE}),
        ("tactics", {"text": "x", "strategy": HUGE}),
    ],
)
def test_bad_item_input_is_a_400(api_for, owner, plan, items, resource, data):
    body = {"plan": plan.pk, **data} if resource != "tactics" else data
    if resource == "tactics":
        body = {"strategy": items["strategies"].pk, **data}
    response = api_for(owner).post(url(resource), body, format="json")
    assert response.status_code == 400, response.content


def test_a_deleted_goal_is_no_parent(api_for, owner, items):
    services.item_delete(item=items["goals"], by=owner)
    response = api_for(owner).post(
        url("strategies"), {"goal": items["goals"].pk, "text": "x"}, format="json"
    )
    assert response.status_code == 400


# --- queries ------------------------------------------------------------------------------


def _list_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_plan_list_queries_do_not_grow_with_rows(api_for, owner):
    client = api_for(owner)
    for period in range(2001, 2004):
        services.plan_create(account=AccountFactory(owner=owner), by=owner, period=period)
    few = _list_queries(client, url("plans"))
    for period in range(2004, 2031):
        services.plan_create(account=AccountFactory(owner=owner), by=owner, period=period)
    assert results(client.get(url("plans"))).__len__() == 30
    assert _list_queries(client, url("plans")) == few


def test_tactic_list_queries_do_not_grow_with_rows(api_for, owner, teammate, items):
    client = api_for(owner)
    strategy = items["strategies"]
    for n in range(2):
        services.item_create(model=Tactic, by=owner, parent=strategy, text=f"T{n}", owner=teammate)
    few = _list_queries(client, url("tactics"))
    for n in range(27):
        services.item_create(model=Tactic, by=owner, parent=strategy, text=f"U{n}", owner=teammate)
    assert len(results(client.get(url("tactics")))) == 30
    assert _list_queries(client, url("tactics")) == few


def test_the_schema_documents_the_plans_api(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/v1/plans/", "/api/v1/plans/{id}/request-changes/", "/api/v1/tactics/"):
        assert f"{path}:" in schema
    assert "If-Match" in schema


def test_the_list_carries_the_stored_quality(api_for, owner, account):
    from plans import services as plan_services

    plan = plan_services.plan_create(account=account, by=owner, period=2031)
    rows = api_for(owner).get("/api/v1/plans/", {"period": 2031}).json()["results"]
    assert [(r["id"], r["quality"]) for r in rows] == [(plan.pk, 37.5)]


def test_the_plans_revenue_figures_read_amounts_as_typed():
    from core.api import AmountField
    from plans.api.plans import PlanSerializer

    fields = PlanSerializer().fields
    amounts = [name for name, field in fields.items() if isinstance(field, AmountField)]
    assert amounts == [
        "revenue_q1",
        "revenue_q2",
        "revenue_q3",
        "revenue_q4",
        "revenue_target",
        "wallet_estimate",
    ]
    assert fields["revenue_target"].run_validation("1.2M") == 1_200_000
