"""Revenue history's arithmetic (DESIGN §13), pure: the twelve-month windows, trailing-
twelve-month revenue and year-on-year growth of an account, and the net and gross revenue
retention (NRR, GRR) of a group of accounts. docs/formulas.md works them by hand.

A window is twelve whole calendar months: the "last twelve months" end with the month
before the current one (a month still running would count as a fall), the twelve before
them are the "earlier" window."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month `back` months before the one `day` is in."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Windows:
    earlier_from: date  # first month of the earlier twelve
    later_from: date  # first month of the last twelve
    until: date  # first day of the current month (not counted)

    def which(self, month: date) -> str | None:
        if self.later_from <= month < self.until:
            return "later"
        if self.earlier_from <= month < self.later_from:
            return "earlier"
        return None


def windows(today: date) -> Windows:
    return Windows(
        earlier_from=month_start(today, 24),
        later_from=month_start(today, 12),
        until=month_start(today),
    )


def yoy_growth_pct(later: Decimal, earlier: Decimal) -> Decimal | None:
    """(later − earlier) ÷ earlier × 100; none without earlier revenue."""
    if not earlier:
        return None
    return (later - earlier) / earlier * 100


@dataclass(frozen=True)
class Retention:
    accounts: int  # the cohort: accounts with revenue in the earlier window
    earlier: Decimal
    later: Decimal  # the cohort's later revenue
    kept: Decimal  # each account's later revenue capped at its earlier revenue
    nrr_pct: Decimal | None
    grr_pct: Decimal | None


def retention(pairs: Iterable[tuple[Decimal, Decimal]]) -> Retention:
    """NRR and GRR of the accounts given as (earlier, later) twelve-month revenues.
    NRR = Σ later ÷ Σ earlier over the accounts with earlier revenue (new accounts are
    growth, not retention); GRR = the same with each later capped at its earlier (an
    account that grew counts as kept, one that left as 0)."""
    cohort = [(e, max(later, Decimal(0))) for e, later in pairs if e and e > 0]
    earlier = sum((e for e, _ in cohort), Decimal(0))
    later = sum((la for _, la in cohort), Decimal(0))
    kept = sum((min(e, la) for e, la in cohort), Decimal(0))
    if not earlier:
        return Retention(len(cohort), earlier, later, kept, None, None)
    return Retention(len(cohort), earlier, later, kept, later / earlier * 100, kept / earlier * 100)


def sums_by_window(entries: Iterable[tuple[date, Decimal]], today: date) -> Mapping[str, Decimal]:
    """An account's earlier and later twelve-month revenue from its monthly entries."""
    w = windows(today)
    totals = {"earlier": Decimal(0), "later": Decimal(0)}
    for month, amount in entries:
        key = w.which(month)
        if key:
            totals[key] += amount
    return totals
