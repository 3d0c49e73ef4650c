"""`manage.py seed_bench`: the DESIGN §9 benchmark data set (10,000 accounts by default),
deterministic and topped up on a second run. The data set and its rules: `demo.bench`."""

from django.core.management.base import BaseCommand, CommandError

from demo.bench.progress import BenchRun
from demo.bench.run import seed_bench
from demo.bench.users import EXECUTIVES, MANAGERS


class Command(BaseCommand):
    help = "Generate the DESIGN §9 benchmark data set (10,000 accounts by default)."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=10_000, help="accounts to have")
        parser.add_argument("--users", type=int, default=300, help="bench users to have")
        parser.add_argument("--reset", action="store_true", help="delete bench data first")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--chunk", type=int, default=1000, help="accounts written per transaction"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--opportunities-per-account",
            type=int,
            default=5,
            help="opportunities each bench account has (default 5: 50,000 at 10,000 accounts)",
        )
        parser.add_argument(
            "--scorecard-months",
            type=int,
            default=60,
            help="monthly scorecards each bench account has, up to this month (default 60: "
            "600,000 scorecards at 10,000 accounts; 0 skips them and the surveys)",
        )

        parser.add_argument(
            "--no-retention",
            action="store_true",
            help="skip the contracts, the 36 months of revenue and the risks (about 10,000 "
            "contracts and 360,000 revenue months at 10,000 accounts)",
        )

    def handle(self, *args, **options):
        n_accounts, n_users = options["accounts"], options["users"]
        if n_accounts < 1:
            raise CommandError("--accounts must be at least 1.")
        if n_users < EXECUTIVES + MANAGERS + 3:
            raise CommandError(f"--users must be at least {EXECUTIVES + MANAGERS + 3}.")
        seed_bench(
            BenchRun(stdout=self.stdout, seed=options["seed"], batch=options["batch_size"]),
            n_accounts=n_accounts,
            n_users=n_users,
            reset=options["reset"],
            chunk=options["chunk"],
            opportunities_per_account=options["opportunities_per_account"],
            scorecard_months=options["scorecard_months"],
            with_retention=not options["no_retention"],
            verbose=options["verbosity"] >= 2,
        )
