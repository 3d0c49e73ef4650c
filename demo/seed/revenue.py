"""The demo's revenue history (DESIGN §13): 36 months per account, the last twelve adding
up to the account's stored revenue, the years before following a growth of its own (most
accounts grew, some shrank) with a little seasonality; a few accounts started less than
two years ago. Written once per account, each from its own generator seeded by its name
(an account written again gets the same months)."""

import random
from decimal import Decimal

from django.utils import timezone

from accounts_app.models import Account, RevenueEntry
from accounts_app.revenue import month_start
from core import history

from .book import SEED

MONTHS = 36


def seed_demo_revenue(*, accounts: list[Account]) -> int:
    """Write the demo's monthly revenue once; returns how many months were written."""
    ids = [a.pk for a in accounts]
    # Per account: one written before keeps its months; one added again gets its own.
    have = set(RevenueEntry.objects.filter(account_id__in=ids).values_list("account_id", flat=True))
    today = timezone.localdate()
    rows = []
    for account in Account.objects.filter(pk__in=ids).order_by("pk"):
        if not account.annual_revenue or account.pk in have:
            continue
        rng = random.Random(f"{SEED}-revenue-{account.name}")
        growth = rng.choice((-0.12, -0.05, 0.03, 0.08, 0.12, 0.18, 0.25))
        months = MONTHS if rng.random() > 0.1 else rng.choice((14, 18))
        season = [1 + 0.12 * ((m % 12) in (2, 5, 8, 11)) - 0.04 for m in range(12)]
        last_year = float(account.annual_revenue)
        for back in range(months, 0, -1):
            year_back = (back - 1) // 12  # 0: the last twelve months
            level = last_year / (1 + growth) ** year_back / 12
            month = month_start(today, back)
            amount = level * season[month.month - 1] * rng.uniform(0.93, 1.07)
            rows.append(
                RevenueEntry(account=account, month=month, amount=Decimal(str(round(amount, 2))))
            )
    history.bulk_create(RevenueEntry, rows)
    return len(rows)
