"""Accounts: parents in the file and in Strata, business units as a list, the owner,
amounts as people type them, choices by label or value, a country for a region; and
importing the same file twice changes nothing."""

from decimal import Decimal

import pytest

from accounts_app.models import (
    Account,
    Contact,
    DefaultIndustry,
    DefaultRegion,
    LifecycleStage,
    TeamMember,
)
from demo.factories import AccountFactory
from imports import engine

from .helpers import counts, problems

pytestmark = pytest.mark.django_db

ACCOUNTS = (
    "External id,Name,Parent,Industry,Region,Lifecycle stage,Annual revenue,"
    "Wallet estimate,Business units,Owner\n"
    "G1,Globex Group,,Manufacturing,Germany,Mature,12k,1.2M,Rail; Power,teammate\n"
    'G2,Globex Rail,G1,retail,western_europe,at_risk,"3,034,500",,,\n'
    "G3,Globex Energy,Acme Industrial,Energy & utilities,North America,AT RISK,,,,\n"
)


def test_accounts_dry_run_counts_and_writes_nothing(run_import, admin_user, account, teammate):
    job = run_import(admin_user, "accounts", ACCOUNTS)

    assert job.status == "done" and job.dry_run
    assert problems(job) == []
    assert counts(job) == (3, 0, 0)
    assert job.total_rows == 3
    assert job.applicable
    assert not Account.objects.filter(external_id__startswith="G").exists()


def test_accounts_apply(run_import, admin_user, account, teammate):
    job = run_import(admin_user, "accounts", ACCOUNTS, apply=True)

    assert job.status == "done" and not job.dry_run
    assert problems(job) == [] and not job.message
    assert counts(job) == (3, 0, 0)
    group = Account.objects.get(external_id="G1")
    rail = Account.objects.get(external_id="G2")
    energy = Account.objects.get(external_id="G3")
    # Parents: one inside the file (by external id), one already in Strata (by name).
    assert group.parent is None
    assert rail.parent == group
    assert energy.parent == account
    # Lists: by name, by code, in any case; a country finds its region.
    assert group.industry.code == DefaultIndustry.MANUFACTURING
    assert rail.industry.code == DefaultIndustry.RETAIL
    assert energy.industry.code == DefaultIndustry.ENERGY
    assert group.region.code == DefaultRegion.WESTERN_EUROPE
    assert group.region.name == "Western Europe"
    assert rail.region.code == DefaultRegion.WESTERN_EUROPE
    assert energy.region.code == DefaultRegion.NORTH_AMERICA
    # Choices by label or value, any case.
    assert group.lifecycle_stage == LifecycleStage.MATURE
    assert rail.lifecycle_stage == LifecycleStage.AT_RISK
    assert energy.lifecycle_stage == LifecycleStage.AT_RISK
    # Amounts as spreadsheets write them; empty keeps the model's default.
    assert group.annual_revenue == Decimal("12000.00")
    assert group.wallet_estimate == Decimal("1200000.00")
    assert rail.annual_revenue == Decimal("3034500.00")
    assert rail.wallet_estimate is None
    assert energy.annual_revenue == Decimal("0")
    # Business units as a list.
    assert sorted(group.business_units.values_list("name", flat=True)) == ["Power", "Rail"]
    assert not rail.business_units.exists()
    # The owner column for a new account, else the importer owns it.
    assert group.owner == teammate
    assert rail.owner == admin_user and energy.owner == admin_user
    owners = TeamMember.objects.filter(
        account__in=[group, rail, energy], role=TeamMember.Role.OWNER
    )
    assert sorted(owners.values_list("account__external_id", "user__username")) == [
        ("G1", "teammate"),
        ("G2", "admin"),
        ("G3", "admin"),
    ]
    assert job.written == {"accounts": {"created": [group.pk, rail.pk, energy.pk], "updated": []}}


def test_an_existing_account_is_updated_by_external_id(run_import, admin_user, owner):
    acme = AccountFactory(name="Acme", external_id="A-1", owner=owner, annual_revenue=5)
    text = "Id,Name,Industry,Region,Annual revenue,Owner\nA-1,Acme Corp,Retail,FR,1.5k,admin\n"

    job = run_import(admin_user, "accounts", text, apply=True)

    assert counts(job) == (0, 1, 0), job.errors
    acme.refresh_from_db()
    assert acme.name == "Acme Corp"
    assert acme.annual_revenue == Decimal("1500.00")
    assert acme.industry.code == DefaultIndustry.RETAIL
    assert acme.region.code == DefaultRegion.WESTERN_EUROPE  # FR: an ISO code
    # The owner column is for new accounts only: the owner stays.
    assert acme.owner == owner
    assert list(acme.team_members.values_list("user__username", "role")) == [
        ("owner", TeamMember.Role.OWNER)
    ]


def test_without_external_ids_rows_match_by_name(run_import, admin_user, account):
    text = "Name,Industry,Region,Strategic value\nacme industrial,Retail,Japan,5\n"

    job = run_import(admin_user, "accounts", text, apply=True)

    assert counts(job) == (0, 1, 0), job.errors
    account.refresh_from_db()
    assert account.strategic_value == 5
    assert account.region.code == DefaultRegion.ASIA_PACIFIC
    assert Account.objects.filter(name__iexact="acme industrial").count() == 1


def test_the_parent_inside_the_file_by_name(run_import, admin_user):
    text = (
        "Name,Parent,Industry,Region\n"
        "Initech Europe,Initech,Technology,Spain\n"
        "Initech,,Technology,USA\n"
    )

    job = run_import(admin_user, "accounts", text, apply=True)

    assert problems(job) == [] and counts(job) == (2, 0, 0)
    assert Account.objects.get(name="Initech Europe").parent == Account.objects.get(name="Initech")


