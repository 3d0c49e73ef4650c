"""Applying writes everything or nothing: a bad row stops the whole file, at the dry run
or, when the data changed since, at the apply; a failure while writing undoes the rows
already written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts_app.models import Account, Contact, RevenueEntry, TeamMember
from imports import engine, services
from imports.models import ImportJob
from imports.resources.accounts import AccountResource
from imports.resources.deals import RevenueResource

from .helpers import counts, problems

pytestmark = pytest.mark.django_db

ONE_BAD_ROW = (
    "Id,Name,Industry,Region\n"
    "N1,Good One,Retail,Germany\n"
    "N2,Bad One,Retail,Narnia\n"
    "N3,Good Two,Retail,Germany\n"
)


def test_one_bad_row_stops_the_file(run_import, admin_user):
    job = run_import(admin_user, "accounts", ONE_BAD_ROW)

    assert job.status == ImportJob.Status.DONE
    [(row, column, message)] = problems(job)
    assert row == 3  # the header is row 1: the file's third line
    assert column == "Region"  # the header as the file names it
    assert message.startswith("“Narnia” is not in your list of regions (")
    assert message.endswith("), nor a country Strata knows.")
    assert "Western Europe" in message
    assert job.error_count == 1
    assert counts(job) == (2, 0, 0)  # what the good rows would do
    assert not job.applicable

    with pytest.raises(ValidationError, match="Only a finished dry run without errors"):
        services.import_apply(job=job, by=admin_user, queue=False)
    assert not Account.objects.exists()
    assert ImportJob.objects.count() == 1


def test_an_apply_is_only_for_a_dry_run_and_its_author(run_import, owner, teammate, account):
    text = "Account,Month,Amount\nAcme Industrial,2026-03,1k\n"
    dry = run_import(owner, "revenue", text)
    applied = run_import(owner, "revenue", text, apply=True)

    with pytest.raises(ValidationError):
        services.import_apply(job=applied, by=owner, queue=False)  # not a dry run
    with pytest.raises(PermissionDenied):
        services.import_apply(job=dry, by=teammate, queue=False)
    assert RevenueEntry.objects.count() == 1


def test_the_parent_deleted_between_dry_run_and_apply(admin_user, account):
    text = (
        "Id,Name,Parent,Industry,Region\n"
        "P1,Acme Rail,Acme Industrial,Retail,Germany\n"
        "P2,Acme Power,,Energy,Germany\n"
    )
    dry = engine.run(
        services.import_start(
            by=admin_user, kind="accounts", file_name="a.csv", content=text.encode(), queue=False
        ).pk
    )
    assert dry.applicable and counts(dry) == (2, 0, 0)

    Account.objects.filter(pk=account.pk).delete()
    applied = engine.run(services.import_apply(job=dry, by=admin_user, queue=False).pk)

    assert applied.status == ImportJob.Status.DONE
    assert problems(applied) == [
        (
            2,
            "Parent",
            "Unknown account “Acme Industrial” (import the accounts first, or check the id).",
        )
    ]
    assert "nothing was written" in applied.message
    assert counts(applied) == (0, 0, 0)
    assert applied.written == {}
    # Not even the row that was still good.
    assert not Account.objects.filter(external_id__in=["P1", "P2"]).exists()


def test_the_importer_removed_from_the_team_between_dry_run_and_apply(teammate, account):
    text = "Id,Account,Name\nK1,Acme Industrial,Kim\nK2,Acme Industrial,Lee\n"
    dry = engine.run(
        services.import_start(
            by=teammate, kind="contacts", file_name="c.csv", content=text.encode(), queue=False
        ).pk
    )
    assert dry.applicable

    TeamMember.objects.filter(user=teammate).delete()
    applied = engine.run(services.import_apply(job=dry, by=teammate, queue=False).pk)

    assert problems(applied) == [
        (
            2,
            "Account",
            "Unknown account “Acme Industrial” (import the accounts first, or check the id).",
        ),
        (
            3,
            "Account",
            "Unknown account “Acme Industrial” (import the accounts first, or check the id).",
        ),
    ]
    assert not Contact.objects.exists()


def test_a_row_refused_while_writing_undoes_the_rows_written_before(
    monkeypatch, run_import, owner, account
):
    """Someone enters April's revenue after the check and before the write: the rows
    of the first chunk, written already, are undone too."""
    monkeypatch.setattr(engine, "CHUNK_ROWS", 1)
    original = RevenueResource.bulk_create

    def racing(self, using_transactions, dry_run, *args, **kwargs):
        if not dry_run and any(e.month.month == 4 for e in self.create_instances):
            RevenueEntry.objects.create(account=account, month="2026-04-01", amount=1)
        return original(self, using_transactions, dry_run, *args, **kwargs)

    monkeypatch.setattr(RevenueResource, "bulk_create", racing)
    text = "Account,Month,Amount\nAcme Industrial,2026-03,1k\nAcme Industrial,2026-04,2k\n"

    job = run_import(owner, "revenue", text, apply=True)

    assert job.message == "Some rows were refused while writing; nothing was written."
    assert job.error_count == 1 and "UNIQUE" in job.errors[0]["message"].upper()
    assert counts(job) == (0, 0, 0)
    assert not RevenueEntry.objects.exists()


def test_an_unexpected_error_writes_nothing(monkeypatch, run_import, admin_user):
    def broken(self, rows, *, dry_run):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AccountResource, "finish", broken)
    text = "Id,Name,Industry,Region\nE1,Echo,Retail,Germany\n"

    with pytest.raises(RuntimeError):
        run_import(admin_user, "accounts", text, apply=True)

    job = ImportJob.objects.get(dry_run=False)
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "The import stopped on an unexpected error; nothing was written."
    assert not Account.objects.exists()
