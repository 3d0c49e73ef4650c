"""`manage.py restore FILE`: replace the whole database with a backup's content. Stop
the web server and the workers first; asks before it overwrites (`--yes` does not)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with the content of a backup file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask first")

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            answer = input(
                f"Everything in the database will be replaced by {file}. Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("Nothing was restored.")
        try:
            restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored from {file}.")
