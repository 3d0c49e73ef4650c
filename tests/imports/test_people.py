"""Contacts (names, business units of their own account, reports-to inside the file,
loops and other accounts refused, choices by label or value), team members (roles by
label, a new owner hands the account over) and relationships (contact by external id or
e-mail, user by username or e-mail, strength by label or number)."""

import pytest

from accounts_app.models import Contact, Relationship, TeamMember
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
)

from .helpers import counts, problems

pytestmark = pytest.mark.django_db

HEAD = (
    "External id,Account,First name,Last name,Title,E-mail,Business unit,Reports to,"
    "Level,Buying role,Attitude\n"
)
CONTACTS = HEAD + (
    "C1,Acme Industrial,Carla,Buyer,CPO,carla@acme.example,Rail,,Executive,Decision maker,"
    "champion\n"
    "C2,Acme Industrial,Dev,Ops,,dev@acme.example,rail,C1,senior,DECISION_MAKER,Supporter\n"
    "C3,Acme Industrial,Ida,Intern,,,,C2,operational,user,\n"
)


@pytest.fixture
def rail(account):
    return BusinessUnitFactory(account=account, name="Rail")


@pytest.fixture
def other(db):
    """An account of another team, with a business unit and a contact."""
    other = AccountFactory(name="Other Co", external_id="OTHER")
    BusinessUnitFactory(account=other, name="Mining")
    ContactFactory(account=other, name="Olga Other", external_id="O-1")
    return other


# --- contacts ----------------------------------------------------------------------------


def test_contacts_import(run_import, owner, account, rail):
    dry = run_import(owner, "contacts", CONTACTS)
    assert problems(dry) == [] and counts(dry) == (3, 0, 0)
    assert not Contact.objects.filter(account=account).exists()

    job = run_import(owner, "contacts", CONTACTS, apply=True)

    assert counts(job) == (3, 0, 0)
    carla, dev, ida = (Contact.objects.get(external_id=e) for e in ("C1", "C2", "C3"))
    assert (carla.name, carla.title, carla.email) == ("Carla Buyer", "CPO", "carla@acme.example")
    assert carla.account == account and dev.account == account
    assert carla.business_unit == rail and dev.business_unit == rail
    assert ida.business_unit is None
    # Reports-to inside the file, whatever the order of the rows.
    assert carla.reports_to is None
    assert dev.reports_to == carla
    assert ida.reports_to == dev
    # Choices by label or value, in any case; empty keeps the model's default.
    assert (carla.level, carla.buying_role, carla.attitude) == (
        Contact.Level.EXECUTIVE,
        Contact.BuyingRole.DECISION_MAKER,
        Contact.Attitude.CHAMPION,
    )
    assert (dev.level, dev.buying_role, dev.attitude) == (
        Contact.Level.SENIOR,
        Contact.BuyingRole.DECISION_MAKER,
        Contact.Attitude.SUPPORTER,
    )
    assert (ida.level, ida.buying_role, ida.attitude) == (
        Contact.Level.OPERATIONAL,
        Contact.BuyingRole.USER,
        Contact.Attitude.UNKNOWN,
    )


def test_contacts_reimport_changes_nothing_then_updates(run_import, owner, account, rail):
    run_import(owner, "contacts", CONTACTS, apply=True)
    stamps = dict(Contact.objects.values_list("external_id", "updated_at"))

    again = run_import(owner, "contacts", CONTACTS, apply=True)

    assert counts(again) == (0, 0, 3)
    assert dict(Contact.objects.values_list("external_id", "updated_at")) == stamps

    changed = CONTACTS.replace(",C2,operational,", ",C1,operational,")
    job = run_import(owner, "contacts", changed, apply=True)

    assert counts(job) == (0, 1, 2)
    assert Contact.objects.get(external_id="C3").reports_to.external_id == "C1"


def test_a_name_column_or_first_and_last_name(run_import, owner, account):
    text = "Account,Name,Title\nAcme Industrial,Zoe Zed,CTO\n"

    job = run_import(owner, "contacts", text, apply=True)

    assert counts(job) == (1, 0, 0)
    assert Contact.objects.get(account=account).name == "Zoe Zed"


