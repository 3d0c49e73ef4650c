"""The accounts a user may see and change: the list, one account, the rules of change,
and the user directory."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from ..models import Account, AccountSnapshot, User


def _latest_snapshot(field: str) -> Subquery:
    return Subquery(
        AccountSnapshot.objects.filter(account=OuterRef("pk")).order_by("-date").values(field)[:1]
    )


RPI_CHANGE_DAYS = 90


def account_list(*, user: User) -> QuerySet[Account]:
    """Accounts the user may see, with what the list shows, in a constant number of queries.

    Call `mark_visible_parents` on the page shown: the name of a parent the user may not
    see is never shown, not even as "part of ...".
    """
    return (
        Account.objects.visible_to(user)
        .select_related("owner", "parent", "industry", "region")
        .annotate(
            contact_count=_latest_snapshot("contact_count"),
            relationship_count=_latest_snapshot("relationship_count"),
            last_interaction=_latest_snapshot("last_interaction"),
            rpi=_latest_snapshot("rpi"),
            rpi_90_days_ago=Subquery(
                AccountSnapshot.objects.filter(
                    account=OuterRef("pk"),
                    date__lte=timezone.localdate() - timedelta(days=RPI_CHANGE_DAYS),
                    # A snapshot much older than that would not be a 90-day change.
                    date__gte=timezone.localdate() - timedelta(days=RPI_CHANGE_DAYS + 30),
                    rpi__isnull=False,
                )
                .order_by("-date")
                .values("rpi")[:1]
            ),
        )
        .annotate(
            rpi_change=ExpressionWrapper(
                F("rpi") - F("rpi_90_days_ago"),
                output_field=DecimalField(max_digits=5, decimal_places=1),
            )
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


def account_get_for_user(*, user: User, account_id, write: bool = False) -> Account:
    """The account, or 404 if the user may not see it; 403 if `write` and they may not change it."""
    try:
        account = (
            Account.objects.visible_to(user)
            .select_related("owner", "parent", "industry", "region")
            .get(pk=account_id)
        )
    except (Account.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such account.") from exc
    if write and not can_edit_account(user=user, account=account):
        raise PermissionDenied("You can see this account but not change it.")
    mark_visible_parents(user=user, accounts=[account])
    return account


def can_edit_account(*, user: User, account: Account) -> bool:
    return account.editable_by(user)


def can_manage_team(*, user: User, account: Account) -> bool:
    """The roster is the account owner's (and an admin's) to change."""
    return account.roster_editable_by(user)


def can_create_account(*, user: User) -> bool:
    # Executives read; everyone else may start an account (and becomes its owner).
    active = user is not None and user.is_authenticated and user.is_active
    return active and (user.role != User.Role.EXECUTIVE or user.is_admin_role)


def account_last_interaction(*, account: Account):
    return account.interactions.aggregate(last=Max("date"))["last"]


def account_latest_snapshot(*, account: Account) -> AccountSnapshot | None:
    return account.snapshots.order_by("-date").first()


def account_parent_choices(*, user: User) -> QuerySet[Account]:
    """The accounts the user may pick as an account's parent: those they may see."""
    return Account.objects.visible_to(user)


def user_list(*, user: User) -> QuerySet[User]:
    """Users are a directory every signed-in person may read (names and roles only)."""
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(is_active=True).select_related("manager")
