"""Reads of business reviews for their pages: a review through its account's access
rule, the account's reviews and packs, a review's action items and attendees."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts_app.models import Account, Contact, User
from accounts_app.selectors import account_get_for_user

from ..models import BusinessReview, GeneratedPack, ReviewActionItem


def review_get_for_user(*, user: User, review_id, write: bool = False) -> BusinessReview:
    """The review, if the user may see its account (404 otherwise; 403 if `write` and
    they may not change it)."""
    review = BusinessReview.objects.select_related("created_by").filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    review.account = account_get_for_user(user=user, account_id=review.account_id, write=write)
    return review


def account_reviews(*, account: Account, kind: str = "") -> QuerySet[BusinessReview]:
    """The account's reviews, newest first, with their count of action items and of
    open ones; only those of `kind` if it is one of BusinessReview.Kind."""
    rows = (
        BusinessReview.objects.filter(account=account)
        .annotate(
            action_count=Count("actions"),
            open_actions=Count("actions", filter=Q(actions__done=False)),
        )
        .order_by("-scheduled_for", "-id")
    )
    if kind in BusinessReview.Kind.values:
        rows = rows.filter(kind=kind)
    return rows


def account_recent_packs(*, account: Account, limit: int = 5) -> list[GeneratedPack]:
    """The account's latest generated packs, without their PDFs."""
    return list(
        GeneratedPack.objects.filter(account=account)
        .defer("pdf")
        .select_related("requested_by")
        .order_by("-created_at", "-id")[:limit]
    )


def review_actions(*, review: BusinessReview) -> list[ReviewActionItem]:
    """The review's action items in their order, with their owners and tactics."""
    return list(review.actions.select_related("owner", "tactic").order_by("position", "id"))


def review_action_count(*, review: BusinessReview) -> int:
    return review.actions.count()


def review_action_get(*, review: BusinessReview, action_id) -> ReviewActionItem:
    """An action item of the review, or 404."""
    try:
        return review.actions.select_related("review").get(pk=action_id)
    except ReviewActionItem.DoesNotExist as exc:
        raise Http404("No such action item.") from exc


def review_attendees(*, review: BusinessReview) -> list[User]:
    return list(review.attendees.order_by("first_name", "last_name"))


def review_customer_attendees(*, review: BusinessReview) -> list[Contact]:
    return list(review.customer_attendees.order_by("name"))
