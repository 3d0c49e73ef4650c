"""Reads. Every object a request touches is loaded through these, so the permission
rules of DESIGN §1 live in one place: an account a user may not see is a 404, one they
may see but not change is a 403."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from segmentation.compliance import servicing_gaps

from .models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    Relationship,
    TeamMember,
    User,
)


def _latest_snapshot(field: str) -> Subquery:
    return Subquery(
        AccountSnapshot.objects.filter(account=OuterRef("pk")).order_by("-date").values(field)[:1]
    )


def account_list(*, user: User) -> QuerySet[Account]:
    """Accounts the user may see, with what the list shows, in a constant number of queries.

    Call `mark_visible_parents` on the page shown: the name of a parent the user may not
    see is never shown, not even as "part of ..."; and `mark_servicing_gaps` for what
    each account's tier requires of its team.
    """
    return (
        Account.objects.visible_to(user)
        .select_related("owner", "parent", "tier_assignment__tier")
        .annotate(
            contact_count=_latest_snapshot("contact_count"),
            relationship_count=_latest_snapshot("relationship_count"),
            last_interaction=_latest_snapshot("last_interaction"),
        )
    )


def mark_visible_parents(*, user: User, accounts) -> None:
    """Set `parent_visible` on each account, in one query for all of them.

    (Per page, not as an annotation of the list: as a correlated subquery the visibility
    test ran once per row, in every row before the page's offset — seconds at 10,000.)
    """
    parent_ids = {account.parent_id for account in accounts if account.parent_id}
    visible = set(
        Account.objects.visible_to(user).filter(pk__in=parent_ids).values_list("pk", flat=True)
        if parent_ids
        else ()
    )
    for account in accounts:
        account.parent_visible = account.parent_id in visible


def mark_servicing_gaps(*, accounts) -> None:
    """Set `servicing_gaps` on each account: what its tier's servicing model requires
    and its team lacks (empty when nothing checkable is missing; None when not tiered).

    The accounts must carry `tier_assignment__tier` (as `account_list` does); the roles
    of all their teams are read in one query.
    """
    roles = defaultdict(set)
    account_ids = [account.pk for account in accounts]
    if account_ids:
        for account_id, role in TeamMember.objects.filter(account_id__in=account_ids).values_list(
            "account_id", "role"
        ):
            roles[account_id].add(role)
    for account in accounts:
        # The reverse one-to-one is absent until a run or an override places the account.
        assignment = getattr(account, "tier_assignment", None)
        account.servicing_gaps = (
            servicing_gaps(tier=assignment.tier, team_roles=roles[account.pk])
            if assignment
            else None
        )


def account_get_for_user(*, user: User, account_id, write: bool = False) -> Account:
    """The account, or 404 if the user may not see it; 403 if `write` and they may not change it."""
    try:
        account = (
            Account.objects.visible_to(user).select_related("owner", "parent").get(pk=account_id)
        )
    except (Account.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such account.") from exc
    if write and not can_edit_account(user=user, account=account):
        raise PermissionDenied("You can see this account but not change it.")
    mark_visible_parents(user=user, accounts=[account])
    return account


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_edit_account(*, user: User, account: Account) -> bool:
    if not _active(user):
        return False
    if user.is_admin_role:
        return True
    return TeamMember.objects.filter(account=account, user=user).exists()


def can_manage_team(*, user: User, account: Account) -> bool:
    """The roster is the account owner's (and an admin's) to change."""
    if not _active(user):
        return False
    if user.is_admin_role:
        return True
    return TeamMember.objects.filter(
        account=account, user=user, role=TeamMember.Role.OWNER
    ).exists()


def can_create_account(*, user: User) -> bool:
    # Executives read; everyone else may start an account (and becomes its owner).
    return _active(user) and (user.role != User.Role.EXECUTIVE or user.is_admin_role)


def account_last_interaction(*, account: Account):
    return account.interactions.aggregate(last=Max("date"))["last"]


def account_latest_snapshot(*, account: Account) -> AccountSnapshot | None:
    return account.snapshots.order_by("-date").first()


def business_unit_list(*, user: User) -> QuerySet[BusinessUnit]:
    return BusinessUnit.objects.filter(account__in=Account.objects.visible_to(user)).select_related(
        "account"
    )


def contact_list(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(account__in=Account.objects.visible_to(user)).select_related(
        "account", "business_unit", "reports_to"
    )


def team_member_list(*, user: User) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(account__in=Account.objects.visible_to(user)).select_related(
        "account", "user"
    )


def relationship_list(*, user: User) -> QuerySet[Relationship]:
    return Relationship.objects.filter(
        contact__account__in=Account.objects.visible_to(user)
    ).select_related("contact", "contact__account", "user")


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


def account_contacts(*, account: Account) -> QuerySet[Contact]:
    """The contacts of one account for its Contacts tab, with each contact's best strength."""
    return (
        account.contacts.select_related("business_unit", "reports_to")
        .prefetch_related(
            Prefetch(
                "relationships", queryset=Relationship.objects.only("id", "contact_id", "strength")
            )
        )
        .order_by("name", "id")
    )


def account_team(*, account: Account) -> QuerySet[TeamMember]:
    return account.team_members.select_related("user", "user__manager").order_by("role", "id")


def account_business_units(*, account: Account) -> QuerySet[BusinessUnit]:
    return account.business_units.annotate(contact_count=Count("contacts")).order_by("name")


def user_list(*, user: User) -> QuerySet[User]:
    """Users are a directory every signed-in person may read (names and roles only)."""
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(is_active=True).select_related("manager")
