"""What a `seed_demo` run wrote, for its closing line and the snapshots to refresh."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    created: Counter = field(default_factory=Counter)  # rows created, by kind
    touched: set[int] = field(default_factory=set)  # ids of accounts that changed
