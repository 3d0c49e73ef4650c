"""API v1 contract (DESIGN §7): token auth, pagination, read-only users, creating
accounts, the list filters, the schema and docs, the health check."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts_app.models import (
    Account,
    ApiToken,
    DefaultIndustry,
    DefaultRegion,
    LifecycleStage,
    TeamMember,
    User,
)
from demo.factories import (
    PASSWORD,
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return [row["id"] for row in results(response)]


# --- token auth -----------------------------------------------------------------------


def test_token_endpoint_returns_a_token_for_good_credentials(owner):
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 200
    key = response.json()["token"]
    # Only the key's digest is stored (the details are in test_api_tokens.py).
    assert ApiToken.objects.get(user=owner).digest == hash_token(key)


def test_token_endpoint_refuses_a_wrong_password(owner):
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": "nope"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_endpoint_refuses_an_inactive_user(owner):
    owner.is_active = False
    owner.save()
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 400


def test_token_lists_only_the_users_visible_accounts(owner, account, outsider):
    key = (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "owner", "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/accounts/")
    assert [row["name"] for row in results(response)] == ["Acme Industrial"]


def test_a_bad_token_is_refused(account):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.get("/api/v1/accounts/")
    # 403 rather than 401: session auth comes first and sends no WWW-Authenticate header.
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "Invalid token."}


def test_no_credentials_is_refused(account):
    assert APIClient().get("/api/v1/accounts/").status_code in (401, 403)


def test_session_auth_works_for_the_browser(client, owner, account):
    client.force_login(owner)
    response = client.get("/api/v1/accounts/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_writes_need_the_csrf_token(owner, account):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.patch(f"/api/v1/accounts/{account.pk}/", {"name": "No CSRF"})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.name == "Acme Industrial"


# --- the shape of lists ----------------------------------------------------------------


def test_lists_are_paginated(api_for, owner):
    AccountFactory.create_batch(51, owner=owner)
    client = api_for(owner)
    first = client.get("/api/v1/accounts/")
    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 51
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert body["next"].endswith("/api/v1/accounts/?page=2")
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_account_has_the_contract_fields(api_for, owner, account):
    row = results(api_for(owner).get("/api/v1/accounts/"))[0]
    for field in (
        "id",
        "name",
        "parent",
        "industry",
        "region",
        "lifecycle_stage",
        "owner",
        "annual_revenue",
        "wallet_estimate",
        "gross_margin_pct",
        "strategic_value",
    ):
        assert field in row
    assert row["owner"] == owner.pk
    assert Decimal(row["gross_margin_pct"]) == Decimal("32.50")


@pytest.mark.parametrize(
    ("resource", "fields"),
    [
        ("business-units", {"id", "account", "name"}),
        (
            "contacts",
            {
                "id",
                "account",
                "name",
                "title",
                "business_unit",
                "reports_to",
                "level",
                "buying_role",
                "attitude",
            },
        ),
        ("team-members", {"id", "account", "user", "role"}),
        (
            "relationships",
            {"id", "contact", "user", "strength", "target_strength", "last_interaction"},
        ),
        ("users", {"id", "username", "name", "role", "manager"}),
    ],
)
def test_resources_have_the_contract_fields(api_for, owner, account, contact, resource, fields):
    BusinessUnitFactory(account=account)
    RelationshipFactory(contact=contact, user=owner)
    rows = results(api_for(owner).get(f"/api/v1/{resource}/"))
    assert rows
    assert fields <= set(rows[0])


# --- users are read-only -----------------------------------------------------------------


def test_users_are_a_read_only_directory(api_for, owner, manager):
    client = api_for(owner)
    assert {"owner", "mgr"} <= {row["username"] for row in results(client.get("/api/v1/users/"))}
    me = client.get(f"/api/v1/users/{owner.pk}/").json()
    assert me == {
        "id": owner.pk,
        "username": "owner",
        "name": "Olivia Owner",
        "role": "team_member",
        "manager": manager.pk,
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_users_refuse_writes_with_405(api_for, admin_user, owner, method):
    client = api_for(admin_user)
    url = "/api/v1/users/" if method == "post" else f"/api/v1/users/{owner.pk}/"
    response = getattr(client, method)(url, {"username": "mallory", "role": "admin"})
    assert response.status_code == 405
    owner.refresh_from_db()
    assert owner.role == User.Role.TEAM_MEMBER
    assert not User.objects.filter(username="mallory").exists()


def test_users_filter_by_role_and_manager(api_for, owner, teammate, manager, executive):
    client = api_for(owner)
    managed = {
        row["username"] for row in results(client.get("/api/v1/users/", {"manager": manager.pk}))
    }
    assert managed == {"owner", "teammate"}
    executives = results(client.get("/api/v1/users/", {"role": "executive"}))
    assert [row["username"] for row in executives] == ["exec"]


def test_inactive_users_are_not_listed(api_for, owner):
    UserFactory(username="gone", is_active=False)
    usernames = {row["username"] for row in results(api_for(owner).get("/api/v1/users/"))}
    assert "gone" not in usernames


# --- creating an account ---------------------------------------------------------------------


def test_post_account_makes_the_caller_owner_and_team_member(api_for, teammate):
    client = api_for(teammate)
    response = client.post(
        "/api/v1/accounts/",
        {
            "name": "Globex",
            "industry": DefaultIndustry.ENERGY,
            "region": DefaultRegion.ASIA_PACIFIC,
            "annual_revenue": "1200.50",
            "gross_margin_pct": 40,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == teammate.pk
    assert body["lifecycle_stage"] == LifecycleStage.DEVELOPMENT
    team = results(client.get("/api/v1/team-members/", {"account": body["id"]}))
    assert [(row["user"], row["role"]) for row in team] == [(teammate.pk, "owner")]


def test_post_account_ignores_an_owner_in_the_input(api_for, teammate, outsider):
    response = api_for(teammate).post(
        "/api/v1/accounts/",
        {"name": "Globex", "industry": "retail", "region": "asia_pacific", "owner": outsider.pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["owner"] == teammate.pk


def test_post_account_with_a_visible_parent(api_for, owner, account):
    response = api_for(owner).post(
        "/api/v1/accounts/",
        {"name": "Acme Rail", "industry": "retail", "region": "asia_pacific", "parent": account.pk},
        format="json",
    )
    assert response.status_code == 201
    assert Account.objects.get(pk=response.json()["id"]).parent == account


def test_post_account_with_an_invisible_parent_is_400(api_for, outsider, account):
    response = api_for(outsider).post(
        "/api/v1/accounts/",
        {"name": "Acme Rail", "industry": "retail", "region": "asia_pacific", "parent": account.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "parent" in response.json()


# --- list filters ----------------------------------------------------------------------------


@pytest.fixture
def two_accounts(owner, account):
    """`account` and a second account of the same owner, each with its people."""
    other = AccountFactory(owner=owner, name="Bravo Foods", region=DefaultRegion.ASIA_PACIFIC)
    for target in (account, other):
        unit = BusinessUnitFactory(account=target)
        contact = ContactFactory(account=target, business_unit=unit)
        RelationshipFactory(contact=contact, user=owner)
    return account, other


@pytest.mark.parametrize(
    "resource", ["contacts", "relationships", "team-members", "business-units"]
)
def test_lists_filter_by_account(api_for, owner, two_accounts, resource):
    account, other = two_accounts
    client = api_for(owner)
    everything = results(client.get(f"/api/v1/{resource}/"))
    filtered = results(client.get(f"/api/v1/{resource}/", {"account": other.pk}))
    assert filtered
    assert len(filtered) < len(everything)
    assert all(row["account"] == other.pk for row in filtered)


def test_accounts_filter_by_region(api_for, owner, two_accounts):
    response = api_for(owner).get("/api/v1/accounts/", {"region": DefaultRegion.ASIA_PACIFIC})
    assert [row["name"] for row in results(response)] == ["Bravo Foods"]


def test_accounts_filter_by_owner_industry_and_stage(api_for, executive, owner, outsider):
    AccountFactory(owner=owner, name="Alpha", industry=DefaultIndustry.PHARMA)
    AccountFactory(owner=owner, name="Beta", lifecycle_stage=LifecycleStage.AT_RISK)
    client = api_for(executive)
    by_owner = results(client.get("/api/v1/accounts/", {"owner": outsider.pk}))
    assert [row["name"] for row in by_owner] == ["Outsider's Own Account"]
    by_industry = results(client.get("/api/v1/accounts/", {"industry": DefaultIndustry.PHARMA}))
    assert [row["name"] for row in by_industry] == ["Alpha"]
    by_stage = results(client.get("/api/v1/accounts/", {"lifecycle_stage": "at_risk"}))
    assert [row["name"] for row in by_stage] == ["Beta"]


def test_accounts_search_and_ordering(api_for, owner, two_accounts):
    client = api_for(owner)
    assert [
        row["name"] for row in results(client.get("/api/v1/accounts/", {"search": "bravo"}))
    ] == ["Bravo Foods"]
    AccountFactory(owner=owner, name="Zulu", annual_revenue=Decimal("5"))
    ordered = results(client.get("/api/v1/accounts/", {"ordering": "annual_revenue"}))
    assert ordered[0]["name"] == "Zulu"


def test_relationships_filter_by_contact_and_user(api_for, owner, teammate, contact):
    RelationshipFactory(contact=contact, user=owner)
    RelationshipFactory(contact=contact, user=teammate)
    client = api_for(owner)
    mine = results(client.get("/api/v1/relationships/", {"user": owner.pk}))
    assert [row["user"] for row in mine] == [owner.pk]
    theirs = results(client.get("/api/v1/relationships/", {"contact": contact.pk}))
    assert len(theirs) == 2


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/contacts/?account=abc",
        "/api/v1/accounts/?region=mars",
        "/api/v1/accounts/?owner=abc",
        "/api/v1/relationships/?strength=x",
        "/api/v1/team-members/?role=emperor",
    ],
)
def test_an_invalid_filter_value_is_400(api_for, owner, account, query):
    response = api_for(owner).get(query)
    assert response.status_code == 400
    assert response.json()


def test_an_unknown_ordering_is_ignored(api_for, owner, account):
    assert api_for(owner).get("/api/v1/accounts/?ordering=password").status_code == 200


# --- schema, docs, health -----------------------------------------------------------------


def test_openapi_schema_is_served(api_for, owner):
    response = api_for(owner).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/accounts/",
        "/api/v1/business-units/",
        "/api/v1/contacts/",
        "/api/v1/team-members/",
        "/api/v1/relationships/",
        "/api/v1/users/",
    ):
        assert path in schema["paths"]


def test_api_docs_are_served_as_html(client, owner):
    client.force_login(owner)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    # Swagger UI's start-up script, served apart (no inline script: the CSP), reads the schema.
    assert '<script src="/api/docs/?script="></script>' in response.text
    assert "/api/schema/" in client.get("/api/docs/?script=").content.decode()


def test_healthz_answers_ok(client):
    # The beat is not running in the tests: "degraded", still 200 (tests/config/test_healthz.py).
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "ok"


def test_team_member_filter_by_user(api_for, owner, teammate, account):
    rows = results(api_for(owner).get("/api/v1/team-members/", {"user": teammate.pk}))
    assert [(row["user"], row["role"]) for row in rows] == [(teammate.pk, TeamMember.Role.SALES)]


@pytest.mark.parametrize(
    "resource", ["accounts", "business-units", "contacts", "team-members", "relationships"]
)
def test_list_queries_do_not_grow_with_the_rows(
    api_for, owner, resource, django_assert_max_num_queries
):
    def add_accounts(count):
        for _ in range(count):
            account = AccountFactory(owner=owner, parent=AccountFactory(owner=owner))
            unit = BusinessUnitFactory(account=account)
            boss = ContactFactory(account=account, business_unit=unit)
            contact = ContactFactory(account=account, business_unit=unit, reports_to=boss)
            RelationshipFactory(contact=contact, user=owner)

    client = api_for(owner)
    add_accounts(2)
    with CaptureQueriesContext(connection) as few:
        assert len(results(client.get(f"/api/v1/{resource}/"))) >= 2
    add_accounts(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(results(client.get(f"/api/v1/{resource}/"))) >= 10
