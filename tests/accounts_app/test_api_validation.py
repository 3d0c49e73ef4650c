"""API v1 bad input: 400 with field errors, never 500, and nothing saved."""

import pytest
from rest_framework.test import APIClient

from accounts_app.models import Account, BusinessUnit, Contact, Relationship, TeamMember
from demo.factories import AccountFactory, BusinessUnitFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


def assert_field_error(response, field):
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()
    assert field in body, body
    assert body[field]


def counts():
    return (
        Account.objects.count(),
        BusinessUnit.objects.count(),
        Contact.objects.count(),
        TeamMember.objects.count(),
        Relationship.objects.count(),
    )


ACCOUNT = {"name": "Globex", "industry": "retail", "region": "asia_pacific"}


# --- accounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("gross_margin_pct", 150),
        ("gross_margin_pct", -1),
        ("strategic_value", 0),
        ("strategic_value", 6),
        ("annual_revenue", -10),
        ("annual_revenue", "1e20"),
        ("industry", "alchemy"),
        ("region", "mars"),
        ("lifecycle_stage", "zombie"),
        ("name", ""),
        ("name", "x" * 201),
        ("website", "not a url"),
        ("parent", "abc"),
        ("parent", 999_999),
    ],
)
def test_account_create_with_bad_input_is_400(api, field, value):
    before = counts()
    response = api.post("/api/v1/accounts/", {**ACCOUNT, field: value}, format="json")
    assert_field_error(response, field)
    assert counts() == before


@pytest.mark.parametrize("field", ["name", "industry", "region"])
def test_account_create_without_a_required_field_is_400(api, field):
    data = {key: value for key, value in ACCOUNT.items() if key != field}
    assert_field_error(api.post("/api/v1/accounts/", data, format="json"), field)


def test_account_update_with_bad_margin_is_400(api, account):
    response = api.patch(f"/api/v1/accounts/{account.pk}/", {"gross_margin_pct": 150})
    assert_field_error(response, "gross_margin_pct")
    account.refresh_from_db()
    assert str(account.gross_margin_pct) == "32.50"


def test_account_parent_cycle_is_400(api, owner, account):
    child = AccountFactory(owner=owner, parent=account)
    response = api.patch(f"/api/v1/accounts/{account.pk}/", {"parent": child.pk}, format="json")
    assert_field_error(response, "parent")
    account.refresh_from_db()
    assert account.parent is None


def test_account_cannot_be_its_own_parent(api, account):
    response = api.patch(f"/api/v1/accounts/{account.pk}/", {"parent": account.pk}, format="json")
    assert_field_error(response, "parent")


def test_read_only_account_fields_are_ignored(api, owner, account, outsider):
    response = api.patch(
        f"/api/v1/accounts/{account.pk}/", {"owner": outsider.pk, "created_at": "2000-01-01"}
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.owner == owner


def test_malformed_json_is_400(api):
    response = api.generic(
        "POST", "/api/v1/accounts/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


# --- business units -------------------------------------------------------------------------


def test_business_unit_duplicate_name_is_400(api, account):
    BusinessUnitFactory(account=account, name="Rail")
    before = counts()
    response = api.post("/api/v1/business-units/", {"account": account.pk, "name": "Rail"})
    assert response.status_code == 400
    assert response.json()
    assert counts() == before


def test_business_unit_rename_to_a_taken_name_is_400(api, account):
    BusinessUnitFactory(account=account, name="Rail")
    unit = BusinessUnitFactory(account=account, name="Metro")
    response = api.patch(f"/api/v1/business-units/{unit.pk}/", {"name": "Rail"})
    assert response.status_code == 400
    unit.refresh_from_db()
    assert unit.name == "Metro"


def test_business_unit_cannot_move_to_another_account(api, owner, account):
    unit = BusinessUnitFactory(account=account)
    mine = AccountFactory(owner=owner)
    response = api.patch(f"/api/v1/business-units/{unit.pk}/", {"account": mine.pk})
    assert_field_error(response, "account")
    unit.refresh_from_db()
    assert unit.account == account


def test_business_unit_blank_name_is_400(api, account):
    assert_field_error(
        api.post("/api/v1/business-units/", {"account": account.pk, "name": ""}), "name"
    )


# --- contacts ------------------------------------------------------------------------------


def test_contact_in_an_invisible_account_is_400(api, outsider):
    theirs = Account.objects.get(owner=outsider)
    before = counts()
    response = api.post("/api/v1/contacts/", {"account": theirs.pk, "name": "Dana"})
    assert_field_error(response, "account")
    assert counts() == before


def test_contact_business_unit_of_another_account_is_400(api, owner, account):
    other_unit = BusinessUnitFactory(account=AccountFactory(owner=owner))
    response = api.post(
        "/api/v1/contacts/",
        {"account": account.pk, "name": "Dana", "business_unit": other_unit.pk},
    )
    assert_field_error(response, "business_unit")
    assert not Contact.objects.filter(name="Dana").exists()


def test_contact_business_unit_of_an_invisible_account_is_400(api, outsider, account):
    hidden_unit = BusinessUnitFactory(account=Account.objects.get(owner=outsider))
    response = api.post(
        "/api/v1/contacts/",
        {"account": account.pk, "name": "Dana", "business_unit": hidden_unit.pk},
    )
    assert_field_error(response, "business_unit")


def test_contact_reporting_to_a_contact_of_another_account_is_400(api, owner, account):
    boss = ContactFactory(account=AccountFactory(owner=owner))
    response = api.post(
        "/api/v1/contacts/", {"account": account.pk, "name": "Dana", "reports_to": boss.pk}
    )
    assert_field_error(response, "reports_to")


def test_contact_reporting_loop_is_400(api, account, contact):
    report = ContactFactory(account=account, reports_to=contact)
    response = api.patch(f"/api/v1/contacts/{contact.pk}/", {"reports_to": report.pk})
    assert_field_error(response, "reports_to")
    contact.refresh_from_db()
    assert contact.reports_to is None


def test_contact_reporting_to_themselves_is_400(api, contact):
    response = api.patch(f"/api/v1/contacts/{contact.pk}/", {"reports_to": contact.pk})
    assert_field_error(response, "reports_to")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("name", ""),
        ("level", "overlord"),
        ("buying_role", "thief"),
        ("attitude", "furious"),
        ("business_unit", "abc"),
    ],
)
def test_contact_with_bad_field_is_400(api, account, field, value):
    before = counts()
    response = api.post(
        "/api/v1/contacts/", {"account": account.pk, "name": "Dana", field: value}, format="json"
    )
    assert_field_error(response, field)
    assert counts() == before


