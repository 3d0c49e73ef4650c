"""The formulas of DESIGN §3 for scorecards, surveys and health, against numbers worked
out by hand: attainment both ways (and zero actuals), status boundaries, the scorecard
score with missing actuals, perception gaps and blind spots, engagement recency, plan
execution, account health with missing components and its bands."""

from decimal import Decimal as D

import pytest

from scorecards import formulas as f


@pytest.mark.parametrize(
    "actual, target, higher, expected",
    [
        (90, 100, True, "0.9"),  # revenue 90 of 100
        (120, 100, True, "1.2"),  # over target: 1.2, capped only in the score
        (0, 100, True, "0"),
        (2, 4, False, "2"),  # 2 escalations against a ceiling of 4: t/a = 2
        (5, 4, False, "0.8"),  # 5 against 4: 4/5
        (3, 9, True, "0.3333"),  # rounded to four decimals
        (0, 2, False, "1"),  # lower is better, zero actual: meets the target
        (0, 0, False, "1"),
        (3, 0, False, "0"),  # 3 against a ceiling of 0: misses it
        (5, 0, True, "1"),  # higher is better against a zero target: met
        (-5, 0, True, "0"),
    ],
)
def test_attainment_both_ways(actual, target, higher, expected):
    assert f.attainment(actual, target, higher_is_better=higher) == D(expected)


def test_attainment_without_an_actual_or_a_target_is_not_measured():
    assert f.attainment(None, 100, higher_is_better=True) is None
    assert f.attainment(5, None, higher_is_better=False) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", "on_target"),
        ("1.35", "on_target"),
        ("0.9999", "near"),
        ("0.9", "near"),
        ("0.8999", "off"),
        ("0", "off"),
        (None, None),
    ],
)
def test_status_boundaries(value, expected):
    assert f.status(None if value is None else D(value)) == expected


def test_scorecard_score_caps_each_metric_at_full_attainment():
    """Weights 2, 1, 1 with attainments 1.2 (counts 1), 0.9 and 0.5:
    100·(2·1 + 1·0.9 + 1·0.5)/4 = 100·3.4/4 = 85.0."""
    lines = [f.Line(D(2), D("1.2")), f.Line(D(1), D("0.9")), f.Line(D(1), D("0.5"))]
    assert f.scorecard_score(lines) == D("85.0")


def test_scorecard_score_leaves_out_unmeasured_metrics_and_renormalises():
    """Weights 3 (not measured), 1 at 0.6 and 1 at 0.8: 100·(0.6 + 0.8)/2 = 70.0."""
    lines = [f.Line(D(3), None), f.Line(D(1), D("0.6")), f.Line(D(1), D("0.8"))]
    assert f.scorecard_score(lines) == D("70.0")


def test_scorecard_score_edge_cases():
    assert f.scorecard_score([]) is None
    assert f.scorecard_score([f.Line(D(1), None)]) is None
    assert f.scorecard_score([f.Line(D(0), D(1))]) is None  # no weight, nothing to mean
    assert f.scorecard_score([f.Line(D(1), D(-2)), f.Line(D(1), D(1))]) == D("50.0")
    # 1/3 each of 1, 0.9, 0.9 = 2.8/3 = 93.333… → 93.3
    thirds = [f.Line(D(1), D(1)), f.Line(D(1), D("0.9")), f.Line(D(1), D("0.9"))]
    assert f.scorecard_score(thirds) == D("93.3")


def test_perception_gap_and_blind_spot():
    """Customers 3, 2, 3 (mean 2.667); the team 4, 4 (mean 4): gap 1.33, a blind spot."""
    gap = f.perception_gap([3, 2, 3], [4, 4])
    assert (gap.customer_mean, gap.internal_mean, gap.gap, gap.blind_spot) == (
        D("2.67"),
        D("4.00"),
        D("1.33"),
        True,
    )


@pytest.mark.parametrize(
    "customer, internal, gap, blind",
    [
        ([3], [4], "1.00", True),  # exactly 1.0 is a blind spot
        ([3.5], [4.49], "0.99", False),
        ([5, 4], [3], "-1.50", False),  # they think better of us than we do
        ([], [4], None, False),  # no customer answer: no gap
        ([4], [], None, False),
    ],
)
def test_perception_gap_boundaries(customer, internal, gap, blind):
    result = f.perception_gap(customer, internal)
    assert result.gap == (None if gap is None else D(gap))
    assert result.blind_spot is blind


def test_survey_component():
    assert f.survey_component(D("3.4")) == D("60.0")  # (3.4 − 1)·25
    assert f.survey_component(1) == D("0.0") and f.survey_component(5) == D("100.0")
    assert f.survey_component(None) is None


@pytest.mark.parametrize(
    "days, expected",
    [
        (0, "100"),
        (30, "100"),
        (31, "98.9"),
        (75, "50.0"),
        (119, "1.1"),
        (120, "0"),
        (400, "0"),
        (None, None),
    ],
)
def test_engagement_recency(days, expected):
    """Linear from 100 at 30 days to 0 at 120: 31 days = 100·89/90 = 98.9."""
    assert f.engagement_recency(days) == (None if expected is None else D(expected))


def test_plan_execution():
    assert f.plan_execution(due=8, done_on_time=6) == D("75.0")
    assert f.plan_execution(due=3, done_on_time=1) == D("33.3")
    assert f.plan_execution(due=0, done_on_time=0) is None


def test_health_with_every_component():
    """RPI 60·0.25 + scorecard 80·0.25 + survey 50·0.20 + plan 100·0.15 +
    engagement 0·0.15 = 15 + 20 + 10 + 15 + 0 = 60.0: amber."""
    health = f.account_health(
        {"rpi": 60, "scorecard": 80, "survey": 50, "plan_execution": 100, "engagement": 0}
    )
    assert (health.score, health.band) == (D("60.0"), "amber")
    assert health.components["rpi"] == (D(60), D("0.25"), D("15.0"))
    assert health.components["engagement"] == (D(0), D("0.15"), D("0.0"))


def test_health_with_missing_components_renormalises_the_weights():
    """Only RPI 60 (0.25) and engagement 100 (0.15): (15 + 15)/0.40 = 75.0, green;
    the RPI's weight becomes 0.25/0.40 = 0.625, its contribution 37.5."""
    health = f.account_health({"rpi": 60, "scorecard": None, "engagement": 100})
    assert (health.score, health.band) == (D("75.0"), "green")
    assert health.components["rpi"] == (D(60), D("0.625"), D("37.5"))
    assert health.components["survey"] == (None, D(0), D(0))


def test_health_with_nothing_measured():
    health = f.account_health({"rpi": None})
    assert (health.score, health.band) == (None, None)


@pytest.mark.parametrize(
    "score, band", [("70", "green"), ("69.9", "amber"), ("40", "amber"), ("39.9", "red")]
)
def test_health_bands(score, band):
    assert f.band(D(score)) == band


def test_health_weights_are_configurable():
    health = f.account_health({"rpi": 40, "scorecard": 100}, {"rpi": 1, "scorecard": 3})
    assert health.score == D("85.0")  # (40 + 300)/4
