"""Time a segmentation run over the DESIGN §9 data set (issue 3's target: < 20 s).

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/segmentation.py

It runs a dry run, an applied run and a second applied run (which must change nothing),
each in-process, and prints the wall time, the SQL query count (fixed-size batches: it
must not grow with the number of accounts), the changes listed and the history rows.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts_app.models import Account  # noqa: E402
from segmentation import services  # noqa: E402
from segmentation.models import SegmentationRun, TierChange  # noqa: E402


def main() -> None:
    accounts = Account.objects.filter(archived=False).count()
    print(f"database: {connection.vendor}, {accounts:,} accounts")
    for label, dry_run in (("dry run", True), ("apply", False), ("apply again", False)):
        run = SegmentationRun.objects.create(dry_run=dry_run)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            services.segmentation_run_execute(run_id=run.pk)
        seconds = time.perf_counter() - started
        count = len(queries)
        run.refresh_from_db()
        print(
            f"{label:<12} {seconds:6.1f} s  {count:4} queries  status {run.status:<6} "
            f"{len(run.changes):6} changes  {TierChange.objects.count():6} history rows"
        )


if __name__ == "__main__":
    main()
