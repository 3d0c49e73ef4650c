"""One import run, start to end: read the file, map its columns, check the whole file,
then every row through the kind's resource in chunks (the progress the page shows), and
for an apply write everything in one transaction, or nothing."""

import logging

import tablib
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from accounts_app.models import Contact, Relationship
from core import history
from insights.tasks import refresh_snapshots

from .columns import check_mapping
from .models import ImportJob, Kind
from .reading import FileProblem, read_table
from .resources import RESOURCES, Context
from .resources.base import chunks

log = logging.getLogger(__name__)

CHUNK_ROWS = 1000
MAX_STORED_ERRORS = 20_000


class Refused(Exception):
    """The apply found bad rows: roll back everything."""


def _rows(table, mapping):
    index = {target: table.headers.index(header) for header, target in mapping.items()}
    rows = []
    for number, values in enumerate(table.rows, start=2):
        if values is None:
            rows.append(None)
        else:
            row = {target: values[i] for target, i in index.items()}
            row["__row"] = number
            rows.append(row)
    return rows


def _save(job, **fields):
    for key, value in fields.items():
        setattr(job, key, value)
    # untracked: the import job's own progress
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").defer("content").get(pk=job_id)
    if job.finished:
        return job
    _save(job, status=ImportJob.Status.RUNNING, started_at=timezone.now())
    try:
        with history.acting_as(job.created_by):
            _run(job)
    except FileProblem as exc:
        _save(job, status=ImportJob.Status.FAILED, message=str(exc), finished_at=timezone.now())
    except Exception:
        log.exception("Import %s failed", job.pk)
        _save(
            job,
            status=ImportJob.Status.FAILED,
            message="The import stopped on an unexpected error; nothing was written.",
            finished_at=timezone.now(),
        )
        raise
    return job


def _run(job: ImportJob) -> None:
    # The file is read from the database here, not kept on the job, so that it is not
    # held in memory twice while the rows are worked.
    content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    table = read_table(bytes(content), job.file_name)
    del content
    mapping, ignored, problems = check_mapping(table.headers, job.kind, job.mapping)
    if problems:
        raise FileProblem(" ".join(problems))
    rows = _rows(table, mapping)
    del table
    column_of = {target: header for header, target in mapping.items()}
    _save(
        job,
        mapping=mapping,
        ignored_columns=ignored,
        total_rows=sum(1 for r in rows if r is not None),
    )
    resource = RESOURCES[job.kind](Context(job.created_by), list(column_of))
    resource.prepare(rows)
    fields = ["__row", *column_of]
    tally = {"created": 0, "updated": 0, "unchanged": 0}
    errors: list[dict] = []

    def each_chunk(dry_run: bool, progress: bool):
        processed = 0
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = [r for r in rows[start : start + CHUNK_ROWS] if r is not None]
            if not chunk:
                continue
            dataset = tablib.Dataset(*(tuple(r[f] for f in fields) for r in chunk), headers=fields)
            result = resource.import_data(
                dataset, dry_run=dry_run, use_transactions=False, raise_errors=False
            )
            yield result, chunk
            processed += len(chunk)
            if progress:
                _save(job, processed_rows=processed)

    # Every run checks every row first (the apply too: the data may have changed since
    # its dry run); progress is visible while it does.
    for result, chunk in each_chunk(dry_run=True, progress=True):
        tally["created"] += result.totals["new"]
        tally["updated"] += result.totals["update"]
        tally["unchanged"] += result.totals["skip"]
        errors.extend(_errors(result, column_of, chunk))
    errors.sort(key=lambda e: e["row"] or 0)
    if errors or job.dry_run:
        if not job.dry_run:
            # An apply whose rows went bad since its dry run writes nothing, and says so
            # (its counts stay at 0: nothing was created or updated).
            tally = {
                "message": "Some rows are bad now (the data changed since the dry run); "
                "nothing was written."
            }
        _save(
            job,
            status=ImportJob.Status.DONE,
            errors=errors[:MAX_STORED_ERRORS],
            error_count=len(errors),
            finished_at=timezone.now(),
            **tally,
        )
        return
    if not tally["created"] and not tally["updated"]:
        # Everything is in Strata already: nothing to write, done.
        _save(job, status=ImportJob.Status.DONE, finished_at=timezone.now(), **tally)
        return
    # Applying: everything in one transaction, or nothing. The check just made (its
    # whole-file pass included) is the one the write follows.
    resource.row_types.clear()
    try:
        with transaction.atomic():
            for result, chunk in each_chunk(dry_run=False, progress=False):
                resource.settle()
                base = _errors(result, column_of, chunk)
                if base or result.has_errors() or result.has_validation_errors():
                    raise Refused(base)
            written = resource.finish(rows, dry_run=False)
    except Refused as exc:
        _save(
            job,
            status=ImportJob.Status.DONE,
            errors=exc.args[0][:MAX_STORED_ERRORS],
            error_count=len(exc.args[0]),
            message="Some rows were refused while writing; nothing was written.",
            finished_at=timezone.now(),
        )
        return
    _save(
        job,
        status=ImportJob.Status.DONE,
        written={job.kind: written},
        finished_at=timezone.now(),
        **tally,
    )
    _refresh(job.kind, written)


def _errors(result, column_of, chunk) -> list[dict]:
    found = []
    for error in result.base_errors:
        # On PostgreSQL a failed write aborts the transaction and every later statement
        # fails for that reason alone: the first error is the one to report.
        if isinstance(error.error, TransactionManagementError) or (
            "current transaction is aborted" in str(error.error)
        ):
            continue
        found.append({"row": None, "column": "", "message": str(error.error)})
    for _, row_errors in result.row_errors():
        for error in row_errors:
            number = error.row.get("__row") if isinstance(error.row, dict) else None
            found.append(
                {
                    "row": number,
                    "column": "",
                    "message": f"This row could not be read: {error.error}",
                }
            )
    for invalid in result.invalid_rows:
        # `number` counts the chunk's dataset rows from 1 (its values are the resource's
        # fields, not the file's row number).
        row_number = chunk[invalid.number - 1]["__row"]
        for name, messages in invalid.error_dict.items():
            column = column_of.get(name) or column_of.get(name.removesuffix("_id"), "")
            for message in messages:
                found.append({"row": row_number, "column": column, "message": str(message)})
    return found


def _refresh(kind: str, written: dict) -> None:
    """Queue the snapshots (counts, RPI, health) of the accounts the import touched: a job
    of their own, so the import is done as soon as its rows are written."""
    ids = set(written.get("created", [])) | set(written.get("updated", []))
    if not ids:
        return
    if kind in (Kind.CONTACTS, Kind.RELATIONSHIPS):
        model, path = (
            (Contact, "account_id")
            if kind == Kind.CONTACTS
            else (Relationship, "contact__account_id")
        )
        accounts = set()
        for chunk in chunks(ids):
            accounts.update(model.objects.filter(pk__in=chunk).values_list(path, flat=True))
        ids = accounts
    elif kind not in (Kind.ACCOUNTS, Kind.TEAM_MEMBERS):
        return
    account_ids = sorted(ids)
    transaction.on_commit(lambda: refresh_snapshots.delay(account_ids))
