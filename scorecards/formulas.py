"""The scorecard, voice-of-the-customer and account-health formulas of DESIGN §3 as pure
functions over plain values: attainment and its status, the scorecard score and its
change since the period before, perception gaps, whether a survey round still takes
answers, engagement recency and account health with its band. Exact Decimal arithmetic,
rounded once at the end (scores to one decimal); a figure that cannot be computed is
None ("—" on screen, null in the API), never an error."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

Number = int | float | Decimal | None

ON_TARGET_FROM = Decimal(1)
# The stored column's largest value (12 digits, 4 after the point): a tiny divisor would
# otherwise overflow it (counted as 1 in the score either way).
MAX_ATTAINMENT = Decimal("99999999.9999")
NEAR_FROM = Decimal("0.9")
BLIND_SPOT_FROM = Decimal(1)
GREEN_FROM = Decimal(70)
AMBER_FROM = Decimal(40)

# DESIGN §3's default health weights (admin-configurable).
HEALTH_WEIGHTS = {
    "rpi": Decimal("0.25"),
    "scorecard": Decimal("0.25"),
    "survey": Decimal("0.20"),
    "plan_execution": Decimal("0.15"),
    "engagement": Decimal("0.15"),
}
ENGAGEMENT_FULL_DAYS = 30
ENGAGEMENT_ZERO_DAYS = 120


def _dec(value: Number) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def attainment(actual: Number, target: Number, *, higher_is_better: bool) -> Decimal | None:
    """a/t when higher is better, t/a when lower is better, to four decimals.

    Where the divisor is zero the ratio has no meaning, but the result does: the actual
    either meets the target in the metric's direction (1, on target) or not (0). So
    zero open escalations against a target of 2 is on target; revenue of 5 against a
    target of 0 is on target; no actual or no target is None (not measured).

    A metric that may be negative (an NPS) can have a divisor below zero, where the
    plain ratio turns upside down (an NPS of −5 against a target of −10 would be 0.5).
    Both ratios are 1 + the gap as a share of the divisor (a/t = 1 + (a − t)/t); with
    the divisor's size instead, 1 + (a − t)/|t| = 2 − a/t, so missing a target of −20
    by 2 is 0.9 as missing one of 20 by 2 is. An actual on the wrong side of zero gives
    less than nothing, which is nothing: attainment is never below 0. For values of 0
    and more this is exactly the formula of DESIGN §3."""
    actual, target = _dec(actual), _dec(target)
    if actual is None or target is None:
        return None
    numerator, divisor = (actual, target) if higher_is_better else (target, actual)
    if divisor == 0:
        met = actual >= target if higher_is_better else actual <= target
        return Decimal(1) if met else Decimal(0)
    ratio = numerator / divisor if divisor > 0 else 2 - numerator / divisor
    return _round(min(max(ratio, Decimal(0)), MAX_ATTAINMENT), "0.0001")


def status(value: Decimal | None) -> str | None:
    """on_target (≥ 1.0), near (≥ 0.9), off; None when not measured."""
    if value is None:
        return None
    if value >= ON_TARGET_FROM:
        return "on_target"
    if value >= NEAR_FROM:
        return "near"
    return "off"


@dataclass(frozen=True)
class Line:
    """One metric of a scorecard: its weight and its attainment (None: not measured)."""

    weight: Decimal
    attainment: Decimal | None


def scorecard_score(lines: Iterable[Line]) -> Decimal | None:
    """100 · weighted mean of min(attainment, 1) over the measured metrics; a metric with
    no actual (or no target) is left out and the weights renormalised. An attainment
    below 0 (a negative actual) counts as 0. None when nothing is measured."""
    measured = [line for line in lines if line.attainment is not None and line.weight > 0]
    total = sum((Decimal(line.weight) for line in measured), Decimal(0))
    if total <= 0:
        return None
    earned = sum(
        (
            Decimal(line.weight) * max(min(line.attainment, Decimal(1)), Decimal(0))
            for line in measured
        ),
        Decimal(0),
    )
    return _round(100 * earned / total)


def previous_score(trend: Sequence[tuple[object, Number]]) -> Number:
    """The score of the period before the last of `trend` ([(period, score)], oldest
    first, ending with this period); None when there is none."""
    return trend[-2][1] if len(trend) > 1 else None


def score_change(score: Number, previous: Number) -> Number:
    """This period's score minus the one before; None when either is missing."""
    if score is None or previous is None:
        return None
    return score - previous


