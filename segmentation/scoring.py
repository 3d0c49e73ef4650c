"""Segmentation formulas of DESIGN §3, as pure functions over plain values.

No ORM here: the segmentation service gathers the accounts' figures, calls these and
stores what they return. Everything is deterministic: ties are broken by account key.
"""

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

CRITERIA = ("revenue", "growth", "margin", "lifetime_value", "strategic")
DEFAULT_EXPECTED_YEARS = 5

Number = int | float | Decimal


def percentile_ranks(values: Sequence[Number]) -> list[float]:
    """The percentile rank of each value among all of them, in the same order.

    PR = 100·(L + (E−1)/2)/(n−1), where L counts the values strictly below and E the
    values equal (itself included); PR = 100 when there is only one value.
    """
    n = len(values)
    if n == 0:
        return []
    if n == 1:
        return [100.0]
    ordered = sorted(values)
    ranks = []
    for value in values:
        below = bisect_left(ordered, value)
        equal = bisect_right(ordered, value) - below
        ranks.append(100.0 * (below + (equal - 1) / 2) / (n - 1))
    return ranks


@dataclass(frozen=True)
class AccountFacts:
    """What segmentation reads of one (non-archived) account."""

    key: int
    annual_revenue: Number
    wallet_estimate: Number | None
    gross_margin_pct: Number | None
    strategic_value: int


def criteria_scores(
    accounts: Sequence[AccountFacts], *, expected_years: Number = DEFAULT_EXPECTED_YEARS
) -> dict[int, dict[str, float]]:
    """Each account's five criterion scores (0–100), ranked among `accounts`.

    A missing wallet estimate counts as no growth headroom, a missing margin as 0 %:
    an account is not ranked up for what nobody has recorded.
    """
    revenue = [Decimal(a.annual_revenue) for a in accounts]
    headroom = [
        max(Decimal(a.wallet_estimate or 0) - r, Decimal(0))
        for a, r in zip(accounts, revenue, strict=True)
    ]
    margin = [Decimal(a.gross_margin_pct or 0) for a in accounts]
    lifetime = [r * m / 100 * Decimal(expected_years) for r, m in zip(revenue, margin, strict=True)]
    ranked = {
        "revenue": percentile_ranks(revenue),
        "growth": percentile_ranks(headroom),
        "margin": percentile_ranks(margin),
        "lifetime_value": percentile_ranks(lifetime),
    }
    return {
        account.key: {
            **{criterion: ranks[i] for criterion, ranks in ranked.items()},
            "strategic": float((account.strategic_value - 1) * 25),
        }
        for i, account in enumerate(accounts)
    }


def composite_score(scores: Mapping[str, float], weights: Mapping[str, Number]) -> float:
    """The weighted mean of the criterion scores; criteria without a weight count 0."""
    total = sum(float(weights.get(criterion, 0)) for criterion in scores)
    if total <= 0:
        raise ValueError("At least one criterion needs a weight above zero.")
    return sum(score * float(weights.get(c, 0)) for c, score in scores.items()) / total


@dataclass(frozen=True)
class TierRule:
    """A tier in rank order: its OR-joined conditions (criterion, threshold) and cap.

    No conditions makes it the catch-all, which must come last and has no cap.
    """

    key: int
    conditions: tuple[tuple[str, Number], ...] = ()
    cap: int | None = None

    @property
    def is_catch_all(self) -> bool:
        return not self.conditions


def validate_tiers(tiers: Sequence[TierRule]) -> list[str]:
    """What is wrong with a tier configuration, as messages; empty when it is usable."""
    errors = []
    catch_alls = [i for i, tier in enumerate(tiers) if tier.is_catch_all]
    if len(catch_alls) != 1:
        errors.append("Exactly one tier must be the catch-all (a tier without conditions).")
    elif catch_alls[0] != len(tiers) - 1:
        errors.append("The catch-all tier must come last.")
    for tier in tiers:
        if tier.is_catch_all and tier.cap is not None:
            errors.append("The catch-all tier cannot have a cap: the excess has nowhere to go.")
        if tier.cap is not None and tier.cap < 0:
            errors.append("A cap cannot be negative.")
        for criterion, threshold in tier.conditions:
            if criterion not in CRITERIA:
                errors.append(f"Unknown criterion “{criterion}”.")
            if not 0 <= threshold <= 100:
                errors.append("Thresholds are scores from 0 to 100.")
    return errors


@dataclass
class TierDraft:
    """A tier as it would be after a change (`pk` None for a new one): what the
    whole-configuration check reads."""

    pk: int | None
    name: str
    conditions: tuple[tuple[str, Number], ...]
    cap: int | None


def configuration_problems(drafts: Sequence[TierDraft]) -> list[str]:
    """What is wrong with tiers in this order: the rules of validate_tiers plus unique
    names."""
    rules = [TierRule(key=i, conditions=d.conditions, cap=d.cap) for i, d in enumerate(drafts)]
    problems = validate_tiers(rules)
    seen = set()
    for draft in drafts:
        folded = draft.name.strip().casefold()
        if folded in seen:
            problems.append(f"Tier names must be unique: “{draft.name.strip()}” is used twice.")
        seen.add(folded)
    return problems