def test_a_contact_without_name_is_refused(run_import, owner, account):
    text = "Account,First name,Last name,Title\nAcme Industrial,,,CTO\n"

    job = run_import(owner, "contacts", text)

    assert [(row, message) for row, _, message in problems(job)] == [(2, "A contact needs a name.")]


def test_the_business_unit_must_be_of_the_contacts_account(run_import, admin_user, account, other):
    text = HEAD + "C1,Acme Industrial,Carla,Buyer,,,Mining,,,,\n"

    job = run_import(admin_user, "contacts", text)

    assert problems(job) == [
        (
            2,
            "Business unit",
            "The account has no business unit “Mining” (add it to the account, or import the "
            "account's business units first).",
        )
    ]
    assert not job.applicable


def test_a_reporting_loop_is_refused(run_import, owner, account):
    text = HEAD + (
        "C1,Acme Industrial,Carla,Buyer,,,,C2,,,\n"
        "C2,Acme Industrial,Dev,Ops,,,,C1,,,\n"
        "C3,Acme Industrial,Ida,Intern,,,,C3,,,\n"
    )

    job = run_import(owner, "contacts", text)

    assert problems(job) == [
        (2, "Reports to", "This would create a reporting loop."),
        (3, "Reports to", "This would create a reporting loop."),
        (4, "Reports to", "A contact cannot report to themselves."),
    ]


def test_a_loop_through_a_contact_already_in_strata(run_import, owner, account):
    boss = ContactFactory(account=account, name="Boss", external_id="B-1")
    ContactFactory(account=account, name="Deputy", external_id="B-2", reports_to=boss)
    text = "External id,Account,Name,Reports to\nB-1,Acme Industrial,Boss,B-2\n"

    job = run_import(owner, "contacts", text)

    assert problems(job) == [(2, "Reports to", "This would create a reporting loop.")]


def test_reports_to_a_contact_of_another_account(run_import, admin_user, owner, account, other):
    text = HEAD + "C1,Acme Industrial,Carla,Buyer,,,,O-1,,,\n"

    seen = run_import(admin_user, "contacts", text)
    hidden = run_import(owner, "contacts", text)

    assert problems(seen) == [
        (2, "Reports to", "“O-1” is a contact of another account: choose one of the same account.")
    ]
    # Someone who may not see the other account is not told the contact exists.
    assert problems(hidden) == [(2, "Reports to", "Unknown contact “O-1”.")]


def test_a_contact_does_not_move_between_accounts(run_import, admin_user, account, other):
    text = "External id,Account,Name\nO-1,Acme Industrial,Olga Other\n"

    job = run_import(admin_user, "contacts", text)

    assert problems(job) == [
        (
            2,
            "Account",
            "This contact belongs to another account: contacts do not move between accounts "
            "by import.",
        )
    ]


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("Level", "Chief", "“Chief” is not one of: Executive, Senior, Middle, Operational."),
        (
            "Buying role",
            "Boss",
            "“Boss” is not one of: Decision maker, Recommender, Influencer, User, None.",
        ),
        (
            "Attitude",
            "grumpy",
            "“grumpy” is not one of: Champion, Supporter, Neutral, Detractor, Unknown.",
        ),
    ],
)
def test_an_unknown_choice(run_import, owner, account, column, value, message):
    text = f"Account,Name,{column}\nAcme Industrial,Zoe Zed,Senior\nAcme Industrial,Al,{value}\n"
    if column != "Level":
        text = text.replace(",Senior\n", ",\n")

    job = run_import(owner, "contacts", text)

    assert problems(job) == [(3, column, message)]


# --- team members ------------------------------------------------------------------------


