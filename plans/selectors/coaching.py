"""Reads around coaching: the list of plans with its filters and sorts, the plan's
life cycle steps and comment threads, and the user's notifications."""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from accounts_app.models import User
from segmentation.models import Tier

from ..models import Notification, Plan, PlanComment, PlanTransition

PLAN_SORTS = {
    "account": ("account__name", "period"),
    "-account": ("-account__name", "-period"),
    "quality": ("quality", "account__name"),
    "-quality": ("-quality", "account__name"),
    "updated": ("updated_at",),
    "-updated": ("-updated_at",),
    "status": ("status", "account__name"),
    "tier": ("account__tier_assignment__tier__rank", "account__name"),
}
DEFAULT_PLAN_SORT = "-updated"
QUALITY_BANDS = {
    "low": Q(quality__lt=50),
    "mid": Q(quality__gte=50, quality__lt=80),
    "high": Q(quality__gte=80),
}


def plan_periods(*, user: User) -> list[int]:
    """The fiscal years of the plans `user` may see, newest first."""
    visible = Plan.objects.visible_to(user)
    return sorted(set(visible.values_list("period", flat=True)), reverse=True)


def plan_list_tiers() -> QuerySet[Tier]:
    """The tiers the list of plans filters by, in their rank."""
    return Tier.objects.order_by("rank")


def plan_list(*, user: User, filters: dict | None = None, sort: str = DEFAULT_PLAN_SORT):
    """The plans `user` may see, with their account (owner, tier) and their count of
    open comments; narrowed by `filters` (q: the account's name, status, tier, period,
    quality: a key of QUALITY_BANDS) and sorted by `sort`, a key of PLAN_SORTS (the
    latest update first if it is not one)."""
    plans = (
        Plan.objects.visible_to(user)
        .select_related("account", "account__owner", "account__tier_assignment__tier")
        .annotate(
            open_comments=Count("comments", filter=Q(comments__resolved=False), distinct=True)
        )
    )
    filters = filters or {}
    name = (filters.get("q") or "").strip()
    if name:
        plans = plans.filter(account__name__icontains=name)
    if filters.get("status"):
        plans = plans.filter(status=filters["status"])
    if filters.get("tier"):
        plans = plans.filter(account__tier_assignment__tier_id=filters["tier"])
    if filters.get("period"):
        plans = plans.filter(period=filters["period"])
    if filters.get("quality"):
        plans = plans.filter(QUALITY_BANDS[filters["quality"]])
    return plans.order_by(*PLAN_SORTS.get(sort, PLAN_SORTS[DEFAULT_PLAN_SORT]), "id")


def plan_transitions(*, plan: Plan) -> list[PlanTransition]:
    """The plan's life cycle steps, newest first, with who took them. Kept on the plan
    too, so `plan.transitions.all()` costs no further query."""
    transitions = list(plan.transitions.select_related("by"))
    plan._prefetched_objects_cache = {
        **getattr(plan, "_prefetched_objects_cache", {}),
        "transitions": transitions,
    }
    return transitions


def plan_comment_threads(*, plan: Plan) -> list[PlanComment]:
    """The plan's comments as threads: each top-level comment with its replies in
    `thread_replies`, the unresolved ones first, then by age. One query."""
    comments = list(plan.comments.select_related("author", "resolved_by"))
    replies = defaultdict(list)
    for comment in comments:
        if comment.parent_id:
            replies[comment.parent_id].append(comment)
    threads = [c for c in comments if c.parent_id is None]
    for thread in threads:
        thread.thread_replies = replies[thread.pk]
    threads.sort(key=lambda c: (c.resolved, c.created_at))
    return threads


def plan_comment_get(*, plan: Plan, comment_id) -> PlanComment | None:
    """The comment of `plan` with this id, if there is one."""
    return PlanComment.objects.filter(plan=plan, pk=comment_id).first()


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first, about the plans they may still see:
    someone who left a team keeps no window on it."""
    return (
        Notification.objects.visible_to(user)
        .filter(user=user)
        .select_related("plan", "plan__account", "comment")
    )


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
