"""Filters of the opportunity lists, shared by the pages and the API (django-filter).
Foreign keys filter by plain number (accounts_app.filters.IdFilter): an id the caller may
not see matches nothing, exactly like one that does not exist."""

import django_filters
from django.db.models import Q

from core.filters import HidesArchived, IdFilter, NullsLastOrderingFilter

from . import selectors
from .models import Opportunity

# The figures an opportunity may lack (no effort, no answers yet, no date): last both ways.
NULLS_LAST = ("roe", "weighted_value", "close_date", "qualification_score")

VERDICT_CHOICES = [
    ("qualified", "Qualified (70 or more)"),
    ("needs_work", "Needs work (40–69)"),
    ("unqualified", "Unqualified (under 40)"),
]
STATUS_CHOICES = [
    ("open", "Open"),
    ("won", "Won"),
    ("lost", "Lost"),
]

SORTS = (
    ("name", "name"),
    ("account__name", "account"),
    ("value", "value"),
    ("weighted_value", "weighted_value"),
    ("roe", "roe"),
    ("close_date", "close_date"),
    ("qualification_score", "qualification_score"),
    ("probability", "probability"),
    ("stage__position", "stage"),
    ("updated_at", "updated"),
)


class OpportunityFilter(HidesArchived, django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search", help_text="Part of the opportunity's or account's name."
    )
    account = IdFilter(field_name="account_id")
    stage = IdFilter(field_name="stage_id")
    owner = IdFilter(field_name="owner_id")
    product_line = IdFilter(field_name="product_line_id")
    business_unit = IdFilter(field_name="business_unit_id")
    verdict = django_filters.ChoiceFilter(
        choices=VERDICT_CHOICES, method="filter_verdict", empty_label="Any verdict"
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        field_name="stage__outcome",
        empty_label="Any status",
        help_text="open: in a stage still being worked; won or lost: closed.",
    )
    stalled = django_filters.BooleanFilter(
        method="filter_stalled",
        help_text="Open and untouched in its stage for longer than the stage allows.",
    )
    sort = NullsLastOrderingFilter(fields=SORTS, nulls_last=NULLS_LAST, label="Sort")

    class Meta:
        model = Opportunity
        fields = ["account", "stage", "owner", "product_line", "business_unit", "archived"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        # The queryset holds only opportunities of visible accounts, so matching their
        # account's name names nothing the user may not see.
        return queryset.filter(Q(name__icontains=value) | Q(account__name__icontains=value))

    def filter_verdict(self, queryset, name, value):
        return queryset.filter(selectors.verdict_condition(value)) if value else queryset

    def filter_stalled(self, queryset, name, value):
        if value is None:
            return queryset
        condition = selectors.stalled_condition()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    @property
    def qs(self):
        queryset = super().qs
        # The id last keeps pages stable where the sorted figure repeats.
        if not queryset.query.order_by:
            return queryset.order_by("account_id", "-updated_at", "-id")
        return queryset.order_by(*queryset.query.order_by, "-id")
