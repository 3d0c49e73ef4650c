"""Import a CSV or XLSX file from a script: always a dry run first; `--apply` writes
when the dry run found no bad row."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts_app.models import User
from imports import engine, services
from imports.models import Kind, Preset


class Command(BaseCommand):
    help = "Import accounts, contacts, team members, relationships, opportunities or revenue."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="who imports (their rights apply)")
        parser.add_argument("--preset", choices=Preset.values, default="")
        parser.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD")
        parser.add_argument("--apply", action="store_true", help="write if the dry run is clean")

    def handle(self, *args, kind, file, user, preset, map, apply, **options):
        try:
            by = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user {user!r}.") from exc
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        mapping = dict(item.split("=", 1) for item in map if "=" in item)
        try:
            job = services.import_start(
                by=by,
                kind=kind,
                file_name=file.name,
                content=file.read_bytes(),
                preset=preset,
                mapping=mapping,
                dry_run=True,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        job = engine.run(job.pk)  # in this process, not queued
        self._report(job)
        if job.message or job.error_count:
            raise CommandError("Nothing was written: fix the rows above and run again.")
        if apply:
            applied = services.import_apply(job=job, by=by, queue=False)
            applied = engine.run(applied.pk)
            self._report(applied)
            if applied.message or applied.error_count:
                raise CommandError("Nothing was written.")

    def _report(self, job):
        mode = "dry run" if job.dry_run else "applied"
        self.stdout.write(
            f"{job.kind} {mode}: {job.total_rows} rows — {job.created} to create, "
            f"{job.updated} to update, {job.unchanged} unchanged, {job.error_count} bad"
            if job.dry_run
            else f"{job.kind} {mode}: {job.created} created, {job.updated} updated, "
            f"{job.unchanged} unchanged"
        )
        if job.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(job.ignored_columns)}")
        if job.message:
            self.stdout.write(job.message)
        for error in job.errors[:200]:
            self.stdout.write(f"row {error['row']}, {error['column'] or '—'}: {error['message']}")
