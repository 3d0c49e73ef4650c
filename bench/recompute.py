"""Time the nightly recompute over the DESIGN §9 data set (issue 7's target: under 60 s
for 10,000 accounts with five years of monthly scorecards).

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/recompute.py [--profile]

It runs the code of `insights.tasks.nightly_recompute` in-process, twice (the second
run overwrites the same rows: the job is idempotent): every account's snapshot for today
(`insights.snapshots.account_snapshots_refresh`: counts, RPI, scorecard score,
survey, plan execution, engagement, health, pipeline, plan; batches of 500 accounts),
then the portfolio's aggregates by tier (`insights.dashboards.portfolio_snapshot_refresh`).
It prints the wall time and the SQL query count of each part, the rows written and the
health bands. `--profile` prints cProfile's top functions of a third run.
"""

import argparse
import cProfile
import pstats
import time
from collections import Counter

import _setup  # noqa: F401, I001 — sets Django up; first of the project's imports
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts_app.models import Account, AccountSnapshot  # noqa: E402
from insights.dashboards import portfolio_snapshot_refresh
from insights.snapshots import BATCH, account_snapshots_refresh  # noqa: E402
from scorecards.models import (  # noqa: E402
    PortfolioSnapshot,
    Scorecard,
    ScorecardLine,
    SurveyResponse,
    SurveyRound,
)
from segmentation.models import TierAssignment  # noqa: E402


def nightly() -> dict:
    """What insights.tasks.nightly_recompute does, each part timed and counted."""
    result = {}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
        written = account_snapshots_refresh(account_ids=ids)
        result["snapshots"] = (time.perf_counter() - started, len(queries), len(written))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        portfolio = portfolio_snapshot_refresh()
        result["portfolio"] = (time.perf_counter() - started, len(queries), portfolio)
    result["bands"] = Counter(s.health_band or "none" for s in written.values())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="cProfile a third run")
    args = parser.parse_args()

    print(
        f"database: {connection.vendor}, {Account.objects.count():,} accounts "
        f"({TierAssignment.objects.count():,} in tiers), {Scorecard.objects.count():,} "
        f"scorecards, {ScorecardLine.objects.count():,} lines, "
        f"{SurveyRound.objects.count():,} survey rounds "
        f"({SurveyResponse.objects.count():,} responses)"
    )
    today = timezone.localdate()
    for attempt in ("first", "second"):
        rows_before = AccountSnapshot.objects.count(), PortfolioSnapshot.objects.count()
        r = nightly()
        rows_after = AccountSnapshot.objects.count(), PortfolioSnapshot.objects.count()
        snap_s, snap_q, snap_n = r["snapshots"]
        port_s, port_q, _ = r["portfolio"]
        print(
            f"{attempt:6} run: {snap_s + port_s:5.1f} s, {snap_q + port_q} queries — "
            f"snapshots {snap_s:.1f} s, {snap_q} queries ({snap_n:,} accounts, batches of "
            f"{BATCH}); portfolio {port_s:.2f} s, {port_q} queries; rows added: "
            f"{rows_after[0] - rows_before[0]} snapshots, {rows_after[1] - rows_before[1]} "
            f"portfolio"
        )
    bands = r["bands"]
    print(
        "health bands today: "
        + ", ".join(f"{band} {bands.get(band, 0):,}" for band in ("green", "amber", "red", "none"))
    )
    measured = AccountSnapshot.objects.filter(date=today)
    print(
        f"today's snapshots with a scorecard score: "
        f"{measured.filter(scorecard_score__isnull=False).count():,}, with a survey: "
        f"{measured.filter(survey_mean__isnull=False).count():,}"
    )

    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        nightly()
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
