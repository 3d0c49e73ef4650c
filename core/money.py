"""Amounts as people read them. Money is a Decimal everywhere; these only format it."""

from decimal import Decimal


def amount(value: Decimal | float | int | None) -> str:
    """The whole amount with thousands separators ("3,034,500"); "—" when unknown."""
    return "—" if value is None else f"{value:,.0f}"


def compact(value: Decimal | float | int) -> str:
    """A short amount for charts and tiles: "3.0 M", "450 k", "900"."""
    value = float(value)
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f} M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.0f} k"
    return f"{value:.0f}"