def test_contact_cannot_move_to_another_account(api, owner, contact):
    mine = AccountFactory(owner=owner)
    response = api.patch(f"/api/v1/contacts/{contact.pk}/", {"account": mine.pk})
    assert_field_error(response, "account")


# --- team members -----------------------------------------------------------------------------


def test_team_member_duplicate_is_400(api, teammate, account):
    before = counts()
    response = api.post(
        "/api/v1/team-members/", {"account": account.pk, "user": teammate.pk, "role": "finance"}
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert counts() == before
    assert account.team_members.get(user=teammate).role == TeamMember.Role.SALES


def test_team_member_added_as_owner_is_400(api, account):
    response = api.post(
        "/api/v1/team-members/",
        {"account": account.pk, "user": UserFactory().pk, "role": "owner"},
    )
    assert_field_error(response, "role")
    assert account.team_members.filter(role="owner").count() == 1


@pytest.mark.parametrize(
    ("field", "value"), [("role", "emperor"), ("user", 999_999), ("user", "abc")]
)
def test_team_member_with_bad_field_is_400(api, account, field, value):
    data = {"account": account.pk, "user": UserFactory().pk, "role": "sales", field: value}
    assert_field_error(api.post("/api/v1/team-members/", data), field)


def test_inactive_user_cannot_join_a_team(api, account):
    gone = UserFactory(is_active=False)
    response = api.post(
        "/api/v1/team-members/", {"account": account.pk, "user": gone.pk, "role": "sales"}
    )
    assert_field_error(response, "user")


def test_owner_cannot_be_removed_or_demoted(api, owner, account):
    mine = account.team_members.get(user=owner)
    assert api.delete(f"/api/v1/team-members/{mine.pk}/").status_code == 400
    response = api.patch(f"/api/v1/team-members/{mine.pk}/", {"role": "sales"})
    assert_field_error(response, "role")
    mine.refresh_from_db()
    assert mine.role == TeamMember.Role.OWNER


def test_team_member_cannot_change_user_or_account(api, owner, teammate, account):
    member = account.team_members.get(user=teammate)
    response = api.patch(f"/api/v1/team-members/{member.pk}/", {"user": UserFactory().pk})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.user == teammate


# --- relationships ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("strength", 7),
        ("strength", -1),
        ("target_strength", 5),
        ("last_interaction", "yesterday"),
        ("contact", 999_999),
    ],
)
def test_relationship_with_bad_field_is_400(api, owner, contact, field, value):
    data = {"contact": contact.pk, "user": owner.pk, "strength": 2, field: value}
    assert_field_error(api.post("/api/v1/relationships/", data, format="json"), field)
    assert not Relationship.objects.exists()


def test_relationship_needs_the_user_on_the_team(api, contact):
    response = api.post(
        "/api/v1/relationships/", {"contact": contact.pk, "user": UserFactory().pk, "strength": 2}
    )
    assert_field_error(response, "user")


def test_relationship_duplicate_is_400(api, owner, contact):
    data = {"contact": contact.pk, "user": owner.pk, "strength": 2}
    assert api.post("/api/v1/relationships/", data).status_code == 201
    response = api.post("/api/v1/relationships/", data)
    assert response.status_code == 400
    assert Relationship.objects.count() == 1


def test_relationship_cannot_change_its_contact(api, owner, account, contact):
    other = ContactFactory(account=account)
    created = api.post(
        "/api/v1/relationships/", {"contact": contact.pk, "user": owner.pk, "strength": 2}
    ).json()
    response = api.patch(f"/api/v1/relationships/{created['id']}/", {"contact": other.pk})
    assert response.status_code == 400
    assert Relationship.objects.get(pk=created["id"]).contact == contact


def test_relationship_strength_update_within_range(api, owner, contact):
    created = api.post(
        "/api/v1/relationships/", {"contact": contact.pk, "user": owner.pk, "strength": 2}
    ).json()
    response = api.patch(f"/api/v1/relationships/{created['id']}/", {"strength": 7})
    assert_field_error(response, "strength")
    assert Relationship.objects.get(pk=created["id"]).strength == 2
