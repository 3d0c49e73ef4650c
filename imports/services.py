"""Starting an import: who may, what a file must be before it is queued, the mapping
(guessed, preset, saved per kind), and applying a dry run that had no errors."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts_app.models import User
from core.history import records_actor

from .columns import check_mapping, guess_mapping
from .models import ImportJob, Kind, Preset, SavedMapping
from .reading import FileProblem, max_bytes, read_table


def can_import(user: User) -> bool:
    """Admins import anything, managers and team members into accounts they may change
    (each row is checked); executives read."""
    active = user is not None and user.is_authenticated and user.is_active
    return active and (user.is_admin_role or user.role != User.Role.EXECUTIVE)


def parse_mapping(value) -> dict:
    if value in (None, "", {}):
        return {}
    if isinstance(value, dict):
        mapping = value
    else:
        try:
            mapping = json.loads(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                {"mapping": 'Give the mapping as JSON: {"column": "field"}.'}
            ) from exc
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str | None) for k, v in mapping.items()
    ):
        raise ValidationError({"mapping": 'Give the mapping as JSON: {"column": "field"}.'})
    return {k: v for k, v in mapping.items() if v}


@records_actor
def import_start(
    *,
    by: User,
    kind: str,
    file_name: str,
    content: bytes,
    preset: str = "",
    mapping: dict | None = None,
    dry_run: bool = True,
    queue: bool = True,
) -> ImportJob:
    """Check the file as a whole (a clear message, nothing queued, if it cannot be
    imported), settle the mapping, record the run and queue it."""
    if not can_import(by):
        raise PermissionDenied("Executives read; imports are for admins, managers and teams.")
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = f"Choose one of: {', '.join(Kind.values)}."
    if preset and preset not in Preset.values:
        errors["preset"] = f"Choose one of: {', '.join(Preset.values)}, or none."
    if errors:
        raise ValidationError(errors)
    if len(content) > max_bytes():
        raise ValidationError({"file": f"The file is larger than {max_bytes() // 2**20} MB."})
    try:
        table = read_table(content, file_name)
    except FileProblem as exc:
        raise ValidationError({"file": str(exc)}) from exc
    saved = SavedMapping.objects.filter(kind=kind).values_list("mapping", flat=True).first()
    final = guess_mapping(table.headers, kind, preset=preset, saved=saved)
    if mapping:
        final = {h: f for h, f in final.items() if h not in mapping and f not in mapping.values()}
        final.update(mapping)
    clean, _, problems = check_mapping(table.headers, kind, final)
    if problems:
        raise ValidationError({"mapping": problems})
    from .tasks import run_import

    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            preset=preset,
            dry_run=dry_run,
            file_name=file_name[:255],
            content=content,
            mapping=clean,
            created_by=by,
            total_rows=sum(1 for r in table.rows if r),
        )
        SavedMapping.objects.update_or_create(
            kind=kind, defaults={"mapping": clean, "updated_by": by}
        )
        if queue:
            transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


@records_actor
def import_apply(*, job: ImportJob, by: User, queue: bool = True) -> ImportJob:
    """Apply a dry run that found no bad row: the same file and mapping, written."""
    if job.created_by_id != by.pk and not by.is_admin_role:
        raise PermissionDenied("Only who ran the dry run (or an admin) applies it.")
    if not job.dry_run or not job.applicable:
        raise ValidationError("Only a finished dry run without errors can be applied.")
    from .tasks import run_import

    with transaction.atomic():
        applied = ImportJob.objects.create(
            kind=job.kind,
            preset=job.preset,
            dry_run=False,
            file_name=job.file_name,
            content=job.content,
            mapping=job.mapping,
            created_by=by,
            dry_run_of=job,
            total_rows=job.total_rows,
        )
        if queue:
            transaction.on_commit(lambda: run_import.delay(applied.pk))
    return applied


def import_preview(*, kind: str, file_name: str, content: bytes, preset: str = "") -> dict:
    """The headers of a file and the mapping Strata guesses for them (the page's step 2)."""
    table = read_table(content, file_name)
    saved = SavedMapping.objects.filter(kind=kind).values_list("mapping", flat=True).first()
    return {
        "headers": table.headers,
        "mapping": guess_mapping(table.headers, kind, preset=preset, saved=saved),
        "rows": sum(1 for r in table.rows if r),
        "sample": next((r for r in table.rows if r), ()),
    }


@records_actor
def import_draft(
    *, by: User, kind: str, file_name: str, content: bytes, preset: str = ""
) -> ImportJob:
    """The page's first step: the file checked and kept, the mapping guessed; the person
    then confirms or changes the mapping (`import_queue`)."""
    if not can_import(by):
        raise PermissionDenied("Executives read; imports are for admins, managers and teams.")
    if len(content) > max_bytes():
        raise ValidationError(
            {"file": f"The file is larger than {max_bytes() // 2**20} MB: split it."}
        )
    try:
        preview = import_preview(kind=kind, file_name=file_name, content=content, preset=preset)
    except FileProblem as exc:
        raise ValidationError({"file": str(exc)}) from exc
    return ImportJob.objects.create(
        kind=kind,
        preset=preset,
        file_name=file_name[:255],
        content=content,
        mapping=preview["mapping"],
        created_by=by,
        total_rows=preview["rows"],
        status=ImportJob.Status.DRAFT,
    )


@records_actor
def import_queue(*, job: ImportJob, by: User, mapping: dict) -> ImportJob:
    """Start the dry run of a draft with the mapping the person chose (saved for the kind)."""
    table = read_table(bytes(job.content), job.file_name)
    clean, ignored, problems = check_mapping(table.headers, job.kind, mapping)
    if problems:
        raise ValidationError(problems)
    from .tasks import run_import

    with transaction.atomic():
        job.mapping, job.ignored_columns = clean, ignored
        job.status = ImportJob.Status.PENDING
        job.save(update_fields=["mapping", "ignored_columns", "status"])
        SavedMapping.objects.update_or_create(
            kind=job.kind, defaults={"mapping": clean, "updated_by": by}
        )
        transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def visible_imports(user: User):
    """Everyone sees their own imports; admins see all."""
    jobs = ImportJob.objects.select_related("created_by").defer("content")
    return jobs if user.is_admin_role else jobs.filter(created_by=user)
