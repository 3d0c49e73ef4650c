"""Net and gross revenue retention by tier (DESIGN §13) from the accounts' monthly revenue
history, for the executive portfolio: the accounts that had revenue in the twelve months
before the last twelve, what they bring now. Computed by the dashboard job (one aggregate
query) and stored with the portfolio's other figures. The formulas are
accounts_app.revenue's; the tier is each account's tier today."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from accounts_app.models import RevenueEntry
from accounts_app.revenue import Retention, retention, windows
from segmentation.models import Tier


def retention_by_tier(*, today: date) -> dict:
    w = windows(today)
    rows = (
        RevenueEntry.objects.filter(
            account__archived=False, month__gte=w.earlier_from, month__lt=w.until
        )
        .order_by()
        .values("account_id", "account__tier_assignment__tier_id")
        .annotate(
            earlier=Sum("amount", filter=Q(month__lt=w.later_from)),
            later=Sum("amount", filter=Q(month__gte=w.later_from)),
        )
    )
    pairs = defaultdict(list)
    for row in rows:
        pair = (row["earlier"] or Decimal(0), row["later"] or Decimal(0))
        pairs[row["account__tier_assignment__tier_id"]].append(pair)
    tiers = [(t.pk, t.name) for t in Tier.objects.order_by("rank")]
    if pairs.get(None):
        tiers.append((None, "Not yet tiered"))
    entries = [_entry(pk, name, retention(pairs.get(pk, []))) for pk, name in tiers]
    everyone = [pair for group in pairs.values() for pair in group]
    return {
        "earlier_from": w.earlier_from.isoformat(),
        "later_from": w.later_from.isoformat(),
        "until": w.until.isoformat(),
        "tiers": entries,
        "total": _entry("total", "All accounts", retention(everyone)),
    }


def _entry(key, name, r: Retention) -> dict:
    return {
        "id": key,
        "name": name,
        "accounts": r.accounts,
        "earlier": float(r.earlier),
        "later": float(r.later),
        "nrr_pct": None if r.nrr_pct is None else round(float(r.nrr_pct), 1),
        "grr_pct": None if r.grr_pct is None else round(float(r.grr_pct), 1),
    }
