"""HTML views of an account's people: the Contacts tab, business units and the Team tab."""

import json
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts_app.models import Account, BusinessUnit, Contact, TeamMember
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


HTMX = {"HTTP_HX_REQUEST": "true"}
HISTORY_RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
READ_ONLY_ROLES = ["manager", "executive"]


@dataclass
class Cast:
    account: Account
    contact: Contact
    unit: BusinessUnit
    member: TeamMember  # the teammate's place on the team
    newcomer: object  # a user who may be added to the team


@pytest.fixture
def cast(account, contact, teammate):
    return Cast(
        account=account,
        contact=contact,
        unit=BusinessUnitFactory(account=account, name="Rail Division"),
        member=account.team_members.get(user=teammate),
        newcomer=UserFactory(username="newcomer"),
    )


def url(name, cast, *extra):
    return reverse(f"accounts:{name}", args=[cast.account.pk, *extra])


# name → (how its URL is built, the kind of page, a valid POST)
PAGES = {
    "contacts": (lambda c: url("contacts", c), "read", None),
    "team": (lambda c: url("team", c), "read", None),
    "contact_create": (
        lambda c: url("contact_create", c),
        "form",
        lambda c: contact_post(name="Dana Lee"),
    ),
    "contact_edit": (
        lambda c: url("contact_edit", c, c.contact.pk),
        "form",
        lambda c: contact_post(name="Carla Renamed"),
    ),
    "contact_delete": (lambda c: url("contact_delete", c, c.contact.pk), "post", lambda c: {}),
    "business_unit_create": (
        lambda c: url("business_unit_create", c),
        "form",
        lambda c: {"name": "Metro Division"},
    ),
    "business_unit_edit": (
        lambda c: url("business_unit_edit", c, c.unit.pk),
        "form",
        lambda c: {"name": "Rail & Metro"},
    ),
    "business_unit_delete": (
        lambda c: url("business_unit_delete", c, c.unit.pk),
        "post",
        lambda c: {},
    ),
    "team_add": (
        lambda c: url("team_add", c),
        "roster",
        lambda c: {"user": c.newcomer.pk, "role": TeamMember.Role.SERVICE},
    ),
    "team_role": (
        lambda c: url("team_role", c, c.member.pk),
        "roster",
        lambda c: {"role": TeamMember.Role.TECHNICAL},
    ),
    "team_remove": (lambda c: url("team_remove", c, c.member.pk), "roster", lambda c: {}),
}
READ_PAGES = [name for name, (_, kind, _) in PAGES.items() if kind == "read"]
FORM_PAGES = [name for name, (_, kind, _) in PAGES.items() if kind == "form"]
WRITES = [name for name, (_, kind, _) in PAGES.items() if kind != "read"]
EDITS = [name for name, (_, kind, _) in PAGES.items() if kind in ("form", "post")]
ROSTER = [name for name, (_, kind, _) in PAGES.items() if kind == "roster"]
GETTABLE = READ_PAGES + FORM_PAGES


def page_url(name, cast):
    return PAGES[name][0](cast)


def valid_post(name, cast):
    return PAGES[name][2](cast)


def contact_post(**overrides):
    data = {
        "name": "Dana Lee",
        "title": "",
        "email": "",
        "phone": "",
        "business_unit": "",
        "reports_to": "",
        "level": Contact.Level.MIDDLE,
        "buying_role": Contact.BuyingRole.NONE,
        "attitude": Contact.Attitude.UNKNOWN,
        "notes": "",
    }
    data.update(overrides)
    return data


def state_of(account):
    """Everything a write on these pages could change."""
    return (
        list(account.contacts.order_by("pk").values_list("pk", "name", "archived")),
        list(account.business_units.order_by("pk").values_list("pk", "name", "archived")),
        list(account.team_members.order_by("pk").values_list("pk", "user_id", "role")),
    )


