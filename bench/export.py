"""Time the exports (DESIGN §10, issue 16's target: the 10,000 accounts as XLSX in 20 s
or less on PostgreSQL) over the DESIGN §9 data set.

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/export.py [--repeat 3]

Each export is requested in-process through DRF's test client as the bench admin (who
sees all 10,000 accounts), authenticated without a session: the script only reads.
Each one runs in a process of its own, so that its peak memory (maximum resident set
size, the Python process whole) is its own; it prints the median time of `--repeat`
requests after one warm-up, the SQL queries of one request, the rows and the size.
"""

import argparse
import json
import resource
import subprocess
import sys
import time

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts_app.models import Account, User  # noqa: E402

EXPORTS = {
    "accounts-xlsx": "/api/v1/accounts/export/?file_format=xlsx",
    "accounts-csv": "/api/v1/accounts/export/?file_format=csv",
    "contacts-csv": "/api/v1/contacts/export/?file_format=csv",
    "contacts-xlsx": "/api/v1/contacts/export/?file_format=xlsx",
    "opportunities-xlsx": "/api/v1/opportunities/export/?file_format=xlsx",
    "plans-csv": "/api/v1/plans/export/?file_format=csv",
    "alerts-csv": "/api/v1/alerts/export/?file_format=csv",
    "account-json": "/api/v1/accounts/{big}/export/",
}


def _admin() -> User:
    admin = User.objects.filter(username="bench-user-0001").first()
    if admin is None:
        sys.exit("No bench admin: run `manage.py seed_bench` first.")
    return admin


def _rows(name: str, content: bytes) -> int:
    if name.endswith("json"):  # the records of the account's lists, top level
        return sum(len(v) for v in json.loads(content).values() if isinstance(v, list))
    if name.endswith("csv"):
        return content.count(b"\n") - 1
    from io import BytesIO

    from openpyxl import load_workbook

    # A write-only workbook records no dimensions: count the rows.
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return sum(1 for _ in sheet.iter_rows(values_only=True)) - 1


def measure_one(name: str, repeat: int) -> dict:
    """One export in this process: its median time, queries, rows, size, peak memory."""
    client = APIClient()
    client.force_authenticate(_admin())
    big = Account.objects.order_by("-annual_revenue").values_list("pk", flat=True).first()
    url = EXPORTS[name].format(big=big)
    client.get("/api/v1/accounts/export/?q=no-such-account")  # warm code and connection
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # read now: the next request clears the log
    assert response.status_code == 200, response.content[:300]
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    median, _ = _setup.median_p95(timings)
    return {
        "name": name,
        "seconds": median,
        "queries": query_count,
        "rows": _rows(name, response.content),
        "mb": len(response.content) / 1e6,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "base_mb": rss_before / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=list(EXPORTS), action="append")
    parser.add_argument("--child", choices=list(EXPORTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_one(args.child, args.repeat)))
        return
    print(f"database: {connection.vendor}, {Account.objects.count():,} accounts")
    print(
        f"{'export':<24} {'median s':>9} {'queries':>8} {'rows':>8} {'file MB':>8}"
        f" {'peak RSS MB':>12} {'before MB':>10}"
    )
    for name in args.only or EXPORTS:
        out = subprocess.run(
            [sys.executable, __file__, "--child", name, "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['name']:<24} {r['seconds']:>9.2f} {r['queries']:>8} {r['rows']:>8,}"
            f" {r['mb']:>8.1f} {r['peak_mb']:>12.0f} {r['base_mb']:>10.0f}"
        )


if __name__ == "__main__":
    main()
