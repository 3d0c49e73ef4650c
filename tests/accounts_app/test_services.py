"""The write rules of accounts_app, as the services enforce them."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts_app import services
from accounts_app.models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    DefaultIndustry,
    DefaultRegion,
    Interaction,
    Relationship,
    TeamMember,
)
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
    UserFactory,
    industry_entry,
    region_entry,
)
from insights import tasks

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def account_data(**overrides):
    data = {
        "name": "Globex Corporation",
        "industry": industry_entry(DefaultIndustry.ENERGY),
        "region": region_entry(DefaultRegion.ASIA_PACIFIC),
        "annual_revenue": Decimal("250000"),
    }
    data.update(overrides)
    return data


# --- accounts ---------------------------------------------------------------------------


def test_account_create_makes_the_creator_owner_and_first_team_member(owner):
    account = services.account_create(by=owner, **account_data())
    assert account.owner == owner
    member = account.team_members.get()
    assert (member.user, member.role) == (owner, TeamMember.Role.OWNER)


def test_account_create_refuses_executives(executive):
    with pytest.raises(PermissionDenied):
        services.account_create(by=executive, **account_data())
    assert not Account.objects.filter(name="Globex Corporation").exists()


def test_account_create_validates_before_saving(owner):
    with pytest.raises(ValidationError) as excinfo:
        services.account_create(by=owner, **account_data(gross_margin_pct=Decimal("150")))
    assert "gross_margin_pct" in excinfo.value.message_dict
    assert not Account.objects.filter(name="Globex Corporation").exists()
    assert not TeamMember.objects.filter(user=owner).exists()


def test_account_update_saves_changes(owner, account):
    services.account_update(account=account, by=owner, name="Acme Global", strategic_value=5)
    account.refresh_from_db()
    assert (account.name, account.strategic_value) == ("Acme Global", 5)


def test_account_cannot_be_its_own_parent(owner, account):
    with pytest.raises(ValidationError) as excinfo:
        services.account_update(account=account, by=owner, parent=account)
    assert "parent" in excinfo.value.message_dict


def test_account_parent_cycle_through_others_is_rejected(owner, account):
    child = AccountFactory(owner=owner, parent=account)
    grandchild = AccountFactory(owner=owner, parent=child)
    with pytest.raises(ValidationError) as excinfo:
        services.account_update(account=account, by=owner, parent=grandchild)
    assert "parent" in excinfo.value.message_dict
    account.refresh_from_db()
    assert account.parent is None


def test_account_may_belong_to_a_global_account(owner, account):
    parent = AccountFactory(owner=owner, name="Acme Holding")
    services.account_update(account=account, by=owner, parent=parent)
    account.refresh_from_db()
    assert account.parent == parent


# --- business units and contacts --------------------------------------------------------


def test_business_unit_names_are_unique_within_an_account(owner, account):
    services.business_unit_create(account=account, by=owner, name="Rail")
    with pytest.raises(ValidationError):
        services.business_unit_create(account=account, by=owner, name="Rail")
    assert account.business_units.count() == 1


def test_archiving_a_business_unit_keeps_its_contacts_in_it(owner, account):
    unit = BusinessUnitFactory(account=account)
    contact = ContactFactory(account=account, business_unit=unit)
    services.business_unit_archive(business_unit=unit, by=owner)
    contact.refresh_from_db()
    unit.refresh_from_db()
    assert unit.archived
    assert contact.business_unit == unit


def test_contact_create_saves_a_valid_contact(owner, account):
    unit = BusinessUnitFactory(account=account)
    boss = ContactFactory(account=account)
    contact = services.contact_create(
        account=account, by=owner, name="Dana Lee", business_unit=unit, reports_to=boss
    )
    assert contact.account == account
    assert (contact.business_unit, contact.reports_to) == (unit, boss)


def test_contact_business_unit_must_belong_to_the_same_account(owner, account):
    foreign_unit = BusinessUnitFactory(account=AccountFactory())
    with pytest.raises(ValidationError) as excinfo:
        services.contact_create(account=account, by=owner, name="X", business_unit=foreign_unit)
    assert "business_unit" in excinfo.value.message_dict
    assert not account.contacts.exists()


def test_contact_cannot_report_to_a_contact_of_another_account(owner, account):
    foreign_boss = ContactFactory(account=AccountFactory())
    with pytest.raises(ValidationError) as excinfo:
        services.contact_create(account=account, by=owner, name="X", reports_to=foreign_boss)
    assert "reports_to" in excinfo.value.message_dict


def test_contact_cannot_report_to_themselves(owner, contact):
    with pytest.raises(ValidationError) as excinfo:
        services.contact_update(contact=contact, by=owner, reports_to=contact)
    assert "reports_to" in excinfo.value.message_dict


def test_contact_reporting_loop_is_rejected(owner, account):
    top = ContactFactory(account=account)
    middle = ContactFactory(account=account, reports_to=top)
    bottom = ContactFactory(account=account, reports_to=middle)
    with pytest.raises(ValidationError) as excinfo:
        services.contact_update(contact=top, by=owner, reports_to=bottom)
    assert "loop" in str(excinfo.value.message_dict["reports_to"])
    top.refresh_from_db()
    assert top.reports_to is None


def test_contact_archive_keeps_their_relationships(owner, contact):
    RelationshipFactory(contact=contact, user=owner)
    services.contact_archive(contact=contact, by=owner)
    assert Contact.objects.get(pk=contact.pk).archived
    assert Relationship.objects.filter(user=owner, contact=contact).exists()


# --- team ------------------------------------------------------------------------------


def test_team_member_add_puts_a_user_on_the_team(owner, account):
    newcomer = UserFactory()
    member = services.team_member_add(
        account=account, user=newcomer, role=TeamMember.Role.SERVICE, by=owner
    )
    assert member.role == TeamMember.Role.SERVICE
    assert account.team_members.filter(user=newcomer).exists()


def test_team_member_add_refuses_a_user_already_on_the_team(owner, teammate, account):
    with pytest.raises(ValidationError):
        services.team_member_add(
            account=account, user=teammate, role=TeamMember.Role.FINANCE, by=owner
        )
    assert account.team_members.get(user=teammate).role == TeamMember.Role.SALES


def test_team_member_add_refuses_the_owner_role(owner, account):
    with pytest.raises(ValidationError) as excinfo:
        services.team_member_add(
            account=account, user=UserFactory(), role=TeamMember.Role.OWNER, by=owner
        )
    assert "role" in excinfo.value.message_dict
    assert account.team_members.count() == 2


def test_team_member_make_owner_moves_ownership(owner, teammate, account):
    member = account.team_members.get(user=teammate)
    services.team_member_make_owner(member=member, by=owner)
    account.refresh_from_db()
    assert account.owner == teammate
    roles = dict(account.team_members.values_list("user__username", "role"))
    assert roles == {"teammate": TeamMember.Role.OWNER, "owner": TeamMember.Role.SALES}


def test_changing_a_role_to_owner_hands_over_the_account(owner, teammate, account):
    member = account.team_members.get(user=teammate)
    services.team_member_change_role(member=member, role=TeamMember.Role.OWNER, by=owner)
    account.refresh_from_db()
    assert account.owner == teammate
    assert account.team_members.filter(role=TeamMember.Role.OWNER).count() == 1


def test_owner_cannot_be_demoted_without_a_successor(owner, account):
    member = account.team_members.get(user=owner)
    with pytest.raises(ValidationError):
        services.team_member_change_role(member=member, role=TeamMember.Role.SALES, by=owner)
    member.refresh_from_db()
    assert member.role == TeamMember.Role.OWNER


def test_team_member_change_role_changes_a_plain_role(owner, teammate, account):
    member = account.team_members.get(user=teammate)
    services.team_member_change_role(member=member, role=TeamMember.Role.TECHNICAL, by=owner)
    member.refresh_from_db()
    assert member.role == TeamMember.Role.TECHNICAL


def test_team_member_remove_takes_a_member_off_the_team(owner, teammate, account):
    member = account.team_members.get(user=teammate)
    services.team_member_remove(member=member, by=owner)
    assert not account.team_members.filter(user=teammate).exists()


def test_the_owner_cannot_be_removed(owner, account):
    member = account.team_members.get(user=owner)
    with pytest.raises(ValidationError):
        services.team_member_remove(member=member, by=owner)
    assert account.team_members.filter(user=owner).exists()


# --- relationships ------------------------------------------------------------------------


def test_relationship_create_for_a_team_member(teammate, contact):
    relationship = services.relationship_create(
        contact=contact, user=teammate, by=teammate, strength=3, target_strength=4
    )
    assert (relationship.strength, relationship.target_strength) == (3, 4)


def test_relationship_requires_the_user_on_the_account_team(owner, contact, outsider):
    with pytest.raises(ValidationError) as excinfo:
        services.relationship_create(contact=contact, user=outsider, by=owner, strength=2)
    assert "user" in excinfo.value.message_dict
    assert not Relationship.objects.exists()


def test_relationship_strength_is_limited_to_0_4(owner, contact):
    with pytest.raises(ValidationError) as excinfo:
        services.relationship_create(contact=contact, user=owner, by=owner, strength=7)
    assert "strength" in excinfo.value.message_dict


def test_relationship_is_unique_per_contact_and_user(owner, contact):
    services.relationship_create(contact=contact, user=owner, by=owner, strength=1)
    with pytest.raises(ValidationError):
        services.relationship_create(contact=contact, user=owner, by=owner, strength=2)


# --- interactions -----------------------------------------------------------------------


def test_interaction_record_moves_last_interaction_forward(owner, account, contact):
    relationship = RelationshipFactory(
        contact=contact, user=owner, last_interaction=TODAY() - datetime.timedelta(days=10)
    )
    on = TODAY() - datetime.timedelta(days=2)
    interaction = services.interaction_record(
        account=account,
        by=owner,
        kind=Interaction.Kind.CALL,
        on=on,
        contacts=[contact],
        team_users=[owner],
    )
    relationship.refresh_from_db()
    assert relationship.last_interaction == on
    assert list(interaction.contacts.all()) == [contact]
    assert list(interaction.team_users.all()) == [owner]


def test_interaction_record_sets_a_first_last_interaction(owner, account, contact):
    relationship = RelationshipFactory(contact=contact, user=owner, last_interaction=None)
    services.interaction_record(
        account=account,
        by=owner,
        kind="meeting",
        on=TODAY(),
        contacts=[contact],
        team_users=[owner],
    )
    relationship.refresh_from_db()
    assert relationship.last_interaction == TODAY()


def test_interaction_record_never_moves_last_interaction_back(owner, account, contact):
    recent = TODAY() - datetime.timedelta(days=1)
    relationship = RelationshipFactory(contact=contact, user=owner, last_interaction=recent)
    services.interaction_record(
        account=account,
        by=owner,
        kind="email",
        on=TODAY() - datetime.timedelta(days=30),
        contacts=[contact],
        team_users=[owner],
    )
    relationship.refresh_from_db()
    assert relationship.last_interaction == recent


def test_interaction_record_leaves_relationships_of_absent_people_alone(
    owner, teammate, account, contact
):
    absent = RelationshipFactory(contact=contact, user=teammate, last_interaction=None)
    services.interaction_record(
        account=account, by=owner, kind="call", on=TODAY(), contacts=[contact], team_users=[owner]
    )
    absent.refresh_from_db()
    assert absent.last_interaction is None


def test_interaction_record_rejects_future_dates(owner, account, contact):
    with pytest.raises(ValidationError) as excinfo:
        services.interaction_record(
            account=account,
            by=owner,
            kind="meeting",
            on=TODAY() + datetime.timedelta(days=1),
            contacts=[contact],
            team_users=[owner],
        )
    assert "date" in excinfo.value.message_dict
    assert not Interaction.objects.exists()


def test_interaction_record_rejects_users_not_on_the_team(owner, outsider, account, contact):
    with pytest.raises(ValidationError) as excinfo:
        services.interaction_record(
            account=account,
            by=owner,
            kind="meeting",
            on=TODAY(),
            contacts=[contact],
            team_users=[owner, outsider],
        )
    assert "team_users" in excinfo.value.message_dict
    assert not Interaction.objects.exists()


def test_interaction_record_rejects_contacts_of_another_account(owner, account):
    foreign = ContactFactory(account=AccountFactory())
    with pytest.raises(ValidationError) as excinfo:
        services.interaction_record(
            account=account, by=owner, kind="call", on=TODAY(), contacts=[foreign], team_users=[]
        )
    assert "contacts" in excinfo.value.message_dict


def test_interaction_record_needs_a_contact(owner, account):
    with pytest.raises(ValidationError) as excinfo:
        services.interaction_record(
            account=account, by=owner, kind="call", on=TODAY(), contacts=[], team_users=[owner]
        )
    assert "contacts" in excinfo.value.message_dict


# --- snapshots --------------------------------------------------------------------------


def test_snapshot_is_queued_only_after_commit(owner, account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.contact_create(account=account, by=owner, name="Dana Lee")
    assert len(callbacks) == 1
    assert not AccountSnapshot.objects.exists()

    callbacks[0]()  # the commit: the (eager) task runs now

    assert AccountSnapshot.objects.get(account=account).contact_count == 1


@pytest.mark.parametrize(
    "write",
    [
        lambda account, by: services.account_update(account=account, by=by, name="Renamed"),
        lambda account, by: services.business_unit_create(account=account, by=by, name="Rail"),
        lambda account, by: services.contact_create(account=account, by=by, name="Dana Lee"),
        lambda account, by: services.team_member_add(
            account=account, user=UserFactory(), role="sales", by=by
        ),
    ],
    ids=["account_update", "business_unit_create", "contact_create", "team_member_add"],
)
def test_writes_refresh_the_snapshot_once_committed(
    owner, account, write, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(account, owner)
    assert AccountSnapshot.objects.filter(account=account, date=timezone.localdate()).count() == 1


def test_account_create_snapshot_counts_the_owner(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account = services.account_create(by=owner, **account_data())
    assert AccountSnapshot.objects.get(account=account).team_size == 1


def test_failed_write_queues_no_snapshot(owner, account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(ValidationError):
            services.contact_create(account=account, by=owner, name="")
    assert callbacks == []


def test_a_burst_of_changes_queues_one_delayed_refresh(
    owner, account, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.STRATA_SNAPSHOT_DEBOUNCE_SECONDS = 30
    cache.delete(f"snapshot-pending:{account.pk}")
    queued = []
    monkeypatch.setattr(
        tasks.recompute_account,
        "apply_async",
        lambda args, countdown: queued.append((args, countdown)),
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for name in ("One", "Two", "Three"):
                services.contact_create(account=account, by=owner, name=name)
    finally:
        cache.delete(f"snapshot-pending:{account.pk}")
    assert queued == [([account.pk], 30)]


def test_business_unit_update_keeps_the_account(owner, account):
    unit = BusinessUnitFactory(account=account, name="Rail")
    services.business_unit_update(business_unit=unit, by=owner, name="Rail & Metro")
    assert BusinessUnit.objects.get(pk=unit.pk).name == "Rail & Metro"
