"""Time the business-review packs (issue 9's targets: the internal pack of a demo Tier I
account renders in under 5 seconds; the executive portfolio pack of 50 accounts in
under 90 seconds in a worker).

Run against a database with the demo data (`manage.py seed_demo`), for example the
embedded default's:

    .venv/bin/python bench/packs.py [--accounts 5] [--repeat 3]

For the demo's Tier I accounts (the largest first), each pack is rendered in-process
exactly as a download renders it (`plans.packs.render_account_pack`, WeasyPrint
included): once cold (the relationship map drawn by Graphviz, nothing cached), then
`--repeat` times. It prints the time, the pages (read back with pypdf) and the size.

`--portfolio N` then runs the portfolio pack job's code (`plans.packs.portfolio_pack_render`,
what the Celery task calls; tests/plans/test_portfolio_pack.py runs it in a real worker)
over the N largest Tier I accounts, on this database or on seed_bench's:

    DATABASE_URL=postgres://... .venv/bin/python bench/packs.py --accounts 0 --portfolio 50
"""

import argparse
import io
import time

import _setup  # noqa: F401, I001 — sets Django up; first of the project's imports
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts_app.models import Account, User  # noqa: E402
from plans.models import GeneratedPack  # noqa: E402
from plans.packs import VARIANTS, portfolio_pack_render, render_account_pack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--portfolio", type=int, default=0, help="accounts in the portfolio pack")
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
        started = time.perf_counter()
        done = portfolio_pack_render(pack_id=pack.pk, limit=args.portfolio)
        elapsed = time.perf_counter() - started
        print(
            f"portfolio pack of {done.progress_total - 1} accounts: {elapsed:.1f} s, "
            f"{done.pages} pages, {done.size / 1024:.0f} KB (target < 90 s for 50)"
        )


if __name__ == "__main__":
    main()
