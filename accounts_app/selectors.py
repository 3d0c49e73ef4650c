"""Reads. Every object a request touches is loaded through these, so the permission
rules of DESIGN §1 live in one place: an account a user may not see is a 404, one they
may see but not change is a 403."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from accounts_app.penetration import account_penetration

from .models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    Relationship,
    TeamMember,
    User,
)
from .rpi import Gap, Penetration


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
        .select_related("owner", "parent")
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
            Account.objects.visible_to(user).select_related("owner", "parent").get(pk=account_id)
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


def account_contacts(*, account: Account) -> QuerySet[Contact]:
    """The contacts of one account for its Contacts tab, with each contact's best strength."""
    return (
        account.contacts.select_related("business_unit", "reports_to")
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


def account_team(*, account: Account) -> QuerySet[TeamMember]:
    return account.team_members.select_related("user", "user__manager").order_by("role", "id")


def account_business_units(*, account: Account) -> QuerySet[BusinessUnit]:
    return account.business_units.annotate(contact_count=Count("contacts")).order_by("name")


def user_list(*, user: User) -> QuerySet[User]:
    """Users are a directory every signed-in person may read (names and roles only)."""
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(is_active=True).select_related("manager")


# --- Relationship penetration -----------------------------------------------------------


@dataclass(frozen=True)
class GapLine:
    """A coverage gap as the pages and the API show it, with the matrix cell that would
    close it (`cell_user`: whose relationship with the contact to build)."""

    kind: str
    label: str
    contact_id: int
    contact_name: str
    user_id: int | None
    user_name: str | None
    strength: int
    target: int | None
    cell_user_id: int | None

    @property
    def anchor(self) -> str:
        if self.cell_user_id:
            return f"cell-{self.contact_id}-{self.cell_user_id}"
        return f"contact-{self.contact_id}"


@dataclass(frozen=True)
class RpiReport:
    penetration: Penetration
    gaps: list[GapLine]

    @property
    def rpi(self):
        return self.penetration.rpi

    @property
    def high(self):
        return self.penetration.percent("high")

    @property
    def wide(self):
        return self.penetration.percent("wide")

    @property
    def deep(self):
        return self.penetration.percent("deep")


def account_rpi(*, account: Account, team: list[TeamMember] | None = None) -> RpiReport:
    """The account's RPI and gaps from its data as it is now (a fixed number of queries).

    Each gap names the cell that would close it: the relationship below its target; for a
    contact nobody covers well, the team member who knows them best (else the owner); for
    a single-threaded decision maker, someone other than the one thread (the owner first);
    a detractor, the contact's row.
    """
    result = account_penetration(account=account)
    if team is None:
        team = list(account_team(account=account))
    users = {member.user_id: member.user for member in team}
    owner_first = sorted(users, key=lambda pk: (pk != account.owner_id, pk))
    contact_ids = {gap.contact for gap in result.gaps}
    names = dict(
        Contact.objects.filter(pk__in=contact_ids).values_list("pk", "name") if contact_ids else ()
    )
    best_holder = {}
    if contact_ids:
        for contact_id, user_id in (
            Relationship.objects.filter(contact_id__in=contact_ids, user_id__in=users)
            .order_by("contact_id", "-strength", "user_id")
            .values_list("contact_id", "user_id")
        ):
            best_holder.setdefault(contact_id, user_id)
    lines = []
    for gap in result.gaps:
        if gap.kind == "below_target":
            cell = gap.user if gap.user in users else None
        elif gap.kind == "uncovered":
            cell = best_holder.get(gap.contact) or next(iter(owner_first), None)
        elif gap.kind == "single_threaded":
            cell = next((pk for pk in owner_first if pk != gap.user), None)
        else:
            cell = None
        user = users.get(gap.user) if gap.user else None
        lines.append(
            GapLine(
                kind=gap.kind,
                label=Gap.KINDS[gap.kind],
                contact_id=gap.contact,
                contact_name=names.get(gap.contact, ""),
                user_id=gap.user,
                user_name=user.name if user else None,
                strength=gap.strength,
                target=gap.target,
                cell_user_id=cell,
            )
        )
    return RpiReport(penetration=result, gaps=lines)


def account_rpi_trend(*, account: Account, days: int = 365) -> list[tuple]:
    """(date, RPI) of the account's snapshots over the last `days` days, oldest first."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        account.snapshots.filter(date__gte=since, rpi__isnull=False)
        .order_by("date")
        .values_list("date", "rpi")
    )