def test_team_members_import_hands_the_account_over(run_import, owner, teammate, manager, account):
    text = (
        "Account,User,Role\n"
        "Acme Industrial,teammate,Account owner\n"
        "Acme Industrial,mgr@supplier.example,executive sponsor\n"
    )
    dry = run_import(owner, "team-members", text)
    assert problems(dry) == [] and counts(dry) == (1, 1, 0)

    job = run_import(owner, "team-members", text, apply=True)

    assert counts(job) == (1, 1, 0)
    roles = dict(account.team_members.values_list("user__username", "role"))
    assert roles == {
        "owner": TeamMember.Role.SALES,
        "teammate": TeamMember.Role.OWNER,
        "mgr": TeamMember.Role.EXECUTIVE_SPONSOR,
    }
    account.refresh_from_db()
    assert account.owner == teammate


def test_team_members_reimport_changes_nothing(run_import, owner, teammate, account):
    text = "Account,User,Role\nAcme Industrial,teammate,Sales\nAcme Industrial,owner,owner\n"

    job = run_import(owner, "team-members", text, apply=True)

    assert counts(job) == (0, 0, 2)
    account.refresh_from_db()
    assert account.owner == owner


def test_two_owners_for_one_account_are_refused(run_import, admin_user, teammate, account):
    text = "Account,User,Role\nAcme Industrial,teammate,Owner\nAcme Industrial,admin,owner\n"

    job = run_import(admin_user, "team-members", text)

    assert problems(job) == [(3, "Role", "Row 2 already makes someone the owner of this account.")]


def test_the_owner_is_not_demoted_without_a_new_one(run_import, admin_user, owner, account):
    text = "Account,User,Role\nAcme Industrial,owner,Finance\n"

    job = run_import(admin_user, "team-members", text)

    assert problems(job) == [
        (2, "Role", "An account needs an owner: make someone else the owner first.")
    ]


def test_an_unknown_user_or_role(run_import, owner, account):
    text = "Account,User,Role\nAcme Industrial,nobody,Sales\nAcme Industrial,teammate,Boss\n"

    job = run_import(owner, "team-members", text)

    assert problems(job) == [
        (2, "User", "No active Strata user has the username or e-mail “nobody”."),
        (
            3,
            "Role",
            "“Boss” is not one of: Account owner, Executive sponsor, Sales, Service, "
            "Technical, Finance, Other.",
        ),
    ]


# --- relationships -----------------------------------------------------------------------


def test_relationships_import(run_import, owner, teammate, account):
    carla = ContactFactory(account=account, name="Carla", external_id="C-1")
    ContactFactory(account=account, name="Dev", email="Dev@Acme.example")  # any case
    RelationshipFactory(contact=carla, user=teammate, strength=1)
    text = (
        "Contact,User,Strength,Target strength\n"
        "C-1,owner,Trusted,4\n"
        "dev@acme.example,teammate@supplier.example,1,trusted advisor\n"
        "C-1,TEAMMATE,transactional,\n"
    )
    dry = run_import(owner, "relationships", text)
    assert problems(dry) == [] and counts(dry) == (2, 1, 0)

    job = run_import(owner, "relationships", text, apply=True)

    assert counts(job) == (2, 1, 0)
    pairs = {
        (r.contact.name, r.user.username): (r.strength, r.target_strength)
        for r in Relationship.objects.select_related("contact", "user")
    }
    assert pairs == {
        ("Carla", "owner"): (3, 4),
        ("Dev", "teammate"): (1, 4),
        ("Carla", "teammate"): (2, None),
    }
    assert counts(run_import(owner, "relationships", text)) == (0, 0, 3)


def test_relationship_errors(run_import, owner, manager, account, other):
    ContactFactory(account=account, name="Carla", external_id="C-1")
    text = (
        "Contact,User,Strength\n"
        "C-1,mgr,2\n"  # not on the team
        "C-9,owner,2\n"  # no such contact
        "O-1,owner,2\n"  # a contact of an account they may not see
        "C-1,owner,7\n"
    )

    job = run_import(owner, "relationships", text)

    assert problems(job) == [
        (2, "User", "Only members of the account team can hold a relationship."),
        (3, "Contact", "Unknown contact “C-9”."),
        (4, "Contact", "Unknown contact “O-1”."),
        (
            5,
            "Strength",
            "“7” is not one of: None, Acquainted, Transactional, Trusted, Trusted advisor.",
        ),
    ]
