"""Who sees and who changes what (DESIGN §1), as the selectors answer it."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts_app import selectors
from accounts_app.models import Account, TeamMember, User
from demo.factories import (
    AccountSnapshotFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_account(outsider):
    return Account.objects.get(owner=outsider)


def visible_ids(user):
    return set(Account.objects.visible_to(user).values_list("pk", flat=True))


def editable_ids(user):
    return {a.pk for a in Account.objects.all() if selectors.can_edit_account(user=user, account=a)}


# --- visible_to ---------------------------------------------------------------------


def test_owner_sees_only_the_accounts_whose_team_they_are_on(owner, account, other_account):
    assert visible_ids(owner) == {account.pk}


def test_teammate_sees_the_account_they_are_on(teammate, account, other_account):
    assert visible_ids(teammate) == {account.pk}


def test_outsider_sees_their_own_account_but_not_ours(outsider, account, other_account):
    assert visible_ids(outsider) == {other_account.pk}


def test_team_member_sees_nothing_before_joining_a_team(db, account):
    newcomer = UserFactory()
    assert visible_ids(newcomer) == set()


def test_manager_sees_the_accounts_of_their_direct_reports(manager, account, other_account):
    assert visible_ids(manager) == {account.pk}


def test_manager_sees_accounts_where_they_are_on_the_team(manager, account, other_account):
    TeamMemberFactory(account=other_account, user=manager)
    assert visible_ids(manager) == {account.pk, other_account.pk}


def test_manager_does_not_see_the_accounts_of_indirect_reports(manager, outsider, other_account):
    # outsider reports to a lead who reports to the manager: two levels down.
    lead = UserFactory(manager=manager)
    outsider.manager = lead
    outsider.save()
    assert other_account.pk not in visible_ids(manager)


def test_coaching_applies_only_to_the_manager_role(account, outsider, other_account):
    # A team member whose colleague "reports" to them coaches nobody.
    lead = UserFactory(role=User.Role.TEAM_MEMBER)
    outsider.manager = lead
    outsider.save()
    assert visible_ids(lead) == set()


def test_manager_sees_an_account_once_when_several_reports_are_on_its_team(
    manager, owner, teammate, account
):
    TeamMemberFactory(account=account, user=UserFactory(manager=manager))
    rows = list(Account.objects.visible_to(manager))
    assert rows == [account]
    assert Account.objects.visible_to(manager).count() == 1
    assert selectors.account_list(user=manager).count() == 1


def test_executive_sees_every_account(executive, account, other_account):
    assert visible_ids(executive) == {account.pk, other_account.pk}


def test_admin_sees_every_account(admin_user, account, other_account):
    assert visible_ids(admin_user) == {account.pk, other_account.pk}


def test_admin_role_without_superuser_flag_sees_every_account(account, other_account):
    admin = UserFactory(role=User.Role.ADMIN)
    assert visible_ids(admin) == {account.pk, other_account.pk}


@pytest.mark.parametrize("role", ["owner", "manager", "executive", "admin_user"])
def test_inactive_user_sees_nothing(request, role, account):
    user = request.getfixturevalue(role)
    user.is_active = False
    user.save()
    assert visible_ids(user) == set()
    assert editable_ids(user) == set()


def test_anonymous_user_sees_nothing(account):
    assert not Account.objects.visible_to(AnonymousUser()).exists()
    assert not Account.objects.visible_to(None).exists()
    assert editable_ids(AnonymousUser()) == set()


# --- the can_* checks ------------------------------------------------


def test_team_members_may_edit_their_account(owner, teammate, account, other_account):
    assert editable_ids(owner) == {account.pk}
    assert editable_ids(teammate) == {account.pk}


def test_coaching_manager_may_not_edit(manager, account):
    assert editable_ids(manager) == set()
    assert not selectors.can_edit_account(user=manager, account=account)


def test_manager_on_the_team_may_edit(manager, account):
    TeamMemberFactory(account=account, user=manager)
    assert editable_ids(manager) == {account.pk}


def test_executive_may_edit_nothing_unless_on_a_team(executive, account, other_account):
    assert editable_ids(executive) == set()
    TeamMemberFactory(account=other_account, user=executive)
    assert editable_ids(executive) == {other_account.pk}


def test_admin_may_edit_every_account(admin_user, account, other_account):
    assert editable_ids(admin_user) == {account.pk, other_account.pk}
    assert selectors.can_edit_account(user=admin_user, account=account)


def test_anonymous_user_can_neither_edit_nor_manage(account):
    anonymous = AnonymousUser()
    assert not selectors.can_edit_account(user=anonymous, account=account)
    assert not selectors.can_manage_team(user=anonymous, account=account)
    assert not selectors.can_create_account(user=anonymous)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", True),
        ("admin_user", True),
        ("teammate", False),
        ("manager", False),
        ("executive", False),
        ("outsider", False),
    ],
)
def test_only_owner_and_admin_manage_the_team(request, account, role, expected):
    user = request.getfixturevalue(role)
    assert selectors.can_manage_team(user=user, account=account) is expected


def test_manager_on_the_team_still_cannot_manage_the_roster(manager, account):
    TeamMemberFactory(account=account, user=manager, role=TeamMember.Role.EXECUTIVE_SPONSOR)
    assert not selectors.can_manage_team(user=manager, account=account)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", True), ("manager", True), ("admin_user", True), ("executive", False)],
)
def test_everyone_but_executives_may_create_accounts(request, role, expected):
    user = request.getfixturevalue(role)
    assert selectors.can_create_account(user=user) is expected


# --- account_get_for_user --------------------------------------------------------------


def test_account_get_returns_a_visible_account(owner, account):
    assert selectors.account_get_for_user(user=owner, account_id=account.pk) == account
    assert selectors.account_get_for_user(user=owner, account_id=account.pk, write=True) == account


def test_account_get_raises_404_for_an_invisible_account(outsider, account):
    with pytest.raises(Http404):
        selectors.account_get_for_user(user=outsider, account_id=account.pk)
    with pytest.raises(Http404):
        selectors.account_get_for_user(user=outsider, account_id=account.pk, write=True)


@pytest.mark.parametrize("account_id", [999_999, "abc", None])
def test_account_get_raises_404_for_missing_or_malformed_ids(owner, account, account_id):
    with pytest.raises(Http404):
        selectors.account_get_for_user(user=owner, account_id=account_id)


@pytest.mark.parametrize("role", ["manager", "executive"])
def test_account_get_for_write_raises_permission_denied_for_read_only_roles(request, account, role):
    user = request.getfixturevalue(role)
    assert selectors.account_get_for_user(user=user, account_id=account.pk) == account
    with pytest.raises(PermissionDenied):
        selectors.account_get_for_user(user=user, account_id=account.pk, write=True)


def test_account_get_for_write_allows_the_admin(admin_user, account):
    assert (
        selectors.account_get_for_user(user=admin_user, account_id=account.pk, write=True)
        == account
    )


# --- objects inside an account ---------------------------------------------------------


def test_contact_get_raises_404_for_a_contact_of_another_account(account, other_account):
    stranger = ContactFactory(account=other_account)
    with pytest.raises(Http404):
        selectors.contact_get(account=account, contact_id=stranger.pk)


def test_business_unit_get_raises_404_for_a_unit_of_another_account(account, other_account):
    unit = BusinessUnitFactory(account=other_account)
    with pytest.raises(Http404):
        selectors.business_unit_get(account=account, business_unit_id=unit.pk)


def test_team_member_get_raises_404_for_a_member_of_another_account(account, other_account):
    member = other_account.team_members.get()
    with pytest.raises(Http404):
        selectors.team_member_get(account=account, team_member_id=member.pk)
    with pytest.raises(Http404):
        selectors.team_member_get(account=account, team_member_id="x")


def test_lists_of_account_objects_are_scoped_to_visible_accounts(
    outsider, owner, account, other_account
):
    ours = ContactFactory(account=account)
    theirs = ContactFactory(account=other_account)
    BusinessUnitFactory(account=account)
    their_unit = BusinessUnitFactory(account=other_account)
    RelationshipFactory(contact=ours, user=owner)
    their_relationship = RelationshipFactory(contact=theirs, user=outsider)

    assert list(selectors.contact_list(user=outsider)) == [theirs]
    assert list(selectors.business_unit_list(user=outsider)) == [their_unit]
    assert list(selectors.relationship_list(user=outsider)) == [their_relationship]
    assert {m.account_id for m in selectors.team_member_list(user=outsider)} == {other_account.pk}


def test_account_list_shows_figures_of_the_latest_snapshot(owner, account):
    now = timezone.now()
    today = timezone.localdate()
    AccountSnapshotFactory(
        account=account, date=today - datetime.timedelta(days=1), contact_count=3, computed_at=now
    )
    AccountSnapshotFactory(
        account=account,
        date=today,
        contact_count=7,
        relationship_count=4,
        last_interaction=today,
        computed_at=now,
    )
    row = selectors.account_list(user=owner).get()
    assert (row.contact_count, row.relationship_count, row.last_interaction) == (7, 4, today)


def test_account_list_leaves_figures_empty_without_a_snapshot(owner, account):
    row = selectors.account_list(user=owner).get()
    assert row.contact_count is None


def test_account_contacts_carry_their_relationships(owner, account):
    contact = ContactFactory(account=account)
    RelationshipFactory(contact=contact, user=owner, strength=3)
    (row,) = selectors.account_contacts(account=account)
    assert [r.strength for r in row.relationships.all()] == [3]


def test_user_directory_lists_active_users_only(owner, teammate):
    gone = UserFactory(is_active=False)
    users = set(selectors.user_list(user=owner))
    assert {owner, teammate} <= users
    assert gone not in users
    assert not selectors.user_list(user=AnonymousUser()).exists()
