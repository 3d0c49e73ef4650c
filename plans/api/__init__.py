"""REST API v1 for account plans: the plan, its life cycle, and its items (knowledge
points, SWOT, goals → strategies → tactics).

Reads are scoped to the accounts the caller may see (anything else is a 404); writes go
through plans.services (a visible object the caller may not change is a 403; a rule
broken is a 400). Every update names the version it read — the `version` field or an
`If-Match` header — or is refused with 428; a stale one answers 409 with the current
object, and nothing changes.

Split by resource: the plan and its life cycle (plans.py), its items (items.py),
business reviews (reviews.py), the risk register (risks.py), and the version rules they
share (locking.py).
config/urls.py registers the viewsets from here.
"""

from .items import (
    ITEM_COMMON,
    ITEM_READ_ONLY,
    ITEM_TEXT_MAX,
    GoalSerializer,
    GoalViewSet,
    KnowledgePointSerializer,
    KnowledgePointViewSet,
    StrategySerializer,
    StrategyViewSet,
    SwotItemSerializer,
    SwotItemViewSet,
    TacticSerializer,
    TacticViewSet,
)
from .locking import (
    IF_MATCH,
    MAX_VERSION,
    VERSION_HELP,
    PreconditionRequired,
    conflict_response,
    locking_responses,
)
from .plans import (
    OVERVIEW_MAX,
    CommentSerializer,
    FailingCheckSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanSerializer,
    PlanViewSet,
)
from .reviews import (
    BusinessReviewFilter,
    BusinessReviewSerializer,
    BusinessReviewViewSet,
    ReviewActionSerializer,
)
from .risks import RiskFilter, RiskSerializer, RiskViewSet

__all__ = [
    "IF_MATCH",
    "ITEM_COMMON",
    "ITEM_READ_ONLY",
    "ITEM_TEXT_MAX",
    "MAX_VERSION",
    "OVERVIEW_MAX",
    "VERSION_HELP",
    "BusinessReviewFilter",
    "BusinessReviewSerializer",
    "BusinessReviewViewSet",
    "CommentSerializer",
    "FailingCheckSerializer",
    "GoalSerializer",
    "GoalViewSet",
    "KnowledgePointSerializer",
    "KnowledgePointViewSet",
    "PlanCreateSerializer",
    "PlanDetailSerializer",
    "PlanSerializer",
    "PlanViewSet",
    "PreconditionRequired",
    "ReviewActionSerializer",
    "RiskFilter",
    "RiskSerializer",
    "RiskViewSet",
    "StrategySerializer",
    "StrategyViewSet",
    "SwotItemSerializer",
    "SwotItemViewSet",
    "TacticSerializer",
    "TacticViewSet",
    "conflict_response",
    "locking_responses",
]
