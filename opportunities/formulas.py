"""The opportunity formulas of DESIGN §3 as pure functions over plain values: the
qualification score and verdict, weighted value, the customer's ROI and payback, our
return on effort, when an opportunity counts as stalled, and the state of a whitespace
cell. A figure whose divisor is zero or missing is None ("—" on screen, null in the
API), never an error."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

QUALIFIED_FROM = Decimal(70)
NEEDS_WORK_FROM = Decimal(40)
DEFAULT_HOURLY_COST_RATE = Decimal(100)

Number = int | float | Decimal | None


def _dec(value: Number) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Criterion:
    key: int
    weight: Decimal
    active: bool = True


def qualification_score(
    criteria: Iterable[Criterion], answers: Mapping[int, int]
) -> Decimal | None:
    """100·Σ w·a ÷ (2·Σ w) over the active criteria; an unanswered one counts 0.
    None when no active criterion has a weight (nothing to qualify against)."""
    active = [c for c in criteria if c.active]
    total = sum((Decimal(c.weight) for c in active), Decimal(0))
    if total <= 0:
        return None
    for key, answer in answers.items():
        if answer not in (0, 1, 2):
            raise ValueError(f"Answer {answer!r} to criterion {key}: answers are 0, 1 or 2.")
    earned = sum((Decimal(c.weight) * answers.get(c.key, 0) for c in active), Decimal(0))
    return _round(100 * earned / (2 * total))


def verdict(score: Decimal | None) -> str | None:
    """qualified (≥ 70), needs work (40 ≤ score < 70), unqualified (< 40)."""
    if score is None:
        return None
    if score >= QUALIFIED_FROM:
        return "qualified"
    if score >= NEEDS_WORK_FROM:
        return "needs_work"
    return "unqualified"


def weighted_value(value: Number, probability: Number) -> Decimal | None:
    """value · probability / 100 (probability a percentage)."""
    value, probability = _dec(value), _dec(probability)
    if value is None or probability is None:
        return None
    return _round(value * probability / 100, "0.01")


def customer_roi_pct(annual_benefit: Number, horizon_years: Number, investment: Number):
    """(benefit · years − investment) ÷ investment · 100; None without an investment."""
    benefit, years, investment = _dec(annual_benefit), _dec(horizon_years), _dec(investment)
    if benefit is None or years is None or not investment:
        return None
    return _round((benefit * years - investment) / investment * 100)


def payback_months(annual_benefit: Number, investment: Number) -> Decimal | None:
    """investment ÷ (annual benefit / 12); None without a benefit (it never pays back)."""
    benefit, investment = _dec(annual_benefit), _dec(investment)
    if investment is None or not benefit:
        return None
    return _round(investment / (benefit / 12))


def return_on_effort(
    weighted: Number,
    gross_margin_pct: Number,
    effort_hours: Number,
    hourly_cost_rate: Number = DEFAULT_HOURLY_COST_RATE,
) -> Decimal | None:
    """weighted value · margin % / 100 ÷ (effort hours · hourly cost rate): the margin
    each unit of effort's cost brings back. None without effort or a rate."""
    weighted, margin = _dec(weighted), _dec(gross_margin_pct)
    hours, rate = _dec(effort_hours), _dec(hourly_cost_rate)
    if weighted is None or margin is None or not hours or not rate:
        return None
    return _round(weighted * margin / 100 / (hours * rate), "0.01")


def stalled_before(stall_days: int | None, now: datetime) -> datetime | None:
    """The moment an opportunity must have entered a stage allowing `stall_days` before,
    to count as stalled at `now` (strictly before: exactly `stall_days` in is not yet
    stalled). None when the stage sets no limit (none, or 0)."""
    if not stall_days:
        return None
    return now - timedelta(days=stall_days)


def is_stalled(
    *, stage_open: bool, stall_days: int | None, stage_changed_at: datetime, now: datetime
) -> bool:
    """Open, and untouched in its stage for longer than the stage allows."""
    if not stage_open:
        return False
    limit = stalled_before(stall_days, now)
    return limit is not None and stage_changed_at < limit


# --- Whitespace --------------------------------------------------------------------------

SOLD, OPEN, NOT_APPLICABLE, WHITESPACE = "sold", "open", "not_applicable", "whitespace"
RECORDED_STATES = (SOLD, NOT_APPLICABLE)


def whitespace_state(recorded: str | None, open_opportunities: int) -> str:
    """Sold where the team recorded it (open opportunities there are upsells); else open
    where an open opportunity is; else not applicable where recorded; else whitespace."""
    if open_opportunities and recorded != SOLD:
        return OPEN
    return recorded or WHITESPACE
