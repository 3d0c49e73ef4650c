"""The metric-based account plan (DESIGN §2, plans): one per account and fiscal year,
with knowledge points, financials, SWOT, goals → strategies → tactics, its life cycle
(draft → submitted → approved, or changes requested), coaching comments and the in-app
notifications they raise.

Every editable row carries a `version` (optimistic locking: a save names the version it
read and is refused if someone saved since) and a history kept by django-simple-history
(who, when, old and new values). Items are soft-deleted (`deleted_at`) so a delete can
be undone. Business reviews of the account and the packs generated for them live here
too.

The models are split by what they describe: the plan (plans.py), its items (items.py),
coaching (coaching.py), business reviews (reviews.py), packs (packs.py) and the risk
register (risks.py); every one is
imported here, so `from plans.models import X` keeps working.
"""

from .coaching import Notification, PlanComment, PlanTransition
from .items import Goal, KnowledgePoint, PlanItem, Strategy, SwotItem, Tactic
from .packs import GeneratedPack
from .plans import MONEY, PERCENT, Plan
from .reviews import BusinessReview, ReviewActionItem
from .risks import Risk

__all__ = [
    "MONEY",
    "PERCENT",
    "BusinessReview",
    "GeneratedPack",
    "Goal",
    "KnowledgePoint",
    "Notification",
    "Plan",
    "PlanComment",
    "PlanItem",
    "PlanTransition",
    "ReviewActionItem",
    "Risk",
    "Strategy",
    "SwotItem",
    "Tactic",
]
