"""Users, customer accounts, their people, our teams and the relationships between them.

Every model is imported here, so `accounts_app.models` is where Django finds them and
where the rest of the code imports them from.
"""

from .accounts import Account, AccountPurge, AccountQuerySet, LifecycleStage
from .interactions import EARLIEST_INTERACTION, Interaction
from .lists import DefaultIndustry, DefaultRegion, Industry, Region
from .people import BusinessUnit, Contact, Relationship, TeamMember
from .revenue import RevenueEntry
from .signin import SecurityEvent, SignInPolicy, SsoIdentity
from .snapshots import AccountSnapshot
from .tokens import ApiToken
from .users import Offboarding, User

__all__ = [
    "EARLIEST_INTERACTION",
    "Account",
    "AccountPurge",
    "AccountQuerySet",
    "AccountSnapshot",
    "ApiToken",
    "BusinessUnit",
    "Contact",
    "DefaultIndustry",
    "DefaultRegion",
    "Industry",
    "Interaction",
    "Offboarding",
    "LifecycleStage",
    "Region",
    "Relationship",
    "RevenueEntry",
    "SecurityEvent",
    "SignInPolicy",
    "SsoIdentity",
    "TeamMember",
    "User",
]
