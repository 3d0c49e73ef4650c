"""`manage.py backup [--output FILE]`: the whole database in one file (var/backups/ by
default), SQLite or PostgreSQL alike."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database to one file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="the file to write (default var/backups/strata-<time>.*)"
        )

    def handle(self, *args, output=None, **options):
        try:
            path = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size / 2**20:.1f} MB)")
