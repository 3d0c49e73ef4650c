"""What the Relationship Penetration Index reads: each account's contacts, relationships,
team and business units as plain values for accounts_app.rpi, for many accounts at once
(four queries whatever their number). The recompute (insights.snapshots) and the pages
that show the RPI now read them here; accounts_app.rpi_history reads the same fields
from the history tables for the RPI of a past day, and both go through one rule
(`rpi.state_penetration`)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from .models import Account, BusinessUnit, Contact, Relationship, TeamMember
from .rpi import AccountState, ContactFacts, Penetration, RelationshipFacts, state_penetration

# The fields read of each model, the object's own id first (the live tables and their
# history tables have the same names).
CONTACT_FIELDS = ("id", "level", "buying_role", "attitude", "business_unit_id", "name", "archived")
RELATIONSHIP_FIELDS = ("id", "contact_id", "user_id", "strength", "target_strength")
TEAM_FIELDS = ("id", "user_id")
UNIT_FIELDS = ("id", "archived")
SOURCES = (
    ("contacts", Contact, CONTACT_FIELDS),
    ("relationships", Relationship, RELATIONSHIP_FIELDS),
    ("team", TeamMember, TEAM_FIELDS),
    ("units", BusinessUnit, UNIT_FIELDS),
)


def account_state(
    *,
    contacts: Iterable[tuple] = (),
    relationships: Iterable[tuple] = (),
    team: Iterable[tuple] = (),
    units: Iterable[tuple] = (),
) -> AccountState:
    """An AccountState from rows in the order of the *_FIELDS above."""
    return AccountState(
        contacts=tuple(
            ContactFacts(pk, level, role, attitude, unit, name, archived)
            for pk, level, role, attitude, unit, name, archived in contacts
        ),
        relationships=tuple(
            RelationshipFacts(contact, user, strength, target)
            for _, contact, user, strength, target in relationships
        ),
        team=frozenset(user for _, user in team),
        units=tuple((pk, archived) for pk, archived in units),
    )


def account_states(account_ids: Sequence[int]) -> dict[int, AccountState]:
    """Each account's RPI inputs as they are now, by account id (four queries)."""
    rows: dict[str, dict[int, list]] = {key: defaultdict(list) for key, _, _ in SOURCES}
    account_of = {Relationship: "contact__account_id"}
    for key, model, fields in SOURCES:
        path = account_of.get(model, "account_id")
        for account_id, *row in model.objects.filter(**{f"{path}__in": account_ids}).values_list(
            path, *fields
        ):
            rows[key][account_id].append(row)
    return {
        account_id: account_state(**{key: rows[key][account_id] for key, _, _ in SOURCES})
        for account_id in account_ids
    }


def account_penetration(*, account: Account) -> Penetration:
    """The account's RPI, parts, best strengths and gaps, from its data as it is now."""
    return state_penetration(account_states([account.pk])[account.pk])