def conditions_errors(conditions: Sequence[tuple[str, Number | None]]) -> list[str]:
    """What is wrong with one tier's conditions as typed (each message once)."""
    errors, criteria = [], [criterion for criterion, _ in conditions]
    for criterion, threshold in conditions:
        if criterion not in CRITERIA:
            errors.append(f"Unknown criterion “{criterion}”.")
        if threshold is None or not 0 <= threshold <= 100:
            errors.append("Thresholds are scores from 0 to 100.")
    if len(set(criteria)) != len(criteria):
        errors.append("Name each criterion at most once in a tier.")
    return list(dict.fromkeys(errors))


def rule_tier(scores: Mapping[str, float], tiers: Sequence[TierRule]) -> int:
    """The first tier, in rank order, with a condition the scores meet (criterion ≥ threshold)."""
    for tier in tiers:
        if tier.is_catch_all or any(
            scores.get(criterion, 0.0) >= float(threshold)
            for criterion, threshold in tier.conditions
        ):
            return tier.key
    raise ValueError("No tier matched: the configuration has no catch-all tier.")


@dataclass(frozen=True)
class Placement:
    tier: int
    capped: bool = False
    pinned: bool = False


@dataclass
class _Candidate:
    key: int
    composite: float
    capped: bool = False
    pinned: bool = False
    order: tuple = field(init=False)

    def __post_init__(self):
        # Who keeps a place in a full tier: pins first, then the highest composite, then
        # the lower key (the account recorded first).
        self.order = (not self.pinned, -self.composite, self.key)


def assign_tiers(
    scores: Mapping[int, Mapping[str, float]],
    composites: Mapping[int, float],
    tiers: Sequence[TierRule],
    *,
    pinned: Mapping[int, int] | None = None,
) -> dict[int, Placement]:
    """Place every account in a tier: rules first, then caps, with pins held fast.

    An account pinned by an override stays in its tier and counts towards that tier's
    cap. Where a tier holds more accounts than its cap, the excess — lowest composite
    first — drops to the next tier in rank order (and on, if that one is full too) and
    is flagged `capped`.
    """
    problems = validate_tiers(tiers)
    if problems:
        raise ValueError(" ".join(problems))
    pinned = dict(pinned or {})
    tier_keys = [tier.key for tier in tiers]
    unknown = set(pinned.values()) - set(tier_keys)
    if unknown:
        raise ValueError(f"Pinned to tiers that do not exist: {sorted(unknown)}")

    waiting: dict[int, list[_Candidate]] = {key: [] for key in tier_keys}
    for account_key, account_scores in scores.items():
        if account_key in pinned:
            tier_key, is_pinned = pinned[account_key], True
        else:
            tier_key, is_pinned = rule_tier(account_scores, tiers), False
        waiting[tier_key].append(_Candidate(account_key, composites[account_key], pinned=is_pinned))

    placements: dict[int, Placement] = {}
    for position, tier in enumerate(tiers):
        members = sorted(waiting[tier.key], key=lambda c: c.order)
        if tier.cap is not None and len(members) > tier.cap:
            kept = members[: max(tier.cap, sum(c.pinned for c in members))]
            dropped = members[len(kept) :]
            following = tiers[position + 1].key
            for candidate in dropped:
                candidate.capped = True
                waiting[following].append(candidate)
            members = kept
        for candidate in members:
            placements[candidate.key] = Placement(tier.key, candidate.capped, candidate.pinned)
    return placements


def concentration(revenues: Iterable[Number]) -> list[tuple[float, float]]:
    """The Pareto curve: (share of accounts, cumulative share of revenue), both 0–100,
    accounts taken from the largest revenue down, starting at (0, 0)."""
    ordered = sorted((Decimal(r) for r in revenues), reverse=True)
    total = sum(ordered, Decimal(0))
    points = [(0.0, 0.0)]
    running = Decimal(0)
    for i, revenue in enumerate(ordered, start=1):
        running += revenue
        share = float(running / total * 100) if total else 0.0
        points.append((100.0 * i / len(ordered), share))
    return points


# --- A run's list of changes ---------------------------------------------------------
# Each change is a dict as the run stores it: account, from_tier and to_tier (names;
# from_tier None for an account not tiered before), scores, composite, capped, overridden.

NOT_YET_TIERED = "Not yet tiered"


def is_tier_move(change: Mapping) -> bool:
    """The rules moved the account to another tier (an override's tier is no move)."""
    return not change["overridden"] and change["from_tier"] != change["to_tier"]


def change_shown(change: Mapping, show: str) -> bool:
    """Whether `change` belongs in the list `show`: all, moves, capped or overridden."""
    if show == "moves":
        return is_tier_move(change)
    if show == "capped":
        return change["capped"]
    if show == "overridden":
        return change["overridden"]
    return True


def tier_transitions(changes: Iterable[Mapping]) -> list[tuple[tuple[str, str], int]]:
    """((from tier, to tier), how many accounts) of the moves, the most frequent first."""
    counts = Counter(
        (change["from_tier"] or NOT_YET_TIERED, change["to_tier"])
        for change in changes
        if is_tier_move(change)
    )
    return sorted(counts.items(), key=lambda item: -item[1])
