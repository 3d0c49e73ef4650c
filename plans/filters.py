"""Filters of the plans API (django-filter). Parents filter by plain number (IdFilter),
never by a model choice: an id that does not exist and one the user may not see both
give an empty list."""

import django_filters

from core.filters import IdFilter

from .models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic


class PlanFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    # A year is a whole number: "2027.5" is refused, not rounded.
    period = IdFilter(field_name="period", max_value=32767)
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices)

    class Meta:
        model = Plan
        fields = ["account", "period", "status"]


class _ItemFilter(django_filters.FilterSet):
    deleted = django_filters.BooleanFilter(
        method="filter_deleted",
        help_text="true: only the deleted items (to undo a delete); by default the live ones.",
    )

    def filter_deleted(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(deleted_at__isnull=not value)


class KnowledgePointFilter(_ItemFilter):
    plan = IdFilter(field_name="plan_id")

    class Meta:
        model = KnowledgePoint
        fields = ["plan", "kind", "deleted"]


class SwotItemFilter(_ItemFilter):
    plan = IdFilter(field_name="plan_id")

    class Meta:
        model = SwotItem
        fields = ["plan", "kind", "deleted"]


class GoalFilter(_ItemFilter):
    plan = IdFilter(field_name="plan_id")
    customer_goal = IdFilter(field_name="customer_goal_id")

    class Meta:
        model = Goal
        fields = ["plan", "customer_goal", "deleted"]


class StrategyFilter(_ItemFilter):
    goal = IdFilter(field_name="goal_id")
    plan = IdFilter(field_name="goal__plan_id")

    class Meta:
        model = Strategy
        fields = ["goal", "plan", "deleted"]


class TacticFilter(_ItemFilter):
    strategy = IdFilter(field_name="strategy_id")
    goal = IdFilter(field_name="strategy__goal_id")
    plan = IdFilter(field_name="strategy__goal__plan_id")
    owner = IdFilter(field_name="owner_id")

    class Meta:
        model = Tactic
        fields = ["strategy", "goal", "plan", "owner", "status", "deleted"]
