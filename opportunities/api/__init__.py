"""REST API v1 of opportunities (DESIGN §7): the pipeline, each opportunity's
qualification, the qualification criteria and each account's whitespace matrix.

Reads are scoped to the accounts the caller may see (anything else is a 404); writes go
through opportunities.services (a visible opportunity the caller may not change is a
403; a rule broken is a 400 with field errors). The figures the formulas compute
(qualification score, verdict, weighted value, customer ROI, payback, ROE) are read-only
JSON numbers, null where their divisor is zero or missing.

Qualification answers are 0, 1 or 2: JSON integers, or strings holding one ("2"), as
every integer field of the API accepts; anything else is a 400 keyed by the criterion
id under "answers".
"""

from .competitors import (
    CompetitorPresenceSerializer,
    CompetitorPresenceViewSet,
    CompetitorSerializer,
    CompetitorViewSet,
)
from .contracts import ContractSerializer, ContractViewSet
from .opportunities import OpportunitySerializer, OpportunityViewSet
from .qualification import (
    VERDICTS,
    QualificationCriterionSerializer,
    QualificationCriterionViewSet,
    QualificationInputSerializer,
    QualificationSerializer,
)
from .whitespace import (
    NamedSerializer,
    WhitespaceCellInputSerializer,
    WhitespaceCellSerializer,
    WhitespaceMatrixSerializer,
    WhitespaceOpportunitySerializer,
    WhitespaceRowSerializer,
    WhitespaceTotalSerializer,
    WhitespaceView,
)

__all__ = [
    "ContractSerializer",
    "ContractViewSet",
    "CompetitorPresenceSerializer",
    "CompetitorPresenceViewSet",
    "CompetitorSerializer",
    "CompetitorViewSet",
    "VERDICTS",
    "NamedSerializer",
    "OpportunitySerializer",
    "OpportunityViewSet",
    "QualificationCriterionSerializer",
    "QualificationCriterionViewSet",
    "QualificationInputSerializer",
    "QualificationSerializer",
    "WhitespaceCellInputSerializer",
    "WhitespaceCellSerializer",
    "WhitespaceMatrixSerializer",
    "WhitespaceOpportunitySerializer",
    "WhitespaceRowSerializer",
    "WhitespaceTotalSerializer",
    "WhitespaceView",
]
