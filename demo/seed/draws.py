"""Small helpers of the demo's draws."""

import random
import unicodedata
from decimal import Decimal


def slugify_ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def money(value: float) -> Decimal:
    return Decimal(int(round(value, -3))).quantize(Decimal("0.01"))
