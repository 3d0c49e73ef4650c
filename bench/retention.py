"""Time the retention work of issue 20 on the DESIGN §9 data set with seed_bench's retention
phase (about 10,000 contracts and 360,000 revenue months at 10,000 accounts): the daily
renewal job (target ≤ 10 s), NRR and GRR by tier (≤ 300 ms, or precomputed by the
dashboard job) and an account's Contracts and Risks tabs (≤ 150 ms, with a number of
queries that does not depend on the rows).

Run after `python manage.py seed_bench` (and bench/segmentation.py, for tiers) against
the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/retention.py [--runs 3] [--repeat 20]

1. **The renewal job** (`opportunities.contracts.renewals_open`, the code of the daily
   task `open_renewals`), in-process: first every renewal opportunity opened before is
   deleted and its contract unlinked, so that every active contract within
   STRATA_RENEWAL_LEAD_DAYS of its end is due; then the job runs (it opens them all) and
   runs again (nothing to do). `--runs` times over; each run's wall time, SQL queries
   and opportunities opened. Each batch queues its accounts' recomputes after its commit;
   that broker call is stubbed unless `--broker` (then the jobs go to REDIS_URL's broker
   and are purged afterwards; nobody runs them).
2. **NRR and GRR by tier** (`insights.retention.retention_by_tier`) over every revenue
   month, `--repeat` calls after one warm-up; the dashboard job that stores it with the
   portfolio's other aggregates (`insights.dashboards.portfolio_snapshot_refresh`), and
   the executive's portfolio page that reads the stored figures.
3. **The Contracts and Risks tabs** through Django's test client as the account's owner,
   for a bench account with one contract and one risk, the bench account with the most,
   and bench/account_page.py's "Bench Big Account" given 100 contracts and 100 risks here
   (once; created with the account if missing): median and 95th percentile time and the
   queries of one request (session and user lookups included).
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from account_page import big_account  # noqa: E402 — the same big account
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts_app.models import Account, RevenueEntry, TeamMember, User  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from core import history, jobs  # noqa: E402
from demo.bench.accounts import ACCOUNT_PREFIX  # noqa: E402
from demo.seed.risks import RISKS  # noqa: E402
from insights.dashboards import portfolio_snapshot_refresh  # noqa: E402
from insights.retention import retention_by_tier  # noqa: E402
from opportunities.contracts import renewals_open  # noqa: E402
from opportunities.models import Contract, Opportunity  # noqa: E402
from plans.models import Risk  # noqa: E402
from plans.risk_register import risk_score  # noqa: E402
from segmentation.models import TierAssignment  # noqa: E402

MANY = 100  # contracts and risks of the big account
BIG_CONTRACT = "Bench Big Contract "


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def timed(work) -> tuple[float, int, object]:
    """(seconds, SQL queries, result) of `work()`. The queries are counted, not logged:
    the old job made more than the 9,000 a query log keeps."""
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return seconds, count, result


# --- 1. The renewal job --------------------------------------------------------------------


def renewals_undo() -> int:
    """Delete every renewal opportunity the job opened and unlink its contract: the state
    before the job's first run. Returns how many there were."""
    linked = Contract.objects.exclude(renewal_opportunity=None)
    ids = list(linked.values_list("renewal_opportunity_id", flat=True))
    with transaction.atomic():
        linked.update(renewal_opportunity=None)
        Opportunity.objects.filter(pk__in=ids).delete()
    return len(ids)


def due_count(today) -> int:
    lead = timedelta(days=settings.STRATA_RENEWAL_LEAD_DAYS)
    return Contract.objects.filter(
        status=Contract.Status.ACTIVE,
        renewal_opportunity=None,
        end_date__gte=today,
        end_date__lte=today + lead,
        account__archived=False,
    ).count()


def bench_renewals(runs: int) -> None:
    today = timezone.localdate()
    first, second = [], []
    for attempt in range(1, runs + 1):
        undone = renewals_undo()
        # Each account's recompute is queued once per debounce window: as on a first run.
        accounts = Contract.objects.values_list("account_id", flat=True).distinct()
        cache.delete_many([f"snapshot-pending:{pk}" for pk in accounts])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE opportunities_contract")
        due = due_count(today)
        seconds, queries, opened = timed(lambda: renewals_open(today=today))
        first.append(seconds)
        print(
            f"  run {attempt}: {undone} renewals undone, {due} due; first run {seconds:.2f} s, "
            f"{queries} queries, {opened} opened",
            end="",
        )
        seconds, queries, opened = timed(lambda: renewals_open(today=today))
        second.append(seconds)
        print(f"; second run {seconds:.2f} s, {queries} queries, {opened} opened")
    print(f"renewal job, first run: {spread(first)}; second run: {spread(second)}")


