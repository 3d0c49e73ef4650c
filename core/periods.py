"""Fiscal years and periods. The fiscal year's first month is the setting
STRATA_FISCAL_YEAR_START_MONTH; a year is named by the calendar year it ends in (plans
are kept per fiscal year). Scorecard periods are months or quarters of the fiscal year,
each named by its first day."""

from datetime import date

from django.conf import settings
from django.utils import timezone

MONTHLY, QUARTERLY = "monthly", "quarterly"


def fiscal_year(on: date | None = None) -> int:
    """The fiscal year `on` (default: today) falls in, named by the calendar year it ends in."""
    on = on or timezone.localdate()
    start = settings.STRATA_FISCAL_YEAR_START_MONTH
    return on.year if start == 1 or on.month < start else on.year + 1


def fiscal_year_start(year: int) -> date:
    """The first day of fiscal year `year`."""
    start = settings.STRATA_FISCAL_YEAR_START_MONTH
    return date(year if start == 1 else year - 1, start, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_start(day: date, cadence: str) -> date:
    """The first day of the month, or of the fiscal quarter, that `day` falls in."""
    if cadence == MONTHLY:
        return day.replace(day=1)
    offset = (day.month - settings.STRATA_FISCAL_YEAR_START_MONTH) % 3
    return _add_months(day.replace(day=1), -offset)


def is_period_start(day: date, cadence: str) -> bool:
    return period_start(day, cadence) == day


def shift(start: date, cadence: str, periods: int) -> date:
    """The period `periods` after (or before, if negative) the one starting on `start`."""
    return _add_months(start, periods * (1 if cadence == MONTHLY else 3))


def period_end(start: date, cadence: str) -> date:
    """The last day of the period."""
    return date.fromordinal(shift(start, cadence, 1).toordinal() - 1)


def label(start: date, cadence: str) -> str:
    """ "Mar 2026", or "Q1 FY2026" (the quarter of the fiscal year)."""
    if cadence == MONTHLY:
        return start.strftime("%b %Y")
    first = settings.STRATA_FISCAL_YEAR_START_MONTH
    quarter = (start.month - first) % 12 // 3 + 1
    year = start.year if first == 1 or start.month < first else start.year + 1
    return f"Q{quarter} FY{year}"
