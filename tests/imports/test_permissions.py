"""Who imports what: each row is checked against the importer's rights, and an account
they may not see is unknown, exactly as one that does not exist."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts_app.models import Account, Contact, Relationship, RevenueEntry, TeamMember
from demo.factories import ContactFactory
from imports import services
from imports.models import ImportJob

from .helpers import counts, problems

pytestmark = pytest.mark.django_db


def test_a_team_member_imports_into_their_accounts_only(run_import, teammate, account, outsider):
    text = (
        "Account,Name\nAcme Industrial,Kim Ko\nOutsider's Own Account,Lee Lo\nGhost Corp,Max Mo\n"
    )

    job = run_import(teammate, "contacts", text)

    assert problems(job) == [
        (
            3,
            "Account",
            "Unknown account “Outsider's Own Account” (import the accounts first, or check the id).",  # noqa: E501
        ),
        (
            4,
            "Account",
            "Unknown account “Ghost Corp” (import the accounts first, or check the id).",
        ),
    ]
    hidden, missing = job.errors[0]["message"], job.errors[1]["message"]
    assert hidden.replace("Outsider's Own Account", "X") == missing.replace("Ghost Corp", "X")

    ok = run_import(teammate, "contacts", "Account,Name\nAcme Industrial,Kim Ko\n", apply=True)
    assert counts(ok) == (1, 0, 0)
    assert list(Contact.objects.values_list("account__name", "name")) == [
        ("Acme Industrial", "Kim Ko")
    ]


def test_an_outsider_cannot_update_an_account_by_its_external_id(run_import, outsider, account):
    Account.objects.filter(pk=account.pk).update(external_id="ACME-1")
    before = Account.objects.values().get(pk=account.pk)
    text = "Id,Name,Industry,Region,Annual revenue\nACME-1,Hijacked,Retail,Germany,1\n"

    job = run_import(outsider, "accounts", text)

    assert problems(job) == [(2, "Id", "Unknown account “ACME-1”, or one you may not change.")]
    assert not job.applicable
    assert Account.objects.values().get(pk=account.pk) == before
    # By name they simply make an account of their own: nothing says Acme exists.
    named = run_import(outsider, "accounts", "Name,Industry,Region\nAcme Industrial,Retail,UK\n")
    assert problems(named) == [] and counts(named) == (1, 0, 0)


def test_an_outsider_reaches_nothing_of_another_team(run_import, outsider, account):
    ContactFactory(account=account, name="Carla", external_id="C-1")

    revenue = run_import(outsider, "revenue", "Account,Month,Amount\nAcme Industrial,2026-01,1\n")
    ties = run_import(outsider, "relationships", "Contact,User,Strength\nC-1,outsider,2\n")
    team = run_import(
        outsider, "team-members", "Account,User,Role\nAcme Industrial,outsider,Sales\n"
    )

    assert problems(revenue) == [
        (
            2,
            "Account",
            "Unknown account “Acme Industrial” (import the accounts first, or check the id).",
        )
    ]
    assert problems(ties) == [(2, "Contact", "Unknown contact “C-1”.")]
    assert problems(team) == [
        (
            2,
            "Account",
            "Unknown account “Acme Industrial” (import the accounts first, or check the id).",
        )
    ]
    assert not RevenueEntry.objects.exists() and not Relationship.objects.exists()


def test_an_executive_cannot_import(executive, account):
    with pytest.raises(PermissionDenied):
        services.import_start(
            by=executive,
            kind="accounts",
            file_name="a.csv",
            content=b"Name,Industry,Region\nAcme,Retail,Germany\n",
            queue=False,
        )
    assert not ImportJob.objects.exists()
    assert not services.can_import(executive)


def test_a_manager_sees_but_does_not_change_their_reports_accounts(run_import, manager, account):
    job = run_import(manager, "revenue", "Account,Month,Amount\nAcme Industrial,2026-01,1\n")

    assert problems(job) == [
        (2, "Account", "You may not change account “Acme Industrial”: only its team does.")
    ]


def test_the_roster_is_the_owners(run_import, teammate, owner, account, manager):
    text = "Account,User,Role\nAcme Industrial,mgr,Finance\n"

    refused = run_import(teammate, "team-members", text)
    allowed = run_import(owner, "team-members", text, apply=True)

    assert problems(refused) == [
        (
            2,
            "Account",
            "Only the owner of account “Acme Industrial” (or an admin) changes its team.",
        )
    ]
    assert counts(allowed) == (1, 0, 0)
    assert account.team_members.get(user=manager).role == TeamMember.Role.FINANCE


def test_admins_import_anything(run_import, admin_user, owner, account, outsider):
    Account.objects.filter(pk=account.pk).update(external_id="ACME-1")
    accounts = run_import(
        admin_user, "accounts", "Id,Name,Industry,Region\nACME-1,Acme Corp,Retail,DE\n", apply=True
    )
    team = run_import(
        admin_user,
        "team-members",
        "Account,User,Role\nACME-1,outsider,Account owner\n",
        apply=True,
    )
    people = run_import(admin_user, "contacts", "Account,Name\nACME-1,Kim Ko\n", apply=True)

    assert [counts(j) for j in (accounts, team, people)] == [(0, 1, 0), (1, 0, 0), (1, 0, 0)]
    account.refresh_from_db()
    assert (account.name, account.owner) == ("Acme Corp", outsider)
    assert account.team_members.get(user=owner).role == TeamMember.Role.SALES
    assert account.contacts.get().name == "Kim Ko"