# --- 2. NRR and GRR by tier ----------------------------------------------------------------


def bench_retention(repeat: int) -> None:
    today = timezone.localdate()
    retention_by_tier(today=today)  # warm up
    timings = []
    for _ in range(repeat):
        seconds, queries, data = timed(lambda: retention_by_tier(today=today))
        timings.append(seconds * 1000)
    median, p95 = _setup.median_p95(timings)
    print(
        f"retention_by_tier() over {RevenueEntry.objects.count():,} revenue months: median "
        f"{median:.0f} ms, p95 {p95:.0f} ms (min {min(timings):.0f}, max {max(timings):.0f}), "
        f"{queries} queries"
    )
    print(f"  windows {data['earlier_from']} … {data['later_from']} … {data['until']}")
    for row in [*data["tiers"], data["total"]]:
        print(
            f"  {row['name']:<16} {row['accounts']:>6,} accounts  NRR {row['nrr_pct']}%  "
            f"GRR {row['grr_pct']}%"
        )
    job = []
    for _ in range(3):
        seconds, queries, _ = timed(lambda: portfolio_snapshot_refresh(day=today))
        job.append(seconds)
    print(f"dashboard job (portfolio aggregates with retention): {spread(job)}, {queries} queries")
    executive = User.objects.filter(username="bench-user-0002").first()
    client = Client()
    client.force_login(executive)
    r = _setup.get_timed(client, "/dashboards/portfolio/", repeat)
    print(
        f"executive portfolio page (reads the stored figures): median {r['median']:.1f} ms, "
        f"p95 {r['p95']:.1f} ms, {r['queries']} queries, {r['kb']:.0f} KB"
    )


# --- 3. The tabs ---------------------------------------------------------------------------


def big_account_filled() -> Account:
    """bench/account_page.py's big account with MANY contracts (their ends a fortnight
    apart, from a year ago to three years ahead) and MANY risks, written once."""
    account = big_account()
    if (
        Contract.objects.filter(account=account).count() == MANY
        and Risk.objects.filter(account=account).count() == MANY
    ):
        return account
    team = list(
        TeamMember.objects.filter(account=account).order_by("pk").values_list("user_id", flat=True)
    )
    rng = random.Random(2020)
    today = timezone.localdate()
    with transaction.atomic():
        Contract.objects.filter(account=account).delete()
        Risk.objects.filter(account=account).delete()
        contracts = []
        for n in range(MANY):
            end = today + timedelta(days=-365 + 15 * n)
            years = rng.choice((1, 2, 3))
            contracts.append(
                Contract(
                    account=account,
                    name=f"{BIG_CONTRACT}{n:03d}",
                    annual_value=Decimal(rng.randrange(20, 900) * 1000),
                    start_date=end - timedelta(days=365 * years),
                    end_date=end,
                    auto_renew=rng.random() < 0.3,
                    notice_days=rng.choice((0, 30, 60, 90)),
                    status=Contract.Status.ACTIVE
                    if end >= today
                    else rng.choice((Contract.Status.RENEWED, Contract.Status.ENDED)),
                )
            )
        history.bulk_create(Contract, contracts)
        risks = []
        for n in range(MANY):
            title, category, _, _, mitigation = RISKS[n % len(RISKS)]
            likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
            risks.append(
                Risk(
                    account=account,
                    title=f"{title} ({n})",
                    category=category,
                    likelihood=likelihood,
                    impact=impact,
                    score=risk_score(likelihood, impact),
                    owner_id=rng.choice(team),
                    mitigation=mitigation,
                    due_date=today + timedelta(days=rng.randint(-30, 120)),
                    status=rng.choice(("open", "open", "mitigating", "mitigating", "closed")),
                )
            )
        history.bulk_create(Risk, risks)
    print(f"gave {account.name} {MANY} contracts and {MANY} risks")
    return account


