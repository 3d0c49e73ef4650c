"""Filters of the opportunities API (django-filter). Foreign keys filter by plain number
(accounts_app.filters.IdFilter): an id the caller may not see matches nothing, exactly
like one that does not exist."""

import django_filters

from accounts_app.filters import IdFilter, NullsLastOrderingFilter

from .models import Opportunity

# The figures an opportunity may lack (no effort, no answers yet, no date): last both ways.
NULLS_LAST = ("roe", "weighted_value", "close_date", "qualification_score")


class OpportunityFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    stage = IdFilter(field_name="stage_id")
    owner = IdFilter(field_name="owner_id")
    product_line = IdFilter(field_name="product_line_id")
    business_unit = IdFilter(field_name="business_unit_id")
    sort = NullsLastOrderingFilter(
        fields=(
            ("name", "name"),
            ("value", "value"),
            ("weighted_value", "weighted_value"),
            ("roe", "roe"),
            ("close_date", "close_date"),
            ("qualification_score", "qualification_score"),
            ("probability", "probability"),
            ("stage__position", "stage"),
            ("updated_at", "updated"),
        ),
        nulls_last=NULLS_LAST,
        label="Sort",
    )

    class Meta:
        model = Opportunity
        fields = ["account", "stage", "owner", "product_line", "business_unit"]

    @property
    def qs(self):
        queryset = super().qs
        # The id last keeps pages stable where the sorted figure repeats.
        if not queryset.query.order_by:
            return queryset.order_by("account_id", "-updated_at", "-id")
        return queryset.order_by(*queryset.query.order_by, "-id")
