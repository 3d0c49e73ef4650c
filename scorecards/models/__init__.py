"""Scorecards' models (DESIGN §2): the metric library, scorecards, health weights and
the portfolio's aggregates; voice-of-the-customer surveys; action alerts."""

from .alerts import (
    Alert,
    AlertEvent,
    AlertPreference,
    AlertRule,
    EscalationProcedure,
    EscalationStep,
    Severity,
)
from .scorecards import (
    HealthWeights,
    Metric,
    PortfolioSnapshot,
    Scorecard,
    ScorecardLine,
)
from .surveys import (
    SurveyAnswer,
    SurveyDimension,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
    SurveyTemplate,
)

__all__ = [
    "Alert",
    "AlertEvent",
    "AlertPreference",
    "AlertRule",
    "EscalationProcedure",
    "EscalationStep",
    "Severity",
    "HealthWeights",
    "Metric",
    "PortfolioSnapshot",
    "Scorecard",
    "ScorecardLine",
    "SurveyAnswer",
    "SurveyDimension",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyRound",
    "SurveyTemplate",
]
