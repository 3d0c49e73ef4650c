"""Writes of plans: creation, edits with optimistic locking, the life cycle, comments and
notifications, cloning into the next period. Each checks its permission rule
(plans.selectors) and raises PermissionDenied / ValidationError / StaleVersion.

The writes are split by behaviour: the plan's own fields and quality (plans.py), its
items (items.py), the life cycle (lifecycle.py), comments and notifications
(coaching.py), cloning into the next period (clone.py), and what they share
(common.py). Import them from here: `from plans import services`.
"""

from core.periods import fiscal_year

from .clone import plan_clone
from .coaching import comment_add, comment_resolve, notifications_mark_read
from .common import StaleVersion
from .items import (
    ITEM_FIELDS,
    item_create,
    item_delete,
    item_restore,
    item_update,
    items_reorder,
)
from .lifecycle import plan_approve, plan_reopen, plan_request_changes, plan_submit
from .plans import (
    PLAN_FIELDS,
    account_plans_quality_refresh,
    plan_create,
    plan_quality_refresh,
    plan_update,
)
from .risks import RISK_FIELDS, risk_create, risk_update

__all__ = [
    "ITEM_FIELDS",
    "PLAN_FIELDS",
    "RISK_FIELDS",
    "StaleVersion",
    "account_plans_quality_refresh",
    "comment_add",
    "comment_resolve",
    "fiscal_year",
    "item_create",
    "item_delete",
    "item_restore",
    "item_update",
    "items_reorder",
    "notifications_mark_read",
    "plan_approve",
    "plan_clone",
    "plan_create",
    "plan_quality_refresh",
    "plan_reopen",
    "plan_request_changes",
    "plan_submit",
    "plan_update",
    "risk_create",
    "risk_update",
]
