"""Reads of insights' own pages: the accounts list, the dashboards' accounts (their next
review, their live alerts, their owners), an account's live alerts and subsidiaries,
and the generated packs (an account's pack follows the account's permissions)."""

from django.db.models import Case, Count, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from accounts_app.models import Account, User
from accounts_app.selectors import account_get_for_user, account_list
from plans.models import GeneratedPack
from plans.reviews import reviews_due_for
from scorecards.models import Alert


def portfolio_account_list(*, user: User) -> QuerySet[Account]:
    """The accounts list of the page and the API: the account core's list (the figures
    of the latest snapshot, the RPI's 90-day change) with each account's tier joined."""
    return account_list(user=user).select_related("tier_assignment__tier")


def owners_of(*, accounts: QuerySet[Account]) -> QuerySet[User]:
    """The people who own `accounts` (a dashboard's owner filter)."""
    return User.objects.filter(pk__in=accounts.values("owner_id")).order_by(
        "first_name", "last_name"
    )


def account_live_alerts(*, account: Account, limit: int = 20) -> list[Alert]:
    """The account's open and acknowledged alerts, open first, newest first."""
    return list(
        Alert.objects.filter(account=account, status__in=Alert.LIVE)
        .select_related("rule")
        .order_by("status", "-raised_at")[:limit]
    )


def mark_next_review(*, accounts) -> None:
    """Set `next_review` on each account of the page: the review (of either kind) due
    first by its tier's cadence, or None (a fixed number of queries for the page)."""
    first = {}
    for row in reviews_due_for([a.pk for a in accounts]):
        if row.account_id not in first or row.due < first[row.account_id].due:
            first[row.account_id] = row
    today = timezone.localdate()
    for account in accounts:
        account.next_review = first.get(account.pk)
        account.review_overdue = bool(account.next_review and account.next_review.due < today)


def live_alerts(*, accounts, top: int = 6) -> tuple[dict, list[Alert]]:
    """The live alerts of `accounts` counted (open, acknowledged, high) and the `top`
    open ones, most severe and newest first. The count and the choice of the top ones
    read the partial index live_alerts_by_account alone; only those are then read
    whole."""
    live = Alert.objects.filter(account__in=accounts, status__in=Alert.LIVE).order_by()
    counts = live.aggregate(
        open=Count("pk", filter=Q(status=Alert.Status.OPEN)),
        acknowledged=Count("pk", filter=Q(status=Alert.Status.ACKNOWLEDGED)),
        high=Count("pk", filter=Q(severity="high")),
    )
    severity = Case(When(severity="high", then=0), When(severity="medium", then=1), default=2)
    ids = list(
        live.filter(status=Alert.Status.OPEN)
        .order_by(severity, "-raised_at", "-pk")
        .values_list("pk", flat=True)[:top]
    )
    found = Alert.objects.select_related("account", "rule").in_bulk(ids) if ids else {}
    return counts, [found[pk] for pk in ids if pk in found]


# --- Generated packs ----------------------------------------------------------------------

# What the lists and the status page read of a pack: not its PDF.
LISTED = (
    "id",
    "kind",
    "account_id",
    "status",
    "pages",
    "size",
    "requested_by",
    "created_at",
    "finished_at",
    "progress_done",
    "progress_total",
    "error",
)


def pack_get_for_user(*, user: User, pack_id) -> GeneratedPack:
    """The pack, without its PDF, if the user may have it: an account's to whoever sees
    the account, the portfolio's to executives and admins; 404 otherwise."""
    pack = GeneratedPack.objects.filter(pk=pack_id).only(*LISTED).first()
    if pack is None:
        raise Http404("No such pack.")
    if pack.account_id:
        pack.account = account_get_for_user(user=user, account_id=pack.account_id)
    elif not user.sees_every_account:
        raise Http404("No such pack.")
    return pack


def pack_with_pdf(*, pack: GeneratedPack) -> GeneratedPack:
    """A pack the user may have (pack_get_for_user), whole, its PDF included."""
    return GeneratedPack.objects.select_related("account").get(pk=pack.pk)


def portfolio_pack_list() -> QuerySet[GeneratedPack]:
    """The portfolio packs generated so far, newest first, without their PDFs."""
    return (
        GeneratedPack.objects.filter(kind=GeneratedPack.Kind.PORTFOLIO)
        .only(*LISTED)
        .select_related("requested_by")
        .order_by("-created_at", "-id")
    )


def visible_children(*, user: User, account: Account) -> QuerySet[Account]:
    """The account's subsidiaries the user may see (names only)."""
    # Not `account.children`: the related manager would set each child's parent and,
    # with parent_id deferred, reload it row by row.
    return Account.objects.visible_to(user).filter(parent=account).only("id", "name")
