"""One django-import-export resource per kind of import."""

from ..models import Kind
from .accounts import AccountResource
from .base import Context
from .deals import OpportunityResource, RevenueResource
from .people import ContactResource
from .team import RelationshipResource, TeamMemberResource

RESOURCES = {
    Kind.ACCOUNTS: AccountResource,
    Kind.CONTACTS: ContactResource,
    Kind.TEAM_MEMBERS: TeamMemberResource,
    Kind.RELATIONSHIPS: RelationshipResource,
    Kind.OPPORTUNITIES: OpportunityResource,
    Kind.REVENUE: RevenueResource,
}

__all__ = ["RESOURCES", "Context"]
