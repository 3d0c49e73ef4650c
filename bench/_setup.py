"""What every bench script does first: import it before anything of Django.

It puts the project on the path, sets Django up in-process (local settings, so
DATABASE_URL chooses the database; DEBUG off; the test client's host allowed) and
quiets django-axes' per-login log lines. `median_p95` summarises timings.
"""

import logging
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)


def median_p95(timings: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank, rounded down) of `timings`."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]
