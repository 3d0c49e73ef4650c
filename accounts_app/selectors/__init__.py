"""Reads. Every object a request touches is loaded through these, so the permission
rules of DESIGN §1 live in one place: an account a user may not see is a 404, one they
may see but not change is a 403.

The package: `accounts` (the list, one account, the rules of change, users), `people`
(business units, contacts, team), `relationships` (the matrix and the RPI),
`interactions` and `revenue` (an account's months).
"""

from .accounts import (
    RPI_CHANGE_DAYS,
    account_get_for_user,
    account_last_interaction,
    account_latest_snapshot,
    account_list,
    account_parent_choices,
    can_create_account,
    can_edit_account,
    can_manage_team,
    mark_visible_parents,
    user_list,
)
from .interactions import (
    account_interactions,
    interaction_get,
    interaction_list,
)
from .people import (
    account_archived_count,
    account_business_units,
    account_contact_list,
    account_contacts,
    account_contacts_by_business_unit,
    account_team,
    business_unit_get,
    business_unit_list,
    contact_get,
    contact_list,
    relationship_list,
    team_member_get,
    team_member_list,
)
from .relationships import (
    GapLine,
    PairError,
    RpiReport,
    account_rpi,
    account_rpi_trend,
    contact_best_strength,
    relationship_cell,
    relationship_matrix,
    relationship_matrix_team,
    relationship_pair_get,
    relationships_by_pair,
)
from .revenue import account_revenue_by_month

__all__ = [
    "GapLine",
    "account_archived_count",
    "PairError",
    "RPI_CHANGE_DAYS",
    "RpiReport",
    "account_business_units",
    "account_contact_list",
    "account_contacts",
    "account_contacts_by_business_unit",
    "account_get_for_user",
    "account_interactions",
    "interaction_list",
    "account_last_interaction",
    "account_latest_snapshot",
    "account_list",
    "account_parent_choices",
    "account_revenue_by_month",
    "account_rpi",
    "account_rpi_trend",
    "account_team",
    "business_unit_get",
    "business_unit_list",
    "can_create_account",
    "can_edit_account",
    "can_manage_team",
    "contact_best_strength",
    "contact_get",
    "contact_list",
    "interaction_get",
    "mark_visible_parents",
    "relationship_cell",
    "relationship_list",
    "relationship_matrix",
    "relationship_matrix_team",
    "relationship_pair_get",
    "relationships_by_pair",
    "team_member_get",
    "team_member_list",
    "user_list",
]
