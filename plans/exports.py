"""The plans list as a file (DESIGN §10): the columns of `plans/export/` and of the plans
page's Export links (plans.views.exports, with the page's own filters)."""

from django.db.models import QuerySet

from core.exports import Column, label, name_of

from .models import Plan


def _tier(plan: Plan) -> str | None:
    assignment = getattr(plan.account, "tier_assignment", None)
    return assignment.tier.name if assignment else None


def plan_columns() -> list[Column]:
    return [
        Column("id", lambda p: p.pk),
        Column("account_id", lambda p: p.account_id),
        Column("account", lambda p: p.account.name),
        Column("account_owner", lambda p: name_of(p.account.owner)),
        Column("tier", _tier),
        Column("period", lambda p: p.period),
        Column("status", lambda p: label(p, "status")),
        Column("version", lambda p: p.version),
        Column("quality", lambda p: p.quality),
        Column("failing_checks", lambda p: ", ".join(p.quality_failing or ())),
        Column("revenue_target", lambda p: p.revenue_target),
        Column("wallet_estimate", lambda p: p.wallet_estimate),
        Column("margin_target_pct", lambda p: p.margin_target_pct),
        Column("revenue_q1", lambda p: p.revenue_q1),
        Column("revenue_q2", lambda p: p.revenue_q2),
        Column("revenue_q3", lambda p: p.revenue_q3),
        Column("revenue_q4", lambda p: p.revenue_q4),
        Column("overview", lambda p: p.overview),
        Column("created_at", lambda p: p.created_at),
        Column("updated_at", lambda p: p.updated_at),
    ]


def plan_export_queryset(queryset: QuerySet[Plan]) -> QuerySet[Plan]:
    """What the columns read, joined (a constant number of queries for any rows)."""
    return queryset.select_related("account", "account__owner", "account__tier_assignment__tier")
