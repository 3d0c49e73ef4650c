"""The opportunity formulas of DESIGN §3 against values worked out by hand."""

from decimal import Decimal

import pytest

from opportunities.formulas import (
    Criterion,
    customer_roi_pct,
    payback_months,
    qualification_score,
    return_on_effort,
    verdict,
    weighted_value,
)

EIGHT = [Criterion(key=k, weight=Decimal(1)) for k in range(1, 9)]


def test_the_score_of_the_eight_default_criteria():
    """Answers 2,2,1,1,0,2,1,0 (sum 9) with weight 1 each: 100·9/(2·8) = 56.25 → 56.3."""
    answers = dict(zip(range(1, 9), [2, 2, 1, 1, 0, 2, 1, 0], strict=True))
    assert qualification_score(EIGHT, answers) == Decimal("56.3")


def test_unanswered_criteria_count_zero():
    """Only criterion 1 answered 2: 100·2/16 = 12.5."""
    assert qualification_score(EIGHT, {1: 2}) == Decimal("12.5")
    assert qualification_score(EIGHT, {}) == Decimal("0.0")


def test_weights_and_inactive_criteria():
    """Weights 3 and 1, a third inactive: answers 2 and 0 → 100·(3·2)/(2·4) = 75."""
    criteria = [
        Criterion(1, Decimal(3)),
        Criterion(2, Decimal(1)),
        Criterion(3, Decimal(5), active=False),
    ]
    assert qualification_score(criteria, {1: 2, 2: 0, 3: 0}) == Decimal("75.0")


def test_no_weight_means_no_score():
    assert qualification_score([Criterion(1, Decimal(0))], {1: 2}) is None
    assert qualification_score([], {}) is None


@pytest.mark.parametrize("answer", [-1, 3, "2", None])
def test_answers_are_0_1_or_2(answer):
    with pytest.raises(ValueError):
        qualification_score(EIGHT, {1: answer})


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0", "unqualified"),
        ("39.9", "unqualified"),
        ("40", "needs_work"),
        ("69.9", "needs_work"),
        ("70", "qualified"),
        ("100", "qualified"),
    ],
)
def test_verdict_boundaries(score, expected):
    assert verdict(Decimal(score)) == expected


def test_no_score_no_verdict():
    assert verdict(None) is None


def test_weighted_value():
    """250,000 at 40 % → 100,000.00; 33 % of 10 → 3.30."""
    assert weighted_value(250_000, 40) == Decimal("100000.00")
    assert weighted_value(10, 33) == Decimal("3.30")
    assert weighted_value(None, 40) is None and weighted_value(100, None) is None


def test_customer_roi_and_payback():
    """Benefit 120,000 a year for 3 years on an investment of 200,000:
    ROI = (360,000 − 200,000)/200,000·100 = 80 %; payback = 200,000/(120,000/12) = 20 months."""
    assert customer_roi_pct(120_000, 3, 200_000) == Decimal("80.0")
    assert payback_months(120_000, 200_000) == Decimal("20.0")
    # A benefit below the investment over the horizon is a negative ROI:
    # (50,000·2 − 150,000)/150,000·100 = −33.33… → −33.3.
    assert customer_roi_pct(50_000, 2, 150_000) == Decimal("-33.3")


@pytest.mark.parametrize(
    ("benefit", "years", "investment"),
    [(120_000, 3, 0), (120_000, 3, None), (None, 3, 100), (120_000, None, 100)],
)
def test_roi_without_its_inputs_is_empty(benefit, years, investment):
    assert customer_roi_pct(benefit, years, investment) is None


def test_payback_without_benefit_or_investment_is_empty():
    assert payback_months(0, 100_000) is None
    assert payback_months(None, 100_000) is None
    assert payback_months(120_000, None) is None
    assert payback_months(120_000, 0) == Decimal("0.0")  # nothing to pay back


def test_return_on_effort():
    """Weighted value 100,000 at 30 % margin over 150 hours at 100/h:
    100,000·0.30/(150·100) = 30,000/15,000 = 2.00; at a rate of 80: 30,000/12,000 = 2.50."""
    assert return_on_effort(100_000, 30, 150) == Decimal("2.00")
    assert return_on_effort(100_000, 30, 150, 80) == Decimal("2.50")


@pytest.mark.parametrize(
    ("weighted", "margin", "hours", "rate"),
    [
        (100, 30, 0, 100),
        (100, 30, None, 100),
        (None, 30, 10, 100),
        (100, None, 10, 100),
        (100, 30, 10, 0),
    ],
)
def test_roe_without_effort_or_inputs_is_empty(weighted, margin, hours, rate):
    assert return_on_effort(weighted, margin, hours, rate) is None
