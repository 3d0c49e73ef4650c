"""What every phase of a `seed_bench` run shares: its options, what it created, how
long each phase took, where it reports."""

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone


@dataclass
class BenchRun:
    stdout: object  # the command's output (anything with write())
    seed: int
    batch: int  # rows per INSERT
    today: date = field(default_factory=timezone.localdate)
    created: Counter = field(default_factory=Counter)  # rows created, by kind
    timings: Counter = field(default_factory=Counter)  # seconds, by phase
    account_pks: dict[int, int] = field(default_factory=dict)  # {account number: pk}

    @contextmanager
    def phase(self, name: str):
        """Add the time spent in the block to phase `name` (phases repeat per chunk)."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.timings[name] += time.monotonic() - started
