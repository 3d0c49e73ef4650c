"""`manage.py seed_demo`: a believable supplier's book of business for demos and trials,
with its users (password ``strata-demo``). The data set and its rules: `demo.seed`.

On production settings it refuses to run — the demo's users include an admin, and the
demo password is published — unless told `--i-know-this-is-production`; the users it
then creates get generated passwords, printed once."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed.run import seed_demo

FLAG = "--i-know-this-is-production"


class Command(BaseCommand):
    help = "Load the demo data set (users, ~60 accounts with teams, contacts, relationships)."

    def add_arguments(self, parser):
        parser.add_argument(
            FLAG,
            action="store_true",
            dest="production",
            help="Load the demo on production settings too; its users get generated passwords.",
        )

    def handle(self, *args, production: bool = False, **options):
        on_production = settings.STRATA_PRODUCTION
        if on_production and not production:
            raise CommandError(
                "These are production settings: seed_demo would add demo accounts and users, "
                f"an admin among them. Nothing was written. To load the demo anyway, run "
                f"seed_demo {FLAG}; its users then get generated passwords, printed once."
            )
        passwords: dict[str, str] = {}

        def generated(username: str) -> str:
            passwords[username] = secrets.token_urlsafe(12)
            return passwords[username]

        message = seed_demo(password_for=generated if on_production else None)
        self.stdout.write(self.style.SUCCESS(message))
        if passwords:
            self.stdout.write(
                "The demo users' passwords (shown this once; users that existed keep theirs):"
            )
            width = max(len(name) for name in passwords)
            for username, password in passwords.items():
                self.stdout.write(f"  {username:<{width}}  {password}")