# --- anonymous, outsider --------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", list(PAGES))
def test_anonymous_is_redirected_to_login(client, cast, name, method):
    target = page_url(name, cast)
    response = getattr(client, method)(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("name", GETTABLE)
def test_outsider_gets_404_on_get(client_for, outsider, cast, name, headers):
    response = client_for(outsider).get(page_url(name, cast), **headers)
    assert response.status_code == 404
    assert "Acme Industrial" not in response.text


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("name", WRITES)
def test_outsider_gets_404_on_post(client_for, outsider, cast, name, headers):
    before = state_of(cast.account)
    response = client_for(outsider).post(page_url(name, cast), valid_post(name, cast), **headers)
    assert response.status_code == 404
    assert state_of(cast.account) == before


def test_outsider_gets_404_on_contact_edit(client_for, outsider, cast):
    response = client_for(outsider).get(url("contact_edit", cast, cast.contact.pk))
    assert response.status_code == 404


def test_objects_of_another_account_are_404_even_for_team_members(client_for, teammate, cast):
    # Another account's contact, unit and member addressed through our account's URLs.
    other = AccountFactory(owner=UserFactory())
    foreign_contact = ContactFactory(account=other)
    foreign_unit = BusinessUnitFactory(account=other)
    foreign_member = other.team_members.get()
    client = client_for(teammate)
    account_id = cast.account.pk
    for name, object_id in [
        ("contact_edit", foreign_contact.pk),
        ("business_unit_edit", foreign_unit.pk),
    ]:
        target = reverse(f"accounts:{name}", args=[account_id, object_id])
        assert client.get(target).status_code == 404
        assert client.post(target, {"name": "Stolen"}).status_code == 404
    for name, object_id in [
        ("contact_delete", foreign_contact.pk),
        ("business_unit_delete", foreign_unit.pk),
    ]:
        target = reverse(f"accounts:{name}", args=[account_id, object_id])
        assert client.post(target).status_code == 404
    assert Contact.objects.filter(pk=foreign_contact.pk, name=foreign_contact.name).exists()
    assert BusinessUnit.objects.filter(pk=foreign_unit.pk).exists()
    owner_client = client_for(cast.account.owner)
    target = reverse("accounts:team_remove", args=[account_id, foreign_member.pk])
    assert owner_client.post(target).status_code == 404
    assert TeamMember.objects.filter(pk=foreign_member.pk).exists()


# --- read-only roles ------------------------------------------------------------------------


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("name", READ_PAGES)
def test_read_only_roles_can_read_the_tabs(request, client_for, cast, role, name):
    client = client_for(request.getfixturevalue(role))
    assert client.get(page_url(name, cast)).status_code == 200
    assert client.get(page_url(name, cast), **HTMX).status_code == 200


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("name", FORM_PAGES)
def test_read_only_roles_get_403_on_form_pages(request, client_for, cast, role, name):
    client = client_for(request.getfixturevalue(role))
    assert client.get(page_url(name, cast)).status_code == 403
    assert client.get(page_url(name, cast), **HTMX).status_code == 403


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("name", WRITES)
def test_read_only_roles_get_403_on_every_write(request, client_for, cast, role, name, headers):
    client = client_for(request.getfixturevalue(role))
    before = state_of(cast.account)
    response = client.post(page_url(name, cast), valid_post(name, cast), **headers)
    assert response.status_code == 403
    assert state_of(cast.account) == before


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_see_no_write_controls(request, client_for, cast, role):
    client = client_for(request.getfixturevalue(role))
    contacts = client.get(url("contacts", cast)).text
    team = client.get(url("team", cast)).text
    assert url("contact_create", cast) not in contacts
    assert url("contact_edit", cast, cast.contact.pk) not in contacts
    assert url("team_add", cast) not in team
    assert url("team_remove", cast, cast.member.pk) not in team


# --- team members and the owner ------------------------------------------------------------


@pytest.mark.parametrize("name", GETTABLE)
def test_teammate_can_open_the_tabs_and_forms(client_for, teammate, cast, name):
    assert client_for(teammate).get(page_url(name, cast)).status_code == 200


@pytest.mark.parametrize("name", EDITS)
def test_teammate_can_write_contacts_and_business_units(client_for, teammate, cast, name):
    before = state_of(cast.account)
    response = client_for(teammate).post(page_url(name, cast), valid_post(name, cast))
    assert response.status_code == 302
    assert state_of(cast.account) != before


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("name", ROSTER)
def test_teammate_gets_403_on_roster_changes(client_for, teammate, cast, name, headers):
    before = state_of(cast.account)
    response = client_for(teammate).post(page_url(name, cast), valid_post(name, cast), **headers)
    assert response.status_code == 403
    assert state_of(cast.account) == before


@pytest.mark.parametrize("role", ["teammate", "manager"])
def test_team_tab_shows_no_roster_controls_to_non_owners(request, client_for, cast, role):
    user = request.getfixturevalue(role)
    if role == "manager":
        TeamMember.objects.create(account=cast.account, user=user, role="executive_sponsor")
    response = client_for(user).get(url("team", cast))
    assert response.status_code == 200
    assert url("team_add", cast) not in response.text
    assert url("team_role", cast, cast.member.pk) not in response.text


@pytest.mark.parametrize("name", ["contact_delete", "business_unit_delete", *ROSTER])
def test_post_only_views_refuse_get(client_for, owner, cast, name):
    assert client_for(owner).get(page_url(name, cast)).status_code == 405


@pytest.mark.parametrize("role", ["owner", "admin_user"])
def test_owner_and_admin_can_add_a_team_member(request, client_for, cast, role):
    client = client_for(request.getfixturevalue(role))
    response = client.post(url("team_add", cast), valid_post("team_add", cast))
    assert response.status_code == 302
    assert response["Location"] == url("team", cast)
    member = cast.account.team_members.get(user=cast.newcomer)
    assert member.role == TeamMember.Role.SERVICE


def test_owner_can_change_a_role(client_for, owner, cast):
    response = client_for(owner).post(url("team_role", cast, cast.member.pk), {"role": "finance"})
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.role == TeamMember.Role.FINANCE


def test_owner_can_hand_the_account_over(client_for, owner, teammate, cast):
    client = client_for(owner)
    client.post(url("team_role", cast, cast.member.pk), {"role": TeamMember.Role.OWNER})
    cast.account.refresh_from_db()
    assert cast.account.owner == teammate
    assert cast.account.team_members.get(user=owner).role == TeamMember.Role.SALES
    # The former owner is now a plain member: the roster is no longer theirs.
    response = client.post(url("team_remove", cast, cast.member.pk))
    assert response.status_code == 403


def test_owner_cannot_demote_themselves(client_for, owner, cast):
    mine = cast.account.team_members.get(user=owner)
    client = client_for(owner)
    response = client.post(url("team_role", cast, mine.pk), {"role": "sales"}, follow=True)
    assert "make someone else the owner first" in response.text
    mine.refresh_from_db()
    assert mine.role == TeamMember.Role.OWNER


def test_invalid_role_is_reported(client_for, owner, cast):
    response = client_for(owner).post(
        url("team_role", cast, cast.member.pk), {"role": "king"}, follow=True
    )
    assert "Choose a valid role." in response.text
    cast.member.refresh_from_db()
    assert cast.member.role == TeamMember.Role.SALES


def test_owner_can_remove_a_member(client_for, owner, teammate, cast):
    response = client_for(owner).post(url("team_remove", cast, cast.member.pk))
    assert response.status_code == 302
    assert not cast.account.team_members.filter(user=teammate).exists()


def test_owner_cannot_be_removed(client_for, owner, cast):
    mine = cast.account.team_members.get(user=owner)
    response = client_for(owner).post(url("team_remove", cast, mine.pk), follow=True)
    assert response.status_code == 200
    assert "The account owner cannot be removed" in response.text
    assert TeamMember.objects.filter(pk=mine.pk).exists()


def test_team_add_offers_only_users_not_yet_on_the_team(client_for, owner, teammate, cast):
    response = client_for(owner).get(url("team", cast))
    form = response.context["form"]
    choices = set(form.fields["user"].queryset)
    assert cast.newcomer in choices
    assert teammate not in choices and owner not in choices


def test_team_add_with_a_member_already_on_the_team_shows_an_error(
    client_for, owner, teammate, cast
):
    response = client_for(owner).post(url("team_add", cast), {"user": teammate.pk, "role": "sales"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert cast.account.team_members.count() == 2


def test_team_add_refuses_the_owner_role(client_for, owner, cast):
    response = client_for(owner).post(
        url("team_add", cast), {"user": cast.newcomer.pk, "role": TeamMember.Role.OWNER}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not cast.account.team_members.filter(user=cast.newcomer).exists()


# --- htmx -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GETTABLE)
def test_htmx_get_returns_only_the_tabs_fragment(client_for, teammate, cast, name):
    response = client_for(teammate).get(page_url(name, cast), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="account-tabs"' in response.text


@pytest.mark.parametrize("name", READ_PAGES)
def test_history_restore_returns_the_full_page(client_for, teammate, cast, name):
    response = client_for(teammate).get(page_url(name, cast), **HISTORY_RESTORE)
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="account-tabs"' in response.text


@pytest.mark.parametrize(
    ("name", "lands_on"),
    [
        ("contact_create", "contacts"),
        ("contact_edit", "contacts"),
        ("contact_delete", "contacts"),
        ("business_unit_create", "detail"),
        ("business_unit_edit", "detail"),
        ("business_unit_delete", "detail"),
    ],
)
def test_htmx_post_success_answers_with_hx_location(client_for, teammate, cast, name, lands_on):
    before = state_of(cast.account)
    response = client_for(teammate).post(page_url(name, cast), valid_post(name, cast), **HTMX)
    assert response.status_code == 200
    location = json.loads(response["HX-Location"])
    assert location["path"] == url(lands_on, cast)
    assert location["target"] == "#account-tabs"
    assert state_of(cast.account) != before


@pytest.mark.parametrize("name", ROSTER)
def test_htmx_roster_change_answers_with_hx_location(client_for, owner, cast, name):
    response = client_for(owner).post(page_url(name, cast), valid_post(name, cast), **HTMX)
    assert response.status_code == 200
    assert json.loads(response["HX-Location"])["path"] == url("team", cast)


def test_htmx_post_with_errors_returns_the_fragment_with_errors(client_for, teammate, cast):
    response = client_for(teammate).post(url("contact_create", cast), contact_post(name=""), **HTMX)
    assert response.status_code == 200
    assert "HX-Location" not in response
    assert "<html" not in response.text
    assert "This field is required." in response.text


def test_plain_post_success_redirects_and_shows_a_message(client_for, teammate, cast):
    response = client_for(teammate).post(
        url("contact_create", cast), contact_post(name="Dana Lee"), follow=True
    )
    assert response.redirect_chain == [(url("contacts", cast), 302)]
    assert "Contact “Dana Lee” added." in response.text


# --- contact and business unit forms -------------------------------------------------------


def test_contact_form_with_bad_input_shows_errors_and_keeps_the_input(client_for, teammate, cast):
    before = state_of(cast.account)
    response = client_for(teammate).post(
        url("contact_create", cast),
        contact_post(name="", email="not-an-email", title="VP Operations"),
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert "This field is required." in response.text
    assert 'value="not-an-email"' in response.text
    assert 'value="VP Operations"' in response.text
    assert state_of(cast.account) == before


def test_contact_edit_with_bad_input_changes_nothing(client_for, teammate, cast):
    response = client_for(teammate).post(
        url("contact_edit", cast, cast.contact.pk), contact_post(name="", email="not-an-email")
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    cast.contact.refresh_from_db()
    assert cast.contact.name == "Carla Buyer"


def test_contact_form_offers_only_this_accounts_units_and_people(client_for, teammate, cast):
    other = AccountFactory()
    foreign_unit = BusinessUnitFactory(account=other)
    foreign_contact = ContactFactory(account=other)
    client = client_for(teammate)
    response = client.post(
        url("contact_create", cast),
        contact_post(business_unit=foreign_unit.pk, reports_to=foreign_contact.pk),
    )
    assert response.status_code == 200
    assert response.text.count("Select a valid choice") == 2
    assert not cast.account.contacts.filter(name="Dana Lee").exists()


def test_contact_form_rejects_a_reporting_loop(client_for, teammate, cast):
    report = ContactFactory(account=cast.account, name="Rita Report", reports_to=cast.contact)
    response = client_for(teammate).post(
        url("contact_edit", cast, cast.contact.pk),
        contact_post(name="Carla Buyer", reports_to=report.pk),
    )
    assert response.status_code == 200
    assert "reporting loop" in response.text
    cast.contact.refresh_from_db()
    assert cast.contact.reports_to is None


def test_contact_edit_saves_the_changes(client_for, teammate, cast):
    boss = ContactFactory(account=cast.account, name="Bea Boss")
    response = client_for(teammate).post(
        url("contact_edit", cast, cast.contact.pk),
        contact_post(
            name="Carla Buyer",
            email="carla@acme.example",
            business_unit=cast.unit.pk,
            reports_to=boss.pk,
            level=Contact.Level.EXECUTIVE,
        ),
    )
    assert response.status_code == 302
    cast.contact.refresh_from_db()
    assert cast.contact.email == "carla@acme.example"
    assert (cast.contact.business_unit, cast.contact.reports_to) == (cast.unit, boss)
    assert cast.contact.level == Contact.Level.EXECUTIVE


def test_business_unit_form_with_blank_name_saves_nothing(client_for, teammate, cast):
    before = state_of(cast.account)
    response = client_for(teammate).post(
        url("business_unit_create", cast), {"name": "", "description": "Typed description"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Typed description" in response.text
    assert state_of(cast.account) == before


def test_business_unit_duplicate_name_is_an_error_not_a_crash(client_for, teammate, cast):
    response = client_for(teammate).post(
        url("business_unit_create", cast), {"name": "Rail Division"}
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert cast.account.business_units.count() == 1


# --- the Contacts tab ---------------------------------------------------------------------


def test_contacts_tab_lists_contacts_with_their_best_relationship(
    client_for, owner, teammate, cast
):
    RelationshipFactory(contact=cast.contact, user=owner, strength=1)
    RelationshipFactory(contact=cast.contact, user=teammate, strength=3)
    response = client_for(owner).get(url("contacts", cast))
    assert response.status_code == 200
    (row,) = response.context["page"].object_list
    assert row.best_strength == 3
    assert "Carla Buyer" in response.text


def test_contacts_tab_search(client_for, owner, cast):
    ContactFactory(account=cast.account, name="Zed Zulu", title="CFO")
    client = client_for(owner)
    by_name = client.get(url("contacts", cast), {"q": "carla"})
    assert [c.name for c in by_name.context["page"].object_list] == ["Carla Buyer"]
    by_title = client.get(url("contacts", cast), {"q": "cfo"})
    assert [c.name for c in by_title.context["page"].object_list] == ["Zed Zulu"]
    nothing = client.get(url("contacts", cast), {"q": "nobody"})
    assert not nothing.context["page"].object_list


def test_contacts_tab_paginates_by_50(client_for, owner, cast):
    ContactFactory.create_batch(50, account=cast.account)
    client = client_for(owner)
    assert len(client.get(url("contacts", cast)).context["page"].object_list) == 50
    assert len(client.get(url("contacts", cast), {"page": 2}).context["page"].object_list) == 1
    assert client.get(url("contacts", cast), {"page": "x"}).status_code == 200


def _add_contacts(account, count, users):
    units = BusinessUnitFactory.create_batch(2, account=account)
    boss = ContactFactory(account=account, business_unit=units[0])
    for index in range(count):
        contact = ContactFactory(account=account, business_unit=units[index % 2], reports_to=boss)
        for user in users:
            RelationshipFactory(contact=contact, user=user, strength=index % 5)


def test_contacts_tab_queries_do_not_grow_with_the_number_of_contacts(
    client_for, owner, teammate, account, django_assert_max_num_queries
):
    client = client_for(teammate)
    target = reverse("accounts:contacts", args=[account.pk])
    _add_contacts(account, 4, [owner, teammate])
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    _add_contacts(account, 34, [owner, teammate])
    assert account.contacts.count() == 40
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(target)
    assert len(response.context["page"].object_list) == 40


def test_team_tab_queries_do_not_grow_with_the_team(
    client_for, owner, account, django_assert_max_num_queries
):
    client = client_for(owner)
    target = reverse("accounts:team", args=[account.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    for _ in range(15):
        TeamMember.objects.create(account=account, user=UserFactory(manager=UserFactory()))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(target).status_code == 200