def bench_accounts_by_size():
    """A bench account with one contract and one risk, and the one with the most (neither
    a subsidiary: a subsidiary's page reads its group's visibility, one query more)."""
    accounts = Account.objects.filter(name__startswith=ACCOUNT_PREFIX, parent=None).annotate(
        contracts_n=Count("contracts", distinct=True), risks_n=Count("risks", distinct=True)
    )
    few = accounts.filter(contracts_n=1, risks_n=1).order_by("name").first()
    most = accounts.order_by("-contracts_n", "-risks_n", "name").first()
    return few, most


TABS = ("Contracts", "Risks (live)", "Risks (all)")


def time_tabs(repeat: int, account: Account, label: str) -> list[tuple]:
    client = Client()
    client.force_login(account.owner)
    risks = Risk.objects.filter(account=account)
    urls = (
        reverse("opportunities:contracts", args=[account.pk]),
        reverse("account_risks", args=[account.pk]),
        reverse("account_risks", args=[account.pk]) + "?show=all",
    )
    sizes = (
        Contract.objects.filter(account=account).count(),
        risks.filter(status__in=Risk.LIVE).count(),
        risks.count(),
    )
    rows = []
    for tab, url, n in zip(TABS, urls, sizes, strict=True):
        r = _setup.get_timed(client, url, repeat)
        rows.append((label, tab, n, r))
        print(
            f"{label:<44} {tab:<13} {n:>5} {r['median']:>10.1f} {r['p95']:>7.1f} "
            f"{r['queries']:>7} {r['kb']:>5.0f} {r['status']:>6}"
        )
    return rows


def bench_tabs(repeat: int, accounts: list[Account], big: Account) -> None:
    print(
        f"{'account':<44} {'tab':<13} {'rows':>5} {'median ms':>10} {'p95 ms':>7} "
        f"{'queries':>7} {'KB':>5} {'status':>6}"
    )
    rows = []
    for account in accounts:
        rows += time_tabs(repeat, account, account.name)
    rows += time_tabs(repeat, big, big.name)
    # The same account with one contract and one live risk: the others deleted inside a
    # transaction that is rolled back afterwards.
    with transaction.atomic():
        keep = Contract.objects.filter(account=big).order_by("-end_date").first()
        Contract.objects.filter(account=big).exclude(pk=keep.pk).delete()
        live = Risk.objects.filter(account=big, status__in=Risk.LIVE).order_by("pk").first()
        Risk.objects.filter(account=big).exclude(pk=live.pk).delete()
        small = time_tabs(repeat, big, f"{big.name}, one of each")
        transaction.set_rollback(True)
    for tab in TABS:
        mine = [r["queries"] for label, t, _, r in rows + small if t == tab and "Big" in label]
        print(f"  {tab}: {big.name} with 1 and with {MANY} rows: queries {sorted(set(mine))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the renewal job")
    parser.add_argument("--repeat", type=int, default=20, help="requests or calls timed")
    parser.add_argument("--broker", action="store_true", help="queue the recomputes")
    parser.add_argument("--only", choices=("renewals", "retention", "tabs"), action="append")
    args = parser.parse_args()
    parts = args.only or ["renewals", "retention", "tabs"]

    if not Contract.objects.filter(account__name__startswith=ACCOUNT_PREFIX).exists():
        sys.exit("No bench contracts: run `manage.py seed_bench` (with its retention phase).")
    call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed static names
    if not args.broker:  # each batch of renewals queues its accounts' recomputes: not here
        jobs.schedule_recompute = lambda account_id: None
    big = big_account_filled()  # before the job: its contracts due are opened too
    print(
        f"database: {connection.vendor}, {Account.objects.count():,} accounts "
        f"({TierAssignment.objects.count():,} in tiers), {Contract.objects.count():,} "
        f"contracts ({Contract.objects.filter(status='active').count():,} active), "
        f"{RevenueEntry.objects.count():,} revenue months, {Risk.objects.count():,} risks "
        f"(live: {Risk.objects.filter(status__in=Risk.LIVE).count():,}), "
        f"{Opportunity.objects.count():,} opportunities"
    )
    if "renewals" in parts:
        bench_renewals(args.runs)
        if args.broker:
            print(f"purged {celery_app.control.purge()} queued jobs")
    if "retention" in parts:
        bench_retention(args.repeat)
    if "tabs" in parts:
        few, most = bench_accounts_by_size()
        bench_tabs(args.repeat, [a for a in (few, most) if a is not None], big)


if __name__ == "__main__":
    main()
