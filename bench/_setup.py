"""What every bench script does first: import it before anything of Django.

It puts the project on the path, sets Django up in-process (local settings, so
DATABASE_URL chooses the database; DEBUG off; the test client's host allowed), quiets
django-axes' per-login log lines and, with BENCH_HISTORY=off, records no history.
`median_p95` summarises timings; `get_timed` times a page through the test client.
"""

import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)

# BENCH_HISTORY=off times a script with the history of records switched off (issue 17's
# "within 25 % of the figures without history"): django-simple-history's own switch,
# which core.history's bulk helpers honour too.
if os.environ.get("BENCH_HISTORY") == "off":
    from django.conf import settings

    settings.SIMPLE_HISTORY_ENABLED = False


def median_p95(timings: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank, rounded down) of `timings`."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def get_timed(client, url: str, repeat: int) -> dict:
    """GET `url` once to warm up, once counting its SQL queries, then `repeat` timed
    times: {"queries", "status", "kb", and when it answered 200 "median", "p95" (ms)}."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and connections
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: the log is cleared by the next request, and the count is read lazily.
    result = {
        "queries": len(queries),
        "status": response.status_code,
        "kb": len(response.content) / 1024,
    }
    if response.status_code != 200 or not repeat:
        return result
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    result["median"], result["p95"] = median_p95(timings)
    return result