def mean(values: Iterable[Number]) -> Decimal | None:
    present = [Decimal(str(v)) for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


@dataclass(frozen=True)
class Gap:
    customer_mean: Decimal | None
    internal_mean: Decimal | None
    gap: Decimal | None
    blind_spot: bool


def perception_gap(customer: Iterable[Number], internal: Iterable[Number]) -> Gap:
    """Per survey dimension (1–5): gap = internal mean − customer mean, two decimals; a
    gap of 1.0 or more is a blind spot (we think better of ourselves than they do).
    Either side unanswered: no gap."""
    customer_mean, internal_mean = mean(customer), mean(internal)
    if customer_mean is None or internal_mean is None:
        gap = None
    else:
        gap = _round(internal_mean - customer_mean, "0.01")
    return Gap(
        customer_mean=None if customer_mean is None else _round(customer_mean, "0.01"),
        internal_mean=None if internal_mean is None else _round(internal_mean, "0.01"),
        gap=gap,
        blind_spot=gap is not None and gap >= BLIND_SPOT_FROM,
    )


def survey_expired(expires_at: datetime, now: datetime) -> bool:
    """A round's links work until `expires_at`, that moment excluded."""
    return expires_at <= now


def survey_open(*, status_open: bool, expires_at: datetime, now: datetime) -> bool:
    """A round is open (its links take answers, new links may be sent) while its status
    is open and its links have not expired."""
    return status_open and not survey_expired(expires_at, now)


def survey_component(customer_mean: Number) -> Decimal | None:
    """(mean − 1) · 25: a 1–5 mean on 0–100."""
    value = _dec(customer_mean)
    return None if value is None else _round((value - 1) * 25)


def engagement_recency(days_since_decision_maker_met: int | None) -> Decimal | None:
    """100 if a decision maker was met 30 days ago or less, falling linearly to 0 at 120
    days. None (left out of health) when the argument is None: no decision maker is
    recorded. A decision maker never met counts as 0: pass a large number."""
    if days_since_decision_maker_met is None:
        return None
    days = max(days_since_decision_maker_met, 0)
    if days <= ENGAGEMENT_FULL_DAYS:
        return Decimal(100)
    if days >= ENGAGEMENT_ZERO_DAYS:
        return Decimal(0)
    span = ENGAGEMENT_ZERO_DAYS - ENGAGEMENT_FULL_DAYS
    return _round(Decimal(100) * (ENGAGEMENT_ZERO_DAYS - days) / span)


def plan_execution(due: int, done_on_time: int) -> Decimal | None:
    """Share of the tactics due by now that were done by their due date, 0–100; None
    when none is due yet."""
    if due <= 0:
        return None
    return _round(Decimal(100) * done_on_time / due)


@dataclass(frozen=True)
class Health:
    score: Decimal | None
    band: str | None
    # component → (value 0–100 or None, weight used after renormalising, contribution)
    components: dict


def account_health(
    components: Mapping[str, Number], weights: Mapping[str, Number] = HEALTH_WEIGHTS
) -> Health:
    """Weighted mean of the components present (missing ones dropped, the weights of the
    rest renormalised), with each component's share of the score; the band: green ≥ 70,
    amber 40–69.9, red < 40."""
    present = {
        key: Decimal(str(value))
        for key, value in components.items()
        if value is not None and _dec(weights.get(key)) and _dec(weights[key]) > 0
    }
    total = sum((Decimal(str(weights[key])) for key in present), Decimal(0))
    detail = {}
    score = None
    if total > 0:
        score = _round(
            sum((Decimal(str(weights[k])) * v for k, v in present.items()), Decimal(0)) / total
        )
    for key, raw_weight in weights.items():
        value = present.get(key)
        if value is None or total <= 0:
            detail[key] = (None, Decimal(0), Decimal(0))
            continue
        weight = Decimal(str(raw_weight)) / total
        detail[key] = (value, _round(weight, "0.0001"), _round(weight * value))
    return Health(score=score, band=band(score), components=detail)


def band(score: Decimal | None) -> str | None:
    if score is None:
        return None
    if score >= GREEN_FROM:
        return "green"
    if score >= AMBER_FROM:
        return "amber"
    return "red"
