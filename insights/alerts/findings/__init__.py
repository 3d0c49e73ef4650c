"""One function per built-in kind of alert (DESIGN §5): (rule, account ids, now) →
findings. Each gathers what it needs for every account in scope in a few queries;
scorecards.alerts.kinds holds the pure conditions, parameters and defaults."""

from scorecards.alerts import kinds

from .opportunities import notice_deadline, opportunity_stalled, renewal_unqualified
from .plans import plan_missing, review_overdue, risk_high, tactic_overdue
from .relationships import (
    detractor_decision_maker,
    no_decision_maker_contact,
    rpi_below_target,
    rpi_dropped,
)
from .scorecards import metric_off_target, survey_low

EVALUATORS = {
    kinds.METRIC_OFF_TARGET: metric_off_target,
    kinds.RPI_BELOW_TARGET: rpi_below_target,
    kinds.RPI_DROPPED: rpi_dropped,
    kinds.NO_DECISION_MAKER_CONTACT: no_decision_maker_contact,
    kinds.PLAN_MISSING: plan_missing,
    kinds.TACTIC_OVERDUE: tactic_overdue,
    kinds.REVIEW_OVERDUE: review_overdue,
    kinds.SURVEY_LOW: survey_low,
    kinds.OPPORTUNITY_STALLED: opportunity_stalled,
    kinds.DETRACTOR_DECISION_MAKER: detractor_decision_maker,
    kinds.RISK_HIGH: risk_high,
    kinds.RENEWAL_UNQUALIFIED: renewal_unqualified,
    kinds.NOTICE_DEADLINE: notice_deadline,
}

__all__ = ["EVALUATORS"]
