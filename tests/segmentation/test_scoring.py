"""The segmentation formulas of DESIGN §3 against numbers worked out by hand."""

from decimal import Decimal

import pytest

from segmentation.scoring import (
    AccountFacts,
    Placement,
    TierRule,
    assign_tiers,
    composite_score,
    concentration,
    criteria_scores,
    percentile_ranks,
    rule_tier,
    validate_tiers,
)

# --- percentile rank ------------------------------------------------------------------


def test_percentile_rank_counts_ties_as_half_below():
    # n = 4: 10 has L=0,E=1 → 0; 20 has L=1,E=2 → 100·1.5/3 = 50; 40 has L=3 → 100.
    assert percentile_ranks([10, 20, 20, 40]) == [0.0, 50.0, 50.0, 100.0]


def test_percentile_rank_keeps_the_order_of_its_input():
    assert percentile_ranks([3, 1, 2]) == [100.0, 0.0, 50.0]


def test_percentile_rank_of_a_single_value_is_100():
    assert percentile_ranks([Decimal("12.5")]) == [100.0]


def test_percentile_rank_of_equal_values_is_50():
    # L=0, E=3: 100·(0 + 2/2)/2 = 50.
    assert percentile_ranks([7, 7, 7]) == [50.0, 50.0, 50.0]


def test_percentile_rank_of_nothing_is_nothing():
    assert percentile_ranks([]) == []


# --- criteria and composite -----------------------------------------------------------

A = AccountFacts(
    key=1, annual_revenue=100, wallet_estimate=400, gross_margin_pct=20, strategic_value=5
)
B = AccountFacts(
    key=2, annual_revenue=300, wallet_estimate=300, gross_margin_pct=40, strategic_value=1
)
C = AccountFacts(
    key=3, annual_revenue=200, wallet_estimate=None, gross_margin_pct=None, strategic_value=3
)


def test_criteria_scores_worked_by_hand():
    scores = criteria_scores([A, B, C])
    # revenue 100/300/200; headroom 300/0/0 (no wallet = no headroom); margin 20/40/0
    # (none = 0); lifetime 100·20%·5 = 100, 300·40%·5 = 600, 0; strategic (v−1)·25.
    assert scores[1] == {
        "revenue": 0.0,
        "growth": 100.0,
        "margin": 50.0,
        "lifetime_value": 50.0,
        "strategic": 100.0,
    }
    assert scores[2] == {
        "revenue": 100.0,
        "growth": 25.0,
        "margin": 100.0,
        "lifetime_value": 100.0,
        "strategic": 0.0,
    }
    assert scores[3] == {
        "revenue": 50.0,
        "growth": 25.0,
        "margin": 0.0,
        "lifetime_value": 0.0,
        "strategic": 50.0,
    }


def test_expected_years_scale_lifetime_value_but_not_its_rank():
    assert criteria_scores([A, B, C], expected_years=10) == criteria_scores([A, B, C])


def test_a_single_account_scores_100_on_every_ranked_criterion():
    scores = criteria_scores([C])[3]
    assert scores["revenue"] == scores["growth"] == scores["margin"] == 100.0
    assert scores["lifetime_value"] == 100.0
    assert scores["strategic"] == 50.0


def test_zero_wallets_give_everyone_the_middle_growth_score():
    accounts = [
        AccountFacts(
            key=k, annual_revenue=k * 10, wallet_estimate=0, gross_margin_pct=10, strategic_value=1
        )
        for k in (1, 2, 3)
    ]
    assert {s["growth"] for s in criteria_scores(accounts).values()} == {50.0}


def test_a_wallet_below_revenue_is_no_headroom_not_a_negative_one():
    low = AccountFacts(
        key=1, annual_revenue=500, wallet_estimate=100, gross_margin_pct=0, strategic_value=1
    )
    none = AccountFacts(
        key=2, annual_revenue=1, wallet_estimate=1, gross_margin_pct=0, strategic_value=1
    )
    assert criteria_scores([low, none])[1]["growth"] == 50.0  # tied with 0 headroom


def test_composite_with_equal_weights_is_the_mean():
    scores = criteria_scores([A, B, C])
    weights = dict.fromkeys(scores[1], 1)
    # A: (0+100+50+50+100)/5 = 60; B: (100+25+100+100+0)/5 = 65; C: (50+25+0+0+50)/5 = 25.
    assert composite_score(scores[1], weights) == pytest.approx(60.0)
    assert composite_score(scores[2], weights) == pytest.approx(65.0)
    assert composite_score(scores[3], weights) == pytest.approx(25.0)


def test_composite_weighs_revenue_double():
    scores = criteria_scores([A, B, C])
    weights = {"revenue": 2, "growth": 1, "margin": 1, "lifetime_value": 1, "strategic": 1}
    # B: (2·100 + 25 + 100 + 100 + 0)/6 = 425/6.
    assert composite_score(scores[2], weights) == pytest.approx(425 / 6)
    assert composite_score(scores[1], weights) == pytest.approx(50.0)


def test_composite_refuses_weights_that_are_all_zero():
    with pytest.raises(ValueError, match="weight above zero"):
        composite_score({"revenue": 50.0}, {"revenue": 0})


# --- tier rules, caps and pins --------------------------------------------------------

