"""The Relationship Penetration Index against values worked out by hand (DESIGN §3)."""

from decimal import Decimal
from fractions import Fraction

from accounts_app.rpi import ContactFacts, Gap, RelationshipFacts, penetration

C, R = ContactFacts, RelationshipFacts


def test_a_worked_example_with_every_part():
    """Business units 10, 20, 30.

    contact  level        role            attitude   unit  relationships (user: strength/target)
    1        executive    decision maker  detractor  10    u1: 3/4, u2: 1      → best 3
    2        senior       recommender     neutral    20    u1: 1/3             → best 1
    3        middle       influencer      supporter  10    u2: 4               → best 4
    4        operational  user            unknown    —     u1: 2               → best 2
    5        executive    none            champion   30    —                   → best 0

    High = (3 + 1 + 0) / (4·3) = 1/3 (contacts 1, 2, 5)
    Wide = units with a best ≥ 2: only 10 (contacts 1 and 3) → 1/3; contact 4 has no unit
    Deep = (3·3 + 2·1 + 1·4) / (4·(3 + 2 + 1)) = 15/24 = 5/8
    RPI  = 100·(1/3 + 1/3 + 5/8)/3 = 100·(31/24)/3 = 43.055… → 43.1
    """
    contacts = [
        C(1, "executive", "decision_maker", "detractor", 10),
        C(2, "senior", "recommender", "neutral", 20),
        C(3, "middle", "influencer", "supporter", 10),
        C(4, "operational", "user", "unknown", None),
        C(5, "executive", "none", "champion", 30),
    ]
    relationships = [R(1, 101, 3, 4), R(1, 102, 1), R(2, 101, 1, 3), R(3, 102, 4), R(4, 101, 2)]
    result = penetration(contacts, relationships, [10, 20, 30])
    assert (result.high, result.wide, result.deep) == (
        Fraction(1, 3),
        Fraction(1, 3),
        Fraction(5, 8),
    )
    assert result.rpi == Decimal("43.1")
    assert [result.percent(p) for p in ("high", "wide", "deep")] == [
        Decimal("33.3"),
        Decimal("33.3"),
        Decimal("62.5"),
    ]
    assert result.best == {1: 3, 2: 1, 3: 4, 4: 2, 5: 0}
    assert list(result.gaps) == [
        Gap("detractor", 1, strength=3),  # decision makers first
        Gap("uncovered", 2, strength=1),  # a recommender below 2
        Gap("below_target", 1, user=101, strength=3, target=4),
        Gap("below_target", 2, user=101, strength=1, target=3),
    ]


def test_no_contacts():
    result = penetration([], [], [10, 20])
    assert (result.high, result.wide, result.deep, result.rpi) == (0, 0, 0, Decimal("0.0"))
    assert result.gaps == ()


def test_no_business_units_wide_is_all_or_nothing():
    contacts = [C(1, "middle", "none"), C(2, "middle", "none")]
    assert penetration(contacts, [R(1, 9, 2)]).wide == 1
    assert penetration(contacts, [R(1, 9, 1), R(2, 9, 1)]).wide == 0
    assert penetration(contacts, []).wide == 0


def test_only_operational_contacts():
    """No senior contact (High 0), no buying role (Deep 0); Wide 1 without units.
    RPI = 100·(0 + 1 + 0)/3 = 33.3."""
    contacts = [C(1, "operational", "user"), C(2, "operational", "none")]
    result = penetration(contacts, [R(1, 7, 3)])
    assert (result.high, result.wide, result.deep) == (0, 1, 0)
    assert result.rpi == Decimal("33.3")
    assert result.gaps == ()


def test_only_the_best_of_several_relationships_counts():
    """One executive decision maker known by three people at 1, 4 and 2: best 4.
    High 4/4, Wide 1 (no units, best ≥ 2), Deep 3·4/(4·3) = 1 → RPI 100.0; three
    threads, so not single-threaded."""
    contacts = [C(1, "executive", "decision_maker")]
    result = penetration(contacts, [R(1, 7, 1), R(1, 8, 4), R(1, 9, 2)])
    assert (result.high, result.wide, result.deep, result.rpi) == (1, 1, 1, Decimal("100.0"))
    assert result.gaps == ()


def test_a_decision_maker_without_any_relationship():
    """High 0/4, Wide 0 (one unit, nobody ≥ 2), Deep 0 → RPI 0.0; uncovered, and not
    single-threaded (no thread at all)."""
    contacts = [C(1, "executive", "decision_maker", "neutral", 10)]
    result = penetration(contacts, [], [10])
    assert result.rpi == Decimal("0.0")
    assert list(result.gaps) == [Gap("uncovered", 1, strength=0)]


def test_single_threaded_decision_makers():
    """Strength 0 is no thread: one real thread (user 7) → single-threaded."""
    contacts = [C(1, "senior", "decision_maker"), C(2, "senior", "decision_maker")]
    relationships = [R(1, 7, 3), R(1, 8, 0), R(2, 7, 2), R(2, 8, 1)]
    gaps = penetration(contacts, relationships).gaps
    assert list(gaps) == [Gap("single_threaded", 1, user=7, strength=3)]


def test_influencers_and_recommenders_are_weighted():
    """Deep = (2·4 + 1·0)/(4·(2 + 1)) = 8/12 = 2/3; an uncovered influencer is no gap,
    an uncovered recommender is."""
    contacts = [C(1, "middle", "recommender"), C(2, "middle", "influencer")]
    result = penetration(contacts, [R(1, 7, 4)])
    assert result.deep == Fraction(2, 3)
    assert result.gaps == ()
    result = penetration(contacts, [R(2, 7, 4)])
    assert result.deep == Fraction(1, 3)
    assert list(result.gaps) == [Gap("uncovered", 1, strength=0)]


def test_rpi_is_rounded_to_one_decimal():
    """- A recommender at 1 (weight 2), a decision maker at 0 (weight 3), one business unit
      nobody reaches: Deep = 2·1/(4·5) = 1/10; RPI = 100·(1/10)/3 = 3.33… → 3.3.
    - One senior contact at 1, no units: High 1/4, Wide 0 (best < 2): 8.33… → 8.3.
    - The same at 3 with one unit the contact is not in: High 3/4, Wide 0/1 → 25.0.
    - Two senior contacts at 1 and 2, one unit neither is in: High 3/8 → 12.5.
    """
    contacts = [C(1, "middle", "recommender"), C(2, "middle", "decision_maker")]
    assert penetration(contacts, [R(1, 7, 1)], [10]).rpi == Decimal("3.3")
    assert penetration([C(1, "senior", "none")], [R(1, 7, 1)]).rpi == Decimal("8.3")
    assert penetration([C(1, "senior", "none")], [R(1, 7, 3)], [10]).rpi == Decimal("25.0")
    two = [C(1, "senior", "none"), C(2, "senior", "none")]
    assert penetration(two, [R(1, 7, 1), R(2, 7, 2)], [10]).rpi == Decimal("12.5")


def test_relationships_of_other_contacts_are_ignored():
    result = penetration([C(1, "senior", "none")], [R(99, 7, 4, 4), R(1, 7, 2)])
    assert result.best == {1: 2}
    assert result.gaps == ()
