"""Time the business-review packs (issue 9's targets: the internal pack of a demo Tier I
account renders in under 5 seconds; the executive portfolio pack of 50 accounts in
under 90 seconds in a worker).

Run against a database with the demo data (`manage.py seed_demo`), for example the
embedded default's:

    .venv/bin/python bench/packs.py [--accounts 5] [--repeat 3]

For the demo's Tier I accounts (the largest first), each pack is rendered in-process
exactly as a download renders it (`insights.packs.render_account_pack`, WeasyPrint
included): once cold (the relationship map drawn by Graphviz, nothing cached), then
`--repeat` times. It prints the time, the pages (read back with pypdf) and the size.

`--portfolio N` then runs the portfolio pack job's code (`insights.packs.portfolio_pack_render`,
what the Celery task calls; tests/plans/test_portfolio_pack.py runs it in a real worker)
over the N largest Tier I accounts, on this database or on seed_bench's:

    DATABASE_URL=postgres://... .venv/bin/python bench/packs.py --accounts 0 --portfolio 50

With `--worker` the portfolio pack is rendered by a Celery worker that the script starts
(its own queue, the broker of the settings: Redis with REDIS_URL, else the filesystem
one), timed from the moment the job is queued to the moment the pack is stored.
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import _setup  # noqa: F401, I001 — sets Django up; first of the project's imports
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts_app.models import Account, User  # noqa: E402
from insights.packs import VARIANTS, portfolio_pack_render, render_account_pack
from plans.models import GeneratedPack  # noqa: E402
from plans.tasks import render_portfolio_pack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--portfolio", type=int, default=0, help="accounts in the portfolio pack")
    parser.add_argument("--worker", action="store_true", help="render it in a Celery worker")
    args = parser.parse_args()
    call_command("collectstatic", "--noinput", verbosity=0)  # the packs' stylesheet

    accounts = list(
        Account.objects.filter(tier_assignment__tier__rank=1, owner__isnull=False)
        .annotate(n=Count("contacts"))
        .select_related("owner", "latest_snapshot", "tier_assignment__tier")
        .order_by("-n", "pk")[: args.accounts]
    )
    if not accounts and not args.portfolio:
        raise SystemExit("No Tier I account: run `manage.py seed_demo` first.")
    if accounts:
        print(f"{'account':32} {'variant':9} {'cold s':>7} {'warm s':>7} {'pages':>5} {'KB':>6}")
    worst = 0.0
    for account in accounts:
        for variant in VARIANTS:
            cache.clear()
            started = time.perf_counter()
            pdf = render_account_pack(account=account, variant=variant, user=account.owner)
            cold = time.perf_counter() - started
            warm = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                render_account_pack(account=account, variant=variant, user=account.owner)
                warm.append(time.perf_counter() - started)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            worst = max(worst, cold, *warm)
            print(
                f"{account.name[:32]:32} {variant:9} {cold:7.2f} {min(warm):7.2f} {pages:5} "
                f"{len(pdf) / 1024:6.0f}"
            )
    if accounts:
        print(f"slowest render: {worst:.2f} s (target < 5 s)")
    if args.portfolio:
        executive = User.objects.filter(role=User.Role.EXECUTIVE).order_by("pk").first()
        pack = GeneratedPack.objects.create(kind="portfolio", requested_by=executive)
        cache.clear()
        if args.worker:
            elapsed = in_a_worker(pack, args.portfolio)
        else:
            started = time.perf_counter()
            portfolio_pack_render(pack_id=pack.pk, limit=args.portfolio)
            elapsed = time.perf_counter() - started
        done = GeneratedPack.objects.get(pk=pack.pk)
        where = "in a Celery worker" if args.worker else "in-process"
        print(
            f"portfolio pack of {done.progress_total - 1} accounts {where}: {elapsed:.1f} s, "
            f"{done.pages} pages, {done.size / 1024:.0f} KB (target < 90 s for 50)"
        )


def in_a_worker(pack, accounts: int) -> float:
    """Start a worker on a queue of its own, queue the pack's job, wait until the pack is
    stored; seconds from queueing to stored."""
    queue = f"bench-packs-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "STRATA_PORTFOLIO_PACK_ACCOUNTS": str(accounts), "DEBUG": "false"}
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue),
            *("-P", "solo", "-n", f"{queue}@%h", "--without-gossip", "--without-mingle"),
            "--without-heartbeat",
        ],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(60):  # the worker says it is ready
            time.sleep(0.5)
            if "ready" in Path(log.name).read_text():
                break
        started = time.perf_counter()
        render_portfolio_pack.apply_async(args=[pack.pk], queue=queue)
        while time.perf_counter() - started < 600:
            status = GeneratedPack.objects.filter(pk=pack.pk).values_list("status", flat=True)[0]
            if status in ("done", "failed"):
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        if status != "done":
            print(Path(log.name).read_text()[-3000:])
            raise SystemExit(f"the job ended {status}")
        return elapsed
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
