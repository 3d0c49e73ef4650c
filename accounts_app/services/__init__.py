"""Writes. Every change to accounts, contacts, teams, relationships and the revenue
history goes through a service: it validates with full_clean(), saves in a transaction
and queues the account snapshot job once the transaction has committed. Each service
records its `by` as the actor of the history it writes (core.history.records_actor)."""

from .accounts import (
    ACCOUNT_FIELDS,
    account_archive,
    account_create,
    account_purge,
    account_restore,
    account_update,
)
from .people import (
    CONTACT_FIELDS,
    business_unit_archive,
    business_unit_create,
    business_unit_restore,
    business_unit_update,
    contact_archive,
    contact_create,
    contact_restore,
    contact_update,
)
from .revenue import (
    revenue_entry_create,
    revenue_entry_update,
    revenue_months_record,
)
from .team import (
    RELATIONSHIP_FIELDS,
    account_owner_sync,
    interaction_delete,
    interaction_record,
    interaction_update,
    relationship_create,
    relationship_delete,
    relationship_set,
    relationship_update,
    team_member_add,
    team_member_change_role,
    team_member_make_owner,
    team_member_remove,
)

__all__ = [
    "ACCOUNT_FIELDS",
    "CONTACT_FIELDS",
    "RELATIONSHIP_FIELDS",
    "account_archive",
    "account_create",
    "account_owner_sync",
    "account_purge",
    "account_restore",
    "account_update",
    "business_unit_archive",
    "business_unit_create",
    "business_unit_restore",
    "business_unit_update",
    "contact_archive",
    "contact_create",
    "contact_restore",
    "contact_update",
    "interaction_delete",
    "interaction_record",
    "interaction_update",
    "relationship_create",
    "relationship_delete",
    "relationship_set",
    "relationship_update",
    "revenue_entry_create",
    "revenue_entry_update",
    "revenue_months_record",
    "team_member_add",
    "team_member_change_role",
    "team_member_make_owner",
    "team_member_remove",
]
