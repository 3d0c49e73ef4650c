"""What the Relationship Penetration Index reads: each account's contacts, relationships
and business units as plain values for accounts_app.rpi, for many accounts at once
(three queries whatever their number). The recompute (insights.snapshots) and the pages
that show the RPI now both read them here."""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import F

from .models import Account, BusinessUnit, Contact, Relationship
from .rpi import ContactFacts, Penetration, RelationshipFacts, penetration


def account_facts(account_ids: Sequence[int]):
    """The contacts, relationships and business units of these accounts, as plain values
    for accounts_app.rpi, grouped by account (three queries)."""
    contacts, relationships, units = defaultdict(list), defaultdict(list), defaultdict(list)
    for pk, account_id, level, role, attitude, unit in Contact.objects.filter(
        account_id__in=account_ids
    ).values_list("pk", "account_id", "level", "buying_role", "attitude", "business_unit_id"):
        contacts[account_id].append(ContactFacts(pk, level, role, attitude, unit))
    # Only current team members count ("any team member", DESIGN §3): a relationship
    # held by someone who has left the team no longer lifts the index.
    for account_id, contact, user, strength, target in Relationship.objects.filter(
        contact__account_id__in=account_ids,
        user__team_memberships__account_id=F("contact__account_id"),
    ).values_list("contact__account_id", "contact_id", "user_id", "strength", "target_strength"):
        relationships[account_id].append(RelationshipFacts(contact, user, strength, target))
    for account_id, pk in BusinessUnit.objects.filter(account_id__in=account_ids).values_list(
        "account_id", "pk"
    ):
        units[account_id].append(pk)
    return contacts, relationships, units


def account_penetration(*, account: Account) -> Penetration:
    """The account's RPI, parts, best strengths and gaps, from its data as it is now."""
    contacts, relationships, units = account_facts([account.pk])
    return penetration(contacts[account.pk], relationships[account.pk], units[account.pk])
