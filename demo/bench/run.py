"""`seed_bench`'s run: reset if asked, the users, the missing accounts chunk by chunk,
then the opportunities, scorecards and surveys, contracts, revenue and risks they lack,
and fresh planner statistics."""

import time

from django.db import connection, transaction

from accounts_app.models import Account

from . import opportunities, retention, scorecards
from .accounts import ACCOUNT_PREFIX, write_chunk
from .progress import BenchRun
from .reset import reset as reset_bench_data
from .users import EXECUTIVES, MANAGERS, users_ensure


def seed_bench(
    run: BenchRun,
    *,
    n_accounts: int,
    n_users: int,
    reset: bool,
    chunk: int,
    opportunities_per_account: int,
    scorecard_months: int,
    with_retention: bool = True,
    verbose: bool = False,
) -> None:
    started = time.monotonic()
    if reset:
        with run.phase("reset"):
            reset_bench_data(run)

    with run.phase("users"):
        users = users_ensure(run, n_users)
    team_pool = [users[n] for n in range(EXECUTIVES + MANAGERS + 1, n_users + 1)]

    existing = {
        int(name[len(ACCOUNT_PREFIX) :]): pk
        for pk, name in Account.objects.filter(name__startswith=ACCOUNT_PREFIX).values_list(
            "pk", "name"
        )
        if name[len(ACCOUNT_PREFIX) :].isdigit()
    }
    missing = [n for n in range(1, n_accounts + 1) if n not in existing]
    if existing and missing:
        run.stdout.write(
            f"seed_bench: {len(existing)} bench accounts exist; adding {len(missing)}."
        )

    run.account_pks = dict(existing)
    chunk = max(1, chunk)
    for start in range(0, len(missing), chunk):
        numbers = missing[start : start + chunk]
        with transaction.atomic():
            write_chunk(run, numbers, team_pool)
        if verbose:
            run.stdout.write(f"  … {start + len(numbers)}/{len(missing)} accounts")

    added = opportunities.seed_opportunities(
        run,
        account_pks=run.account_pks,
        new=set(missing),
        per_account=opportunities_per_account,
        chunk=chunk,
    )
    added += scorecards.seed_scorecards(run, account_pks=run.account_pks, months=scorecard_months)
    if with_retention:
        added += retention.seed_retention(run, account_pks=run.account_pks, chunk=chunk)
    if not missing and not added:
        run.stdout.write(
            f"seed_bench: bench data already present ({len(existing)} accounts, "
            f"{len(users)} users); nothing to add. Use --reset to rebuild it."
        )
        return

    # Fresh planner statistics: without them PostgreSQL guesses the new tables are
    # tiny and picks sequential scans for per-account queries.
    with run.phase("analyze"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    total = time.monotonic() - started
    phases = ", ".join(f"{name} {secs:.1f} s" for name, secs in run.timings.items())
    made = ", ".join(f"{count} {name}" for name, count in run.created.items())
    run.stdout.write(f"seed_bench: created {made}.")
    run.stdout.write(f"seed_bench: timings: {phases}; total {total:.1f} s.")
