"""Time the recompute of every account's snapshot — counts, last interaction and the
Relationship Penetration Index — over the DESIGN §9 data set (issue 4's target: < 30 s).

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/rpi.py

It calls the nightly job's code in-process (insights.snapshots, in batches of 500
accounts) twice and prints the wall time, the SQL query count and the RPI spread.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts_app.models import Account, Contact, Relationship  # noqa: E402
from insights.snapshots import BATCH, account_snapshots_refresh  # noqa: E402


def main() -> None:
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    print(
        f"database: {connection.vendor}, {len(ids):,} accounts, "
        f"{Contact.objects.count():,} contacts, {Relationship.objects.count():,} relationships"
    )
    for attempt in ("first", "second"):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            rows = account_snapshots_refresh(account_ids=ids)
            elapsed = time.perf_counter() - started
        rpis = [float(row.rpi) for row in rows.values()]
        print(
            f"{attempt:7} recompute  {elapsed:6.1f} s  {len(ctx.captured_queries):5} queries "
            f"(batches of {BATCH})  {len(rows):,} snapshots  RPI median "
            f"{statistics.median(rpis):.1f}, min {min(rpis):.1f}, max {max(rpis):.1f}"
        )


if __name__ == "__main__":
    main()