TIER_I = TierRule(key=1, conditions=(("revenue", 80), ("strategic", 75)))
TIER_II = TierRule(key=2, conditions=(("growth", 70), ("lifetime_value", 70)))
TIER_III = TierRule(key=3)
DEFAULT = [TIER_I, TIER_II, TIER_III]


def _scores_and_composites():
    scores = criteria_scores([A, B, C])
    weights = dict.fromkeys(scores[1], 1)
    return scores, {key: composite_score(s, weights) for key, s in scores.items()}


def test_the_first_tier_whose_condition_holds_wins():
    scores, _ = _scores_and_composites()
    assert rule_tier(scores[1], DEFAULT) == 1  # strategic 100 ≥ 75
    assert rule_tier(scores[2], DEFAULT) == 1  # revenue 100 ≥ 80
    assert rule_tier(scores[3], DEFAULT) == 3  # nothing holds: the catch-all


def test_a_score_equal_to_the_threshold_meets_it():
    assert rule_tier({"revenue": 80.0, "strategic": 0.0}, DEFAULT) == 1
    assert rule_tier({"revenue": 79.99, "growth": 70.0}, DEFAULT) == 2


def test_without_caps_every_account_takes_its_rule_tier():
    scores, composites = _scores_and_composites()
    assert assign_tiers(scores, composites, DEFAULT) == {
        1: Placement(1),
        2: Placement(1),
        3: Placement(3),
    }


def test_a_capped_tier_drops_its_lowest_composite_to_the_next_tier():
    scores, composites = _scores_and_composites()
    capped = [TierRule(1, TIER_I.conditions, cap=1), TIER_II, TIER_III]
    # Tier I holds A (60) and B (65); cap 1 keeps B and drops A to Tier II.
    assert assign_tiers(scores, composites, capped) == {
        1: Placement(2, capped=True),
        2: Placement(1),
        3: Placement(3),
    }


def test_the_excess_cascades_through_full_tiers():
    scores, composites = _scores_and_composites()
    tiers = [
        TierRule(1, TIER_I.conditions, cap=1),
        TierRule(2, TIER_II.conditions, cap=0),
        TIER_III,
    ]
    assert assign_tiers(scores, composites, tiers)[1] == Placement(3, capped=True)


def test_a_tie_at_the_cap_keeps_the_account_recorded_first():
    scores = {7: {"revenue": 90.0}, 4: {"revenue": 95.0}}
    composites = {7: 50.0, 4: 50.0}
    tiers = [TierRule(1, (("revenue", 80),), cap=1), TIER_III]
    placements = assign_tiers(scores, composites, tiers)
    assert placements[4] == Placement(1)
    assert placements[7] == Placement(3, capped=True)


def test_a_pinned_account_keeps_its_tier_and_takes_a_capped_place_first():
    scores, composites = _scores_and_composites()
    capped = [TierRule(1, TIER_I.conditions, cap=1), TIER_II, TIER_III]
    placements = assign_tiers(scores, composites, capped, pinned={3: 1})
    assert placements[3] == Placement(1, pinned=True)  # C, whose rules say Tier III
    assert placements[1] == Placement(2, capped=True)
    assert placements[2] == Placement(2, capped=True)


def test_a_pin_survives_whatever_the_rules_say():
    scores, composites = _scores_and_composites()
    assert assign_tiers(scores, composites, DEFAULT, pinned={2: 3})[2] == Placement(3, pinned=True)


def test_a_pin_to_an_unknown_tier_is_refused():
    scores, composites = _scores_and_composites()
    with pytest.raises(ValueError, match="do not exist"):
        assign_tiers(scores, composites, DEFAULT, pinned={1: 99})


def test_no_accounts_no_placements():
    assert assign_tiers({}, {}, DEFAULT) == {}


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([TIER_I, TIER_II], "Exactly one tier must be the catch-all"),
        ([TIER_III, TIER_I], "must come last"),
        ([TIER_I, TierRule(2), TierRule(3)], "Exactly one tier must be the catch-all"),
        ([TIER_I, TierRule(3, cap=5)], "catch-all tier cannot have a cap"),
        ([TierRule(1, (("revenue", 150),)), TIER_III], "from 0 to 100"),
        ([TierRule(1, (("size", 50),)), TIER_III], "Unknown criterion"),
        ([TierRule(1, (("revenue", 50),), cap=-1), TIER_III], "cannot be negative"),
    ],
)
def test_invalid_tier_configurations_are_named(tiers, message):
    assert any(message in problem for problem in validate_tiers(tiers))
    with pytest.raises(ValueError, match=message):
        assign_tiers({}, {}, tiers)


def test_the_default_configuration_is_valid():
    assert validate_tiers(DEFAULT) == []


# --- revenue concentration ------------------------------------------------------------


def test_concentration_curve_from_the_largest_account_down():
    points = concentration([20, 50, 30])
    assert points[0] == (0.0, 0.0)
    assert [round(x, 2) for x, _ in points[1:]] == [33.33, 66.67, 100.0]
    assert [round(y, 2) for _, y in points[1:]] == [50.0, 80.0, 100.0]


def test_concentration_without_revenue_is_flat():
    assert concentration([0, 0]) == [(0.0, 0.0), (50.0, 0.0), (100.0, 0.0)]
