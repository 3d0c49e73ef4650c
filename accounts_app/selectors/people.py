"""What hangs off an account, as the pages and the API read it: business units,
contacts, the team and relationships."""

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.http import Http404

from ..models import Account, BusinessUnit, Contact, Relationship, TeamMember, User


def business_unit_list(*, user: User) -> QuerySet[BusinessUnit]:
    return BusinessUnit.objects.visible_to(user).select_related("account")


def contact_list(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.visible_to(user).select_related("account", "business_unit", "reports_to")


def team_member_list(*, user: User) -> QuerySet[TeamMember]:
    return TeamMember.objects.visible_to(user).select_related("account", "user")


def relationship_list(*, user: User) -> QuerySet[Relationship]:
    return Relationship.objects.visible_to(user).select_related(
        "contact", "contact__account", "user"
    )


def _get_in_account(queryset: QuerySet, *, account: Account, object_id):
    try:
        return queryset.get(account=account, pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc


def contact_get(*, account: Account, contact_id) -> Contact:
    return _get_in_account(
        Contact.objects.select_related("business_unit", "reports_to"),
        account=account,
        object_id=contact_id,
    )


def business_unit_get(*, account: Account, business_unit_id) -> BusinessUnit:
    return _get_in_account(BusinessUnit.objects.all(), account=account, object_id=business_unit_id)


def team_member_get(*, account: Account, team_member_id) -> TeamMember:
    return _get_in_account(
        TeamMember.objects.select_related("user"), account=account, object_id=team_member_id
    )


def account_contacts(*, account: Account, archived: bool = False) -> QuerySet[Contact]:
    """The contacts of one account for its Contacts tab (the archived ones if asked), with
    each contact's best strength."""
    return (
        account.contacts.filter(archived=archived)
        .select_related("business_unit", "reports_to")
        .prefetch_related(
            # Current team members only, as the RPI, matrix and map count them.
            Prefetch(
                "relationships",
                queryset=Relationship.objects.filter(
                    user__team_memberships__account_id=F("contact__account_id")
                ).only("id", "contact_id", "strength"),
            )
        )
        .order_by("name", "id")
    )


def account_contact_list(
    *, account: Account, search: str = "", archived: bool = False
) -> QuerySet[Contact]:
    """The Contacts tab: account_contacts with when anyone from the team last met each
    contact (`last_met`, in the same query), those whose name or title holds `search`."""
    contacts = account_contacts(account=account, archived=archived).annotate(
        last_met=Max("interactions__date")
    )
    if search:
        contacts = contacts.filter(Q(name__icontains=search) | Q(title__icontains=search))
    return contacts


def account_contacts_by_business_unit(*, account: Account) -> QuerySet[Contact]:
    """The account's active contacts by business unit, then name (the one-pager)."""
    return (
        account.contacts.filter(archived=False)
        .select_related("business_unit", "reports_to")
        .order_by("business_unit__name", "name")
    )


def account_team(*, account: Account) -> QuerySet[TeamMember]:
    return account.team_members.select_related("user", "user__manager").order_by("role", "id")


def account_business_units(*, account: Account, archived: bool = False) -> QuerySet[BusinessUnit]:
    """The account's business units (the archived ones if asked), each with how many
    active contacts it has."""
    return (
        account.business_units.filter(archived=archived)
        .annotate(contact_count=Count("contacts", filter=Q(contacts__archived=False)))
        .order_by("name")
    )


def account_archived_count(*, account: Account, model) -> int:
    """How many of the account's `model` records (contacts, business units,
    opportunities) are archived: the "Show archived (N)" of its tabs."""
    return model.objects.filter(account=account, archived=True).count()
