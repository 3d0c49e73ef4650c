"""Plan quality (DESIGN §3) on hand-made facts: each check, the score, the edges."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from plans.quality import PlanFacts, plan_quality

TODAY = date(2026, 11, 22)

GOOD = PlanFacts(
    overview="Grow the service business.",
    knowledge_points=3,
    revenue_target=Decimal("1000000"),
    strengths=1,
    weaknesses=1,
    goals_with_strategy_and_tactic=1,
    open_tactics_without_owner_or_due=0,
    decision_makers=2,
    decision_makers_below_2=0,
    last_update=TODAY - timedelta(days=90),
    today=TODAY,
)


def with_(**changes):
    return PlanFacts(**{**GOOD.__dict__, **changes})


def test_a_plan_passing_everything_scores_100():
    quality = plan_quality(GOOD)
    assert quality.score == Decimal("100.0") and quality.failing == []
    assert len(quality.checks) == 8


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({"overview": "   \n "}, "overview"),
        ({"knowledge_points": 2}, "knowledge"),
        ({"revenue_target": None}, "target"),
        ({"strengths": 0}, "swot"),
        ({"weaknesses": 0}, "swot"),
        ({"goals_with_strategy_and_tactic": 0}, "goals"),
        ({"open_tactics_without_owner_or_due": 1}, "tactics"),
        ({"decision_makers_below_2": 1}, "decision_makers"),
        ({"last_update": TODAY - timedelta(days=91)}, "fresh"),
    ],
)
def test_each_check_fails_on_its_own(changes, failing):
    """One failing check of eight: 7/8 = 87.5."""
    quality = plan_quality(with_(**changes))
    assert [check.key for check in quality.failing] == [failing]
    assert quality.score == Decimal("87.5")


def test_a_zero_target_is_still_a_target():
    assert plan_quality(with_(revenue_target=Decimal(0))).score == 100


def test_no_decision_makers_and_no_open_tactics_pass():
    quality = plan_quality(with_(decision_makers=0, decision_makers_below_2=0))
    assert quality.score == 100


def test_an_empty_plan():
    """Passes only the vacuous checks (no open tactic, no decision maker) and freshness:
    3/8 = 37.5."""
    empty = PlanFacts(
        overview="",
        knowledge_points=0,
        revenue_target=None,
        strengths=0,
        weaknesses=0,
        goals_with_strategy_and_tactic=0,
        open_tactics_without_owner_or_due=0,
        decision_makers=0,
        decision_makers_below_2=0,
        last_update=TODAY,
        today=TODAY,
    )
    quality = plan_quality(empty)
    assert [c.key for c in quality.failing] == ["overview", "knowledge", "target", "swot", "goals"]
    assert quality.score == Decimal("37.5")


def test_the_advice_says_what_is_missing():
    quality = plan_quality(
        with_(knowledge_points=1, open_tactics_without_owner_or_due=2, decision_makers_below_2=1)
    )
    advice = {check.key: check.advice for check in quality.failing}
    assert advice["knowledge"].endswith("(1 of 3 so far).")
    assert advice["tactics"] == "2 open tactics lack an owner or a due date."
    assert (
        advice["decision_makers"]
        == "1 of 2 decision makers has no relationship of strength 2 or more."
    )
    assert quality.score == Decimal("62.5")  # 5 of 8
