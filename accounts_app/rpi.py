"""The Relationship Penetration Index of DESIGN §3 — high, wide and deep — and the
coverage gaps, as pure functions over plain values (no ORM here).

best(c) = the highest strength any team member has with contact c (0 if none).
High = mean of best(c)/4 over executive and senior contacts (0 if none).
Wide = share of the business units with a contact whose best is ≥ 2 (no business units:
       1 if any contact's best is ≥ 2, else 0).
Deep = Σ w(c)·best(c)/4 ÷ Σ w(c) over contacts with a buying role, w = 3 decision maker,
       2 recommender, 1 influencer (0 if none).
RPI  = 100·(High + Wide + Deep)/3, one decimal.

What counts is one rule (`present`), whether the rows come from the tables as they are
now or from their history as of a past day (accounts_app.rpi_history): an archived
contact or business unit is not there, and only the relationships of current team
members with contacts that are there count.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SENIOR_LEVELS = frozenset({"executive", "senior"})
ROLE_WEIGHTS = {"decision_maker": 3, "recommender": 2, "influencer": 1}
WIDE_STRENGTH = 2  # a business unit counts as covered from this best strength up
COVERED_STRENGTH = 2  # decision makers and recommenders need at least this
THREAD_STRENGTH = 1  # a team member "related" to a decision maker, for single-threading


@dataclass(frozen=True)
class ContactFacts:
    key: int
    level: str
    buying_role: str
    attitude: str = "unknown"
    business_unit: int | None = None
    name: str = ""
    archived: bool = False


@dataclass(frozen=True)
class RelationshipFacts:
    contact: int
    user: int
    strength: int
    target: int | None = None


@dataclass(frozen=True)
class Gap:
    """One coverage gap. `user` names the team member whose cell would close it, where
    one does (a relationship below target); otherwise the contact's row is the place."""

    kind: str
    contact: int
    user: int | None = None
    strength: int = 0
    target: int | None = None

    KINDS = {
        "uncovered": "Decision maker or recommender with best strength below 2",
        "single_threaded": "Decision maker related to only one team member",
        "detractor": "Detractor decision maker",
        "below_target": "Relationship below its target",
    }


@dataclass(frozen=True)
class Penetration:
    high: Fraction
    wide: Fraction
    deep: Fraction
    best: dict[int, int] = field(default_factory=dict)
    gaps: tuple[Gap, ...] = ()

    @property
    def rpi(self) -> Decimal:
        return _one_decimal(100 * (self.high + self.wide + self.deep) / 3)

    def percent(self, part: str) -> Decimal:
        """High, Wide or Deep as a percentage with one decimal (they are shares, 0–1)."""
        return _one_decimal(100 * getattr(self, part))


def _one_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def best_strengths(
    contacts: Iterable[ContactFacts], relationships: Iterable[RelationshipFacts]
) -> dict[int, int]:
    best = {contact.key: 0 for contact in contacts}
    for rel in relationships:
        if rel.contact in best and rel.strength > best[rel.contact]:
            best[rel.contact] = rel.strength
    return best


def penetration(
    contacts: Sequence[ContactFacts],
    relationships: Sequence[RelationshipFacts],
    business_units: Iterable[int] = (),
) -> Penetration:
    """High, Wide, Deep (exact fractions), each contact's best strength and the gaps."""
    best = best_strengths(contacts, relationships)

    senior = [best[c.key] for c in contacts if c.level in SENIOR_LEVELS]
    high = Fraction(sum(senior), 4 * len(senior)) if senior else Fraction(0)

    units = set(business_units)
    covered_units = {c.business_unit for c in contacts if best[c.key] >= WIDE_STRENGTH}
    if units:
        wide = Fraction(len(covered_units & units), len(units))
    else:
        wide = Fraction(1 if any(b >= WIDE_STRENGTH for b in best.values()) else 0)

    weighted = [
        (ROLE_WEIGHTS[c.buying_role], best[c.key])
        for c in contacts
        if c.buying_role in ROLE_WEIGHTS
    ]
    total_weight = sum(w for w, _ in weighted)
    deep = (
        Fraction(sum(w * b for w, b in weighted), 4 * total_weight) if total_weight else Fraction(0)
    )
    return Penetration(
        high=high,
        wide=wide,
        deep=deep,
        best=best,
        gaps=tuple(coverage_gaps(contacts, relationships, best=best)),
    )


def coverage_gaps(
    contacts: Sequence[ContactFacts],
    relationships: Sequence[RelationshipFacts],
    *,
    best: dict[int, int] | None = None,
) -> list[Gap]:
    """The gaps of DESIGN §3, decision makers first, then by contact key."""
    best = best if best is not None else best_strengths(contacts, relationships)
    threads: dict[int, list[int]] = defaultdict(list)
    for rel in relationships:
        if rel.strength >= THREAD_STRENGTH:
            threads[rel.contact].append(rel.user)
    gaps = []
    order = sorted(contacts, key=lambda c: (c.buying_role != "decision_maker", c.key))
    for contact in order:
        is_dm = contact.buying_role == "decision_maker"
        if (
            contact.buying_role in ("decision_maker", "recommender")
            and best[contact.key] < COVERED_STRENGTH
        ):
            gaps.append(Gap("uncovered", contact.key, strength=best[contact.key]))
        if is_dm and len(threads[contact.key]) == 1:
            gaps.append(
                Gap(
                    "single_threaded",
                    contact.key,
                    user=threads[contact.key][0],
                    strength=best[contact.key],
                )
            )
        if is_dm and contact.attitude == "detractor":
            gaps.append(Gap("detractor", contact.key, strength=best[contact.key]))
    contact_keys = {c.key for c in contacts}
    below = sorted(
        (
            r
            for r in relationships
            if r.contact in contact_keys and r.target is not None and r.strength < r.target
        ),
        key=lambda r: (r.contact, r.user),
    )
    gaps.extend(
        Gap("below_target", r.contact, user=r.user, strength=r.strength, target=r.target)
        for r in below
    )
    return gaps


@dataclass(frozen=True)
class AccountState:
    """One account's RPI inputs at one moment, archived rows included: its contacts, the
    relationships with them, the users on its team and its business units as
    (key, archived)."""

    contacts: tuple[ContactFacts, ...] = ()
    relationships: tuple[RelationshipFacts, ...] = ()
    team: frozenset[int] = frozenset()
    units: tuple[tuple[int, bool], ...] = ()


@dataclass(frozen=True)
class Present:
    """What of an AccountState counts for the RPI (see `present`)."""

    contacts: list[ContactFacts]
    relationships: list[RelationshipFacts]
    units: list[int]


def present(state: AccountState) -> Present:
    """The contacts and business units not archived, and the relationships that current
    team members ("any team member", DESIGN §3) hold with those contacts: a relationship
    held by someone who has left the team no longer lifts the index."""
    contacts = [c for c in state.contacts if not c.archived]
    keys = {c.key for c in contacts}
    relationships = [r for r in state.relationships if r.contact in keys and r.user in state.team]
    units = [key for key, archived in state.units if not archived]
    return Present(contacts, relationships, units)


def state_penetration(state: AccountState) -> Penetration:
    """The RPI of an account's state (now or as of a past day): `penetration` over what
    is `present`."""
    there = present(state)
    return penetration(there.contacts, there.relationships, there.units)
