"""Reads of plans and the permission rules of DESIGN §1 for them.

Split by what they read: access and permissions (access.py), plan quality
(quality.py), the history of changes (changes.py), the plan page (page.py), the list,
life cycle, comments and notifications (coaching.py) and business reviews
(reviews.py). Import them from here: `from plans.selectors import X`.
"""

from .access import (
    can_coach_plan,
    can_edit_plan,
    can_reopen_plan,
    can_resolve_comments,
    can_submit_plan,
    current_plan,
    current_plans,
    plan_get_for_user,
)
from .changes import (
    CHANGE_SOURCES,
    NOT_SHOWN,
    latest_change,
    plan_approved_at,
    plan_changes_since,
)
from .coaching import (
    DEFAULT_PLAN_SORT,
    PLAN_SORTS,
    QUALITY_BANDS,
    notification_list,
    plan_comment_get,
    plan_comment_threads,
    plan_list,
    plan_list_tiers,
    plan_periods,
    plan_transitions,
    unread_notification_count,
)
from .page import (
    goal_with_strategies,
    plan_alignment,
    plan_goals,
    plan_item_get,
    plan_item_parent_get,
    plan_knowledge_points,
    plan_swot_items,
    strategy_with_tactics,
)
from .quality import plan_facts, plan_quality_for
from .reviews import (
    account_recent_packs,
    account_reviews,
    review_action_count,
    review_action_get,
    review_actions,
    review_attendees,
    review_customer_attendees,
    review_get_for_user,
)

__all__ = [
    "CHANGE_SOURCES",
    "DEFAULT_PLAN_SORT",
    "NOT_SHOWN",
    "PLAN_SORTS",
    "QUALITY_BANDS",
    "account_recent_packs",
    "account_reviews",
    "can_coach_plan",
    "can_edit_plan",
    "can_reopen_plan",
    "can_resolve_comments",
    "can_submit_plan",
    "current_plan",
    "current_plans",
    "goal_with_strategies",
    "latest_change",
    "notification_list",
    "plan_alignment",
    "plan_approved_at",
    "plan_changes_since",
    "plan_comment_get",
    "plan_comment_threads",
    "plan_facts",
    "plan_get_for_user",
    "plan_goals",
    "plan_item_get",
    "plan_item_parent_get",
    "plan_knowledge_points",
    "plan_list",
    "plan_list_tiers",
    "plan_periods",
    "plan_quality_for",
    "plan_swot_items",
    "plan_transitions",
    "review_action_count",
    "review_action_get",
    "review_actions",
    "review_attendees",
    "review_customer_attendees",
    "review_get_for_user",
    "strategy_with_tactics",
    "unread_notification_count",
]
