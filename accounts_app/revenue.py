"""Revenue history's arithmetic (DESIGN §13), pure: the twelve-month windows, trailing-
twelve-month revenue and year-on-year growth of an account, the net and gross revenue
retention (NRR, GRR) of a group of accounts, and the grid of years × months the account's
Revenue tab shows. docs/formulas.md works them by hand.

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

    @property
    def later_to(self) -> date:
        """The last month of the last twelve."""
        return month_start(self.until, 1)

    @property
    def earlier_to(self) -> date:
        """The last month of the earlier twelve."""
        return month_start(self.later_from, 1)

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


# --- The Revenue tab's grid and headline ------------------------------------------------

MONTHS_SHOWN = 36  # the grid's rows cover at least the last 36 months and this year


@dataclass(frozen=True)
class MonthCell:
    month: date
    amount: Decimal | None  # None: nothing recorded (not the same as 0)
    window: str | None  # "later" (the last twelve whole months), "earlier" or None
    future: bool  # after the current month: nothing to record yet


@dataclass(frozen=True)
class YearRow:
    year: int
    cells: tuple[MonthCell, ...]  # January to December
    total: Decimal | None  # of the months recorded; None when none is
    recorded: int  # how many months have an amount
    editable: bool  # a year that has begun


def grid(amounts: Mapping[date, Decimal], today: date) -> list[YearRow]:
    """The years as rows, newest first: every year that holds one of the last
    MONTHS_SHOWN months or the current one, and any other year with a month recorded."""
    w = windows(today)
    first = month_start(today, MONTHS_SHOWN).year
    years = set(range(first, today.year + 1)) | {month.year for month in amounts}
    rows = []
    for year in sorted(years, reverse=True):
        cells = tuple(
            MonthCell(
                month=(month := date(year, number, 1)),
                amount=amounts.get(month),
                window=w.which(month),
                future=month > w.until,
            )
            for number in range(1, 13)
        )
        recorded = [c.amount for c in cells if c.amount is not None]
        rows.append(
            YearRow(
                year=year,
                cells=cells,
                total=sum(recorded, Decimal(0)) if recorded else None,
                recorded=len(recorded),
                editable=year <= today.year,
            )
        )
    return rows


@dataclass(frozen=True)
class Headline:
    windows: Windows
    ttm: Decimal | None  # the last twelve whole months; None when none is recorded
    earlier: Decimal | None  # the twelve before them; None when none is recorded
    yoy_growth_pct: Decimal | None
    missing: tuple[date, ...]  # months of the last twelve with nothing recorded


def headline(amounts: Mapping[date, Decimal], today: date) -> Headline:
    """Trailing-twelve-month revenue and its growth on the twelve before, as the account's
    recompute works them out (sums_by_window, yoy_growth_pct), and which of the last
    twelve months are missing from the sum."""
    w = windows(today)
    sums = sums_by_window(amounts.items(), today)
    counted = {key: any(w.which(month) == key for month in amounts) for key in sums}
    later = sums["later"] if counted["later"] else None
    earlier = sums["earlier"] if counted["earlier"] else None
    growth = yoy_growth_pct(later, earlier or Decimal(0)) if later is not None else None
    last_twelve = (month_start(today, back) for back in range(12, 0, -1))
    return Headline(
        windows=w,
        ttm=later,
        earlier=earlier,
        yoy_growth_pct=growth,
        missing=tuple(month for month in last_twelve if month not in amounts),
    )
