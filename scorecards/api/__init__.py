"""REST API v1 of scorecards (DESIGN §7): the metric library, scorecards and their lines
(weights, targets, actuals; attainment and score read-only), survey rounds with their
results, and action alerts with their rules.

Reads are scoped to the accounts the caller may see (anything else is a 404: customer
answers included); writes go through scorecards.services, scorecards.surveys and
scorecards.alerts.services (a visible object the caller may not change is a 403; a rule
broken is a 400 with field errors).
"""

from .alerts import (
    AlertFilter,
    AlertRuleSerializer,
    AlertRuleViewSet,
    AlertSerializer,
    AlertViewSet,
    NoteSerializer,
)
from .metrics import MetricSerializer, MetricViewSet
from .scorecards import (
    LineCreateSerializer,
    LineFilter,
    LineSerializer,
    ScorecardFilter,
    ScorecardLineViewSet,
    ScorecardSerializer,
    ScorecardViewSet,
)
from .surveys import (
    CommentSerializer,
    GapSerializer,
    ResultsSerializer,
    SurveyRoundFilter,
    SurveyRoundSerializer,
    SurveyRoundViewSet,
)

__all__ = [
    "AlertFilter",
    "AlertRuleSerializer",
    "AlertRuleViewSet",
    "AlertSerializer",
    "AlertViewSet",
    "CommentSerializer",
    "GapSerializer",
    "LineCreateSerializer",
    "LineFilter",
    "LineSerializer",
    "MetricSerializer",
    "MetricViewSet",
    "NoteSerializer",
    "ResultsSerializer",
    "ScorecardFilter",
    "ScorecardLineViewSet",
    "ScorecardSerializer",
    "ScorecardViewSet",
    "SurveyRoundFilter",
    "SurveyRoundSerializer",
    "SurveyRoundViewSet",
]