def test_business_units_are_added_not_doubled(run_import, admin_user):
    first = "Id,Name,Industry,Region,Divisions\nB1,Beta,Retail,Italy,Retail; Wholesale\n"
    run_import(admin_user, "accounts", first, apply=True)
    again = "Id,Name,Industry,Region,Divisions\nB1,Beta,Retail,Italy,wholesale|Online\n"

    job = run_import(admin_user, "accounts", again, apply=True)

    assert counts(job) == (0, 1, 0), job.errors
    beta = Account.objects.get(external_id="B1")
    assert sorted(beta.business_units.values_list("name", flat=True)) == [
        "Online",
        "Retail",
        "Wholesale",
    ]


@pytest.mark.parametrize(
    "row, column, message",
    [
        (
            "X1,Xeno,Shipbuilding,Germany,,",
            "Industry",
            "“Shipbuilding” is not in your list of industries",
        ),
        ("X1,Xeno,Retail,Atlantis,,", "Region", "“Atlantis” is not in your list of regions"),
        ("X1,Xeno,Retail,Germany,lots,", "Annual revenue", "“lots” is not an amount"),
        ("X1,Xeno,Retail,Germany,,booming", "Lifecycle stage", "“booming” is not one of:"),
    ],
)
def test_a_bad_cell_names_its_column_and_reason(run_import, admin_user, row, column, message):
    text = f"Id,Name,Industry,Region,Annual revenue,Lifecycle stage\n{row}\n"

    job = run_import(admin_user, "accounts", text)

    [(number, header, reason)] = problems(job)
    assert (number, header) == (2, column)
    assert reason.startswith(message)
    assert not job.applicable


def test_a_parent_cycle_is_refused(run_import, admin_user):
    text = (
        "Id,Name,Parent,Industry,Region\n"
        "C1,One,C2,Retail,Germany\n"
        "C2,Two,C1,Retail,Germany\n"
        "C3,Three,C3,Retail,Germany\n"
    )

    job = run_import(admin_user, "accounts", text)

    found = problems(job)
    assert [(row, column) for row, column, _ in found] == [
        (2, "Parent"),
        (3, "Parent"),
        (4, "Parent"),
    ]
    assert "circle" in found[0][2]
    assert found[2][2] == "An account cannot be its own parent."


def test_the_same_external_id_twice_is_refused(run_import, admin_user):
    text = "Id,Name,Industry,Region\nD1,Dup,Retail,Germany\nD1,Dup again,Retail,Germany\n"

    job = run_import(admin_user, "accounts", text)

    assert problems(job) == [(3, "Id", "Duplicate: row 2 has the same external id.")]


def test_the_same_file_twice_changes_nothing(run_import, admin_user, account, teammate):
    run_import(admin_user, "accounts", ACCOUNTS, apply=True)
    stamps = dict(
        Account.objects.filter(external_id__startswith="G").values_list("external_id", "updated_at")
    )
    units = Account.objects.get(external_id="G1").business_units.count()

    dry = run_import(admin_user, "accounts", ACCOUNTS)
    again = run_import(admin_user, "accounts", ACCOUNTS, apply=True)

    assert counts(dry) == (0, 0, 3) and problems(dry) == []
    assert counts(again) == (0, 0, 3)
    assert again.written == {}  # nothing to write: the write pass does not even start
    assert stamps == dict(
        Account.objects.filter(external_id__startswith="G").values_list("external_id", "updated_at")
    )
    assert Account.objects.get(external_id="G1").business_units.count() == units
    assert TeamMember.objects.filter(account__external_id__startswith="G").count() == 3


def test_a_changed_parent_counts_as_an_update(run_import, admin_user, account):
    run_import(admin_user, "accounts", ACCOUNTS, apply=True)
    moved = ACCOUNTS.replace("G3,Globex Energy,Acme Industrial,", "G3,Globex Energy,G1,")

    job = run_import(admin_user, "accounts", moved, apply=True)

    assert counts(job) == (0, 1, 2), job.errors
    assert Account.objects.get(external_id="G3").parent.external_id == "G1"


def test_references_across_chunks(monkeypatch, run_import, admin_user):
    """The file is checked and written in chunks: parents and bosses in an earlier or
    later chunk are found all the same."""
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    accounts = (
        "Id,Name,Parent,Industry,Region\n"
        "H2,Hooli Europe,H1,Technology,France\n"
        "H3,Hooli Labs,H2,Technology,France\n"
        "H1,Hooli,,Technology,USA\n"
    )
    contacts = "Id,Account,Name,Reports to\nP3,H3,Gavin,P1\nP2,H3,Richard,P3\nP1,H3,Jared,\n"

    first = run_import(admin_user, "accounts", accounts, apply=True)
    people = run_import(admin_user, "contacts", contacts, apply=True)

    assert counts(first) == (3, 0, 0) and counts(people) == (3, 0, 0)
    assert first.processed_rows == 3
    labs = Account.objects.get(external_id="H3")
    assert (labs.parent.external_id, labs.parent.parent.external_id) == ("H2", "H1")
    bosses = dict(Contact.objects.values_list("name", "reports_to__name"))
    assert bosses == {"Gavin": "Jared", "Richard": "Gavin", "Jared": None}
    assert counts(run_import(admin_user, "accounts", accounts)) == (0, 0, 3)
