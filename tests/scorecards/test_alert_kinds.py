"""The alert kinds' conditions at their boundaries (DESIGN §5): exactly N days fires,
one day less does not; thresholds are strict where DESIGN says "below"."""

import re
from decimal import Decimal as D

import pytest

from scorecards.alerts import kinds


@pytest.mark.parametrize("days, fires", [(None, False), (6, False), (7, True), (30, True)])
def test_overdue_is_n_days_or_more(days, fires):
    assert kinds.overdue(days, 7) is fires


@pytest.mark.parametrize(
    "attainment, fires", [(None, False), ("0.8999", True), ("0.9", False), ("1.2", False)]
)
def test_off_target_is_strictly_under_the_threshold(attainment, fires):
    assert kinds.off_target(None if attainment is None else D(attainment), 90) is fires


@pytest.mark.parametrize(
    "rpi, target, fires",
    [("69.9", 70, True), ("70.0", 70, False), (None, 70, False), ("10", None, False)],
)
def test_rpi_below_target(rpi, target, fires):
    assert kinds.below_target(None if rpi is None else D(rpi), target) is fires


@pytest.mark.parametrize(
    "now, then, fires",
    [("50", "60", True), ("50.1", "60", False), ("70", "60", False), (None, "60", False)],
)
def test_rpi_dropped_by_points_or_more(now, then, fires):
    assert kinds.dropped(None if now is None else D(now), D(then), 10) is fires


@pytest.mark.parametrize("mean, fires", [("2.99", True), ("3.00", False), (None, False)])
def test_survey_low_is_strictly_under(mean, fires):
    assert kinds.survey_low(None if mean is None else D(mean), D("3.0")) is fires


def test_every_kind_is_described_and_only_reviews_wait_for_their_data():
    assert set(kinds.KINDS) == {
        "metric_off_target",
        "rpi_below_target",
        "rpi_dropped",
        "no_decision_maker_contact",
        "plan_missing",
        "tactic_overdue",
        "review_overdue",
        "survey_low",
        "opportunity_stalled",
        "detractor_decision_maker",
        "risk_high",
        "renewal_unqualified",
        "notice_deadline",
    }
    assert not [k.key for k in kinds.KINDS.values() if k.inactive_because]
    assert kinds.defaults("review_overdue") == {"days": 7}
    assert kinds.defaults("rpi_dropped") == {"points": 10, "days": 30}
    assert kinds.defaults("risk_high") == {"min_score": 15}  # DESIGN §13


@pytest.mark.parametrize("kind", sorted(kinds.KINDS))
def test_every_explanation_names_its_rules_values_not_placeholders(kind):
    """DESIGN §12: a text is true when it is read; no "N days" left for the reader."""
    text = kinds.KINDS[kind].explain()
    assert "{" not in text and not re.search(r"\b[NXY] (days|points)\b", text), text


def test_an_explanation_carries_the_rules_own_values():
    assert kinds.KINDS[kinds.NO_DECISION_MAKER_CONTACT].explain({"days": 45}) == (
        "Nobody has met a decision maker of the account for 45 days or more (one never met: "
        "45 days after they were added)."
    )
    assert kinds.KINDS[kinds.RPI_DROPPED].explain({"points": 5}) == (
        "The RPI fell by at least 5 points over the last 30 days."
    )
