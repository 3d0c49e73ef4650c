"""Time the evaluation of every alert rule over the DESIGN §9 data set (issue 8's
target: under 60 s), then the escalation job, and the alert inbox.

Run after `python manage.py seed_bench` (and the nightly recompute, so that the
accounts' snapshots hold RPI and scorecard figures: bench/recompute.py) against the
same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/alerts.py

It evaluates every rule twice (the second run finds what the first raised: nothing new,
nothing duplicated) and prints per rule the wall time, the queries and what was raised,
updated and resolved; then one escalation pass; then times the inbox of the owner with
the most alerts (20 requests after a warm-up, in-process).
"""

import time

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts_app.models import Account, User  # noqa: E402
from insights.alerts.escalation import escalate
from insights.alerts.evaluate import rule_evaluate
from scorecards.alerts.services import alert_defaults_ensure
from scorecards.models import Alert, AlertRule  # noqa: E402


def evaluate_all(label: str) -> None:
    total_started, total_queries = time.perf_counter(), 0
    print(f"\n{label}")
    for rule in AlertRule.objects.prefetch_related("tiers").order_by("pk"):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = rule_evaluate(rule=rule)
            elapsed = time.perf_counter() - started
        total_queries += len(ctx.captured_queries)
        print(
            f"  {rule.name[:40]:40} {elapsed:6.2f} s {len(ctx.captured_queries):4} queries  "
            f"raised {result['raised']:6,}  updated {result['updated']:6,}  "
            f"resolved {result['resolved']:6,}{'' if rule.active else '  (off)'}"
        )
    print(
        f"  {'every rule':40} {time.perf_counter() - total_started:6.2f} s "
        f"{total_queries:4} queries; live alerts: "
        f"{Alert.objects.filter(status__in=Alert.LIVE).count():,}"
    )


def main() -> None:
    alert_defaults_ensure()
    print(f"database: {connection.vendor}, {Account.objects.count():,} accounts")
    evaluate_all("first evaluation")
    evaluate_all("second evaluation (nothing new)")
    if connection.vendor == "postgresql":
        # Tens of thousands of new rows: refresh the planner's statistics as autovacuum
        # would within a minute of such a first evaluation, before timing the inbox.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE scorecards_alert, scorecards_alertevent")
    started = time.perf_counter()
    notified = escalate(send=False)
    print(f"\nescalation pass: {time.perf_counter() - started:.1f} s, {notified:,} notifications")
    started = time.perf_counter()
    again = escalate(send=False)
    print(f"escalation again: {time.perf_counter() - started:.1f} s, {again:,} notifications")
    owner_id = (
        Alert.objects.filter(status__in=Alert.LIVE)
        .values("assignee")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("assignee", flat=True)
        .first()
    )
    if owner_id:
        user = User.objects.get(pk=owner_id)
        client = Client()
        client.force_login(user)
        for params in ({}, {"scope": "team"}):
            client.get("/alerts/", params)
            with CaptureQueriesContext(connection) as ctx:
                status = client.get("/alerts/", params).status_code
            queries = len(ctx.captured_queries)  # now: the next request clears the log
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                client.get("/alerts/", params)
                timings.append((time.perf_counter() - started) * 1000)
            median, p95 = _setup.median_p95(timings)
            print(
                f"inbox of {user.username} {params or '(mine)'}: median {median:.0f} ms, "
                f"p95 {p95:.0f} ms, {queries} queries, status {status}"
            )


if __name__ == "__main__":
    main()
