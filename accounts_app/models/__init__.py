"""Users, customer accounts, their people, our teams and the relationships between them.

Every model is imported here, so `accounts_app.models` is where Django finds them and
where the rest of the code imports them from.
"""

from .accounts import Account, AccountQuerySet, Industry, LifecycleStage, Region
from .interactions import EARLIEST_INTERACTION, Interaction
from .people import BusinessUnit, Contact, Relationship, TeamMember
from .snapshots import AccountSnapshot
from .users import User

__all__ = [
    "EARLIEST_INTERACTION",
    "Account",
    "AccountQuerySet",
    "AccountSnapshot",
    "BusinessUnit",
    "Contact",
    "Industry",
    "Interaction",
    "LifecycleStage",
    "Region",
    "Relationship",
    "TeamMember",
    "User",
]
