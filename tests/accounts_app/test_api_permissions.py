"""API v1 access rules (DESIGN §1, §7): 404 for what the caller may not see, 403 for
what they may see but not change, for every resource of accounts_app."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts_app.models import (
    Account,
    BusinessUnit,
    Contact,
    DefaultIndustry,
    DefaultRegion,
    Relationship,
    TeamMember,
)
from demo.factories import BusinessUnitFactory, RelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db

READ_ONLY_ROLES = ["manager", "executive"]
RESOURCES = ["accounts", "business-units", "contacts", "team-members", "relationships"]
# Resources a team member edits; the roster (team-members) is the owner's.
TEAM_EDITABLE = ["business-units", "contacts", "relationships"]


@dataclass
class Cast:
    account: Account
    unit: BusinessUnit
    contact: Contact
    member: TeamMember  # the teammate's place on the team
    relationship: Relationship  # the teammate's relationship with the contact
    newcomer: object


@pytest.fixture
def cast(account, contact, teammate):
    return Cast(
        account=account,
        unit=BusinessUnitFactory(account=account, name="Rail Division"),
        contact=contact,
        member=account.team_members.get(user=teammate),
        relationship=RelationshipFactory(contact=contact, user=teammate, strength=2),
        newcomer=UserFactory(username="newcomer"),
    )


def the_object(resource, cast):
    return {
        "accounts": cast.account,
        "business-units": cast.unit,
        "contacts": cast.contact,
        "team-members": cast.member,
        "relationships": cast.relationship,
    }[resource]


def detail_url(resource, cast):
    return f"/api/v1/{resource}/{the_object(resource, cast).pk}/"


def create_data(resource, cast):
    return {
        "accounts": {
            "name": "Globex",
            "industry": DefaultIndustry.RETAIL,
            "region": DefaultRegion.ASIA_PACIFIC,
        },
        "business-units": {"account": cast.account.pk, "name": "Metro Division"},
        "contacts": {"account": cast.account.pk, "name": "Dana Lee"},
        "team-members": {"account": cast.account.pk, "user": cast.newcomer.pk, "role": "service"},
        "relationships": {
            "contact": cast.contact.pk,
            "user": cast.account.owner.pk,
            "strength": 3,
        },
    }[resource]


def put_data(resource, cast):
    return {
        "accounts": {
            "name": "Acme Renamed",
            "industry": DefaultIndustry.ENERGY,
            "region": DefaultRegion.WESTERN_EUROPE,
        },
        "business-units": {"account": cast.account.pk, "name": "Rail & Metro"},
        "contacts": {"account": cast.account.pk, "name": "Carla Renamed"},
        "team-members": {
            "account": cast.account.pk,
            "user": cast.member.user_id,
            "role": "technical",
        },
        "relationships": {
            "contact": cast.contact.pk,
            "user": cast.member.user_id,
            "strength": 4,
        },
    }[resource]


def patch_data(resource):
    return {
        "accounts": {"name": "Acme Patched"},
        "business-units": {"name": "Patched Division"},
        "contacts": {"title": "Chief Patcher"},
        "team-members": {"role": "finance"},
        "relationships": {"strength": 1},
    }[resource]


def state_of(account):
    """Everything the writes of these tests could change."""
    account = Account.objects.get(pk=account.pk)
    return (
        (account.name, account.industry, account.owner_id),
        list(account.business_units.order_by("pk").values_list("pk", "name", "archived")),
        list(account.contacts.order_by("pk").values_list("pk", "name", "title", "archived")),
        list(account.team_members.order_by("pk").values_list("pk", "user_id", "role")),
        list(
            Relationship.objects.filter(contact__account=account)
            .order_by("pk")
            .values_list("pk", "user_id", "strength")
        ),
    )


def listed_ids(response):
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


# --- anonymous ------------------------------------------------------------------------


@pytest.mark.parametrize("resource", [*RESOURCES, "users"])
def test_anonymous_gets_401_or_403(cast, resource):
    response = APIClient().get(f"/api/v1/{resource}/")
    # Session and token auth both offered; DRF answers 401 when the first scheme has a
    # WWW-Authenticate header to send, 403 otherwise.
    assert response.status_code in (401, 403)


# --- outsider: 404 everywhere -------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_outsider_list_excludes_the_object(api_for, outsider, cast, resource):
    ids = listed_ids(api_for(outsider).get(f"/api/v1/{resource}/"))
    assert the_object(resource, cast).pk not in ids


@pytest.mark.parametrize("resource", RESOURCES)
def test_outsider_gets_404_on_detail(api_for, outsider, cast, resource):
    assert api_for(outsider).get(detail_url(resource, cast)).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_outsider_gets_404_on_writes(api_for, outsider, cast, resource, method):
    before = state_of(cast.account)
    data = put_data(resource, cast) if method == "put" else patch_data(resource)
    response = getattr(api_for(outsider), method)(detail_url(resource, cast), data, format="json")
    assert response.status_code == 404
    assert state_of(cast.account) == before


@pytest.mark.parametrize("resource", ["business-units", "contacts", "team-members"])
def test_outsider_cannot_create_in_an_account_they_cannot_see(api_for, outsider, cast, resource):
    before = state_of(cast.account)
    response = api_for(outsider).post(
        f"/api/v1/{resource}/", create_data(resource, cast), format="json"
    )
    assert response.status_code == 400
    assert "account" in response.json()
    assert state_of(cast.account) == before


def test_outsider_cannot_relate_to_a_contact_they_cannot_see(api_for, outsider, cast):
    response = api_for(outsider).post(
        "/api/v1/relationships/",
        {"contact": cast.contact.pk, "user": outsider.pk, "strength": 2},
        format="json",
    )
    assert response.status_code == 400
    assert "contact" in response.json()


def test_outsider_error_for_a_hidden_account_matches_a_missing_one(api_for, outsider, cast):
    client = api_for(outsider)
    hidden = client.post("/api/v1/contacts/", {"account": cast.account.pk, "name": "X"})
    missing = client.post("/api/v1/contacts/", {"account": 999_999, "name": "X"})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["account"] == [
        message.replace("999999", str(cast.account.pk)) for message in missing.json()["account"]
    ]


@pytest.mark.parametrize(
    "resource", ["business-units", "contacts", "team-members", "relationships"]
)
def test_outsider_filtering_by_the_account_finds_nothing(api_for, outsider, cast, resource):
    response = api_for(outsider).get(f"/api/v1/{resource}/", {"account": cast.account.pk})
    assert listed_ids(response) == set()


# --- read-only roles: 200 on reads, 403 on writes --------------------------------------------


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_read_only_roles_can_read(request, api_for, cast, role, resource):
    client = api_for(request.getfixturevalue(role))
    assert client.get(detail_url(resource, cast)).status_code == 200
    assert the_object(resource, cast).pk in listed_ids(client.get(f"/api/v1/{resource}/"))


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_read_only_roles_get_403_on_writes(request, api_for, cast, role, resource, method):
    client = api_for(request.getfixturevalue(role))
    before = state_of(cast.account)
    data = put_data(resource, cast) if method == "put" else patch_data(resource)
    response = getattr(client, method)(detail_url(resource, cast), data, format="json")
    assert response.status_code == 403
    assert state_of(cast.account) == before


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_read_only_roles_get_403_even_with_bad_input(request, api_for, cast, role, resource):
    client = api_for(request.getfixturevalue(role))
    bad = {"name": "", "role": "emperor", "strength": 9, "title": "x" * 500}
    response = client.patch(detail_url(resource, cast), bad, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize(
    "resource", ["business-units", "contacts", "team-members", "relationships"]
)
def test_read_only_roles_get_403_on_create_in_the_account(request, api_for, cast, role, resource):
    client = api_for(request.getfixturevalue(role))
    before = state_of(cast.account)
    response = client.post(f"/api/v1/{resource}/", create_data(resource, cast), format="json")
    assert response.status_code == 403
    assert state_of(cast.account) == before


def test_executive_gets_403_creating_an_account(api_for, executive, cast):
    response = api_for(executive).post(
        "/api/v1/accounts/", create_data("accounts", cast), format="json"
    )
    assert response.status_code == 403
    assert not Account.objects.filter(name="Globex").exists()


def test_coaching_manager_may_create_an_account_of_their_own(api_for, manager, cast):
    response = api_for(manager).post(
        "/api/v1/accounts/", create_data("accounts", cast), format="json"
    )
    assert response.status_code == 201
    assert Account.objects.get(pk=response.json()["id"]).owner == manager


# --- the team: members edit, the owner manages the roster ----------------------------------


@pytest.mark.parametrize("resource", TEAM_EDITABLE)
def test_teammate_can_create(api_for, teammate, cast, resource):
    response = api_for(teammate).post(
        f"/api/v1/{resource}/", create_data(resource, cast), format="json"
    )
    assert response.status_code == 201, response.json()
    model = type(the_object(resource, cast))
    assert model.objects.filter(pk=response.json()["id"]).exists()


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("resource", ["accounts", *TEAM_EDITABLE])
def test_teammate_can_update(api_for, teammate, cast, resource, method):
    before = state_of(cast.account)
    data = put_data(resource, cast) if method == "put" else patch_data(resource)
    response = getattr(api_for(teammate), method)(detail_url(resource, cast), data, format="json")
    assert response.status_code == 200, response.json()
    assert state_of(cast.account) != before
    for field, value in data.items():
        if field in ("industry", "region"):  # written by code, read back by name
            assert (
                response.json()[field]
                == getattr(cast.account, field).__class__.objects.named(value).name
            )
        else:
            assert response.json()[field] == value


@pytest.mark.parametrize("resource", TEAM_EDITABLE)
def test_teammate_can_delete_which_archives(api_for, teammate, cast, resource):
    response = api_for(teammate).delete(detail_url(resource, cast))
    assert response.status_code == 204
    model = type(the_object(resource, cast))
    record = model.objects.filter(pk=the_object(resource, cast).pk).first()
    assert record is None or record.archived  # a relationship goes; the others archive


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_teammate_gets_403_on_team_member_changes(api_for, teammate, cast, method):
    before = state_of(cast.account)
    client = api_for(teammate)
    if method == "post":
        response = client.post(
            "/api/v1/team-members/", create_data("team-members", cast), format="json"
        )
    else:
        data = put_data("team-members", cast) if method == "put" else patch_data("team-members")
        response = getattr(client, method)(detail_url("team-members", cast), data, format="json")
    assert response.status_code == 403
    assert state_of(cast.account) == before


def test_teammate_gets_403_deleting_the_account(api_for, teammate, cast):
    assert api_for(teammate).delete(detail_url("accounts", cast)).status_code == 403
    assert Account.objects.filter(pk=cast.account.pk).exists()


@pytest.mark.parametrize("role", ["owner", "admin_user"])
def test_owner_and_admin_can_add_a_team_member(request, api_for, cast, role):
    response = api_for(request.getfixturevalue(role)).post(
        "/api/v1/team-members/", create_data("team-members", cast), format="json"
    )
    assert response.status_code == 201
    assert cast.account.team_members.get(user=cast.newcomer).role == "service"


def test_owner_can_change_a_role_and_remove_a_member(api_for, owner, cast):
    client = api_for(owner)
    response = client.patch(detail_url("team-members", cast), {"role": "finance"}, format="json")
    assert response.status_code == 200
    cast.member.refresh_from_db()
    assert cast.member.role == "finance"
    assert client.delete(detail_url("team-members", cast)).status_code == 204
    assert not TeamMember.objects.filter(pk=cast.member.pk).exists()


def test_owner_can_hand_the_account_over(api_for, owner, teammate, cast):
    response = api_for(owner).patch(
        detail_url("team-members", cast), {"role": "owner"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["role"] == "owner"
    cast.account.refresh_from_db()
    assert cast.account.owner == teammate
    assert cast.account.team_members.get(user=owner).role == "sales"


def test_owner_can_delete_the_account_which_archives_it(api_for, owner, cast):
    assert api_for(owner).delete(detail_url("accounts", cast)).status_code == 204
    assert Account.objects.get(pk=cast.account.pk).archived


def test_manager_on_the_team_edits_but_does_not_manage_the_roster(api_for, manager, cast):
    member = TeamMember.objects.create(account=cast.account, user=manager, role="sales")
    client = api_for(manager)
    assert client.patch(detail_url("contacts", cast), {"title": "CFO"}).status_code == 200
    assert client.patch(detail_url("team-members", cast), {"role": "finance"}).status_code == 403
    # In the executive sponsor's seat, the same manager reads (the seat does not write).
    member.role = "executive_sponsor"
    member.save(update_fields=["role"])
    assert client.patch(detail_url("contacts", cast), {"title": "COO"}).status_code == 403


def test_admin_can_change_everything(api_for, admin_user, cast):
    client = api_for(admin_user)
    for resource in RESOURCES:
        response = client.patch(detail_url(resource, cast), patch_data(resource), format="json")
        assert response.status_code == 200, (resource, response.json())


@pytest.mark.parametrize("role", ["executive", "teammate", "owner"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_browsable_api_renders_for_every_role(request, client, cast, role, resource):
    # The browsable API probes write permissions to decide which forms to show.
    client.force_login(request.getfixturevalue(role))
    for target in (f"/api/v1/{resource}/", detail_url(resource, cast)):
        response = client.get(target, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
