"""Time the relationship map (accounts_app/relmap/) on the data set of DESIGN §9.

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/relmap.py [--repeat 20]

It takes the account with the most contacts (then relationships) and times drawing its
map cold (cache cleared: the queries and Graphviz's `dot`) and cached (the fingerprint
query only), then the Map tab, the SVG and the PDF downloads in-process through
Django's test client as an admin; it prints the median and 95th percentile time and the
number of SQL queries.
"""

import argparse
import sys
import time

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts_app.models import Account, User  # noqa: E402
from accounts_app.relmap import relationship_map, svg_size_pt  # noqa: E402


def timed(call, repeat: int, *, cold: bool) -> tuple[float, float, int]:
    """Median and p95 in ms over `repeat` calls, and the queries of one call."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        call()
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _setup.median_p95(timings)
    return median, p95, query_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed static names
    admin = (
        User.objects.filter(is_superuser=True).first()
        or User.objects.filter(role=User.Role.ADMIN).first()
    )
    account = (
        Account.objects.annotate(
            n_contacts=Count("contacts", distinct=True),
            n_relationships=Count("contacts__relationships", distinct=True),
        )
        .order_by("-n_contacts", "-n_relationships", "pk")
        .first()
    )
    if admin is None or account is None:
        sys.exit("No admin or account found: run `manage.py seed_bench` first.")
    relmap = relationship_map(account)
    width, height = svg_size_pt(relmap.svg)
    print(
        f"database: {connection.vendor}, {Account.objects.count():,} accounts; "
        f"largest: {account.name} (#{account.pk}), {account.n_contacts} contacts, "
        f"{account.n_relationships} relationships, {relmap.business_unit_count} business "
        f"units; map {width:.0f} × {height:.0f} pt, {len(relmap.svg) / 1024:.0f} KB"
    )

    client = Client()
    client.force_login(admin)

    def get(url: str):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    base = f"/accounts/{account.pk}"
    cases = [
        ("relationship_map_svg(), cold (queries + dot)", lambda: relationship_map(account), True),
        ("relationship_map_svg(), cached", lambda: relationship_map(account), False),
        ("page layout for PDFs, cold", lambda: relationship_map(account, for_page=True), True),
        ("Map tab, cold", get(f"{base}/map/"), True),
        ("Map tab, cached", get(f"{base}/map/"), False),
        ("Map tab as htmx fragment, cached", get(f"{base}/map/"), False),
        ("SVG download, cached", get(f"{base}/map.svg"), False),
        ("PDF download, cached map (WeasyPrint)", get(f"{base}/map.pdf"), False),
    ]
    print(f"{'what':<46} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, call, cold in cases:
        if "htmx" in label:
            client.defaults["HTTP_HX_REQUEST"] = "true"
        repeat = max(3, args.repeat // 4) if "PDF" in label else args.repeat
        median, p95, queries = timed(call, repeat, cold=cold)
        client.defaults.pop("HTTP_HX_REQUEST", None)
        print(f"{label:<46} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
