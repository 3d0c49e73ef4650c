"""`manage.py seed_demo`: a believable supplier's book of business for demos and trials,
with its users (password ``strata-demo``). The data set and its rules: `demo.seed`."""

from django.core.management.base import BaseCommand

from demo.seed.run import seed_demo


class Command(BaseCommand):
    help = "Load the demo data set (users, ~60 accounts with teams, contacts, relationships)."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(seed_demo()))
