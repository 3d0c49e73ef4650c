"""The revenue history of one account, as the Revenue tab reads it."""

from datetime import date
from decimal import Decimal

from ..models import Account, RevenueEntry


def account_revenue_by_month(*, account: Account, year: int | None = None) -> dict[date, Decimal]:
    """Month → amount of what is recorded (one query, however many months)."""
    entries = RevenueEntry.objects.filter(account=account)
    if year is not None:
        entries = entries.filter(month__year=year)
    return dict(entries.order_by("month").values_list("month", "amount"))
