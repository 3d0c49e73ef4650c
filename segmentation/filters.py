"""The accounts lists' filters by tier (the accounts list and the accounts API): the
account core's filter, with the tier and the segmentation score to filter and sort by."""

import django_filters

from accounts_app.filters import SORTS, SORTS_NULLS_LAST, AccountFilter
from core.filters import NullsLastOrderingFilter

from .models import Tier

TIER_NONE = "none"


def _tier_choices() -> list[tuple[str, str]]:
    """Every tier by rank, then the accounts no run or override has placed yet.

    Tiers are not secret (everyone may read the segmentation model), so the choice of
    tiers may name them all; read per filterset, since an admin may edit them any time.
    """
    tiers = Tier.objects.order_by("rank").values_list("pk", "name")
    return [(str(pk), name) for pk, name in tiers] + [(TIER_NONE, "Not yet tiered")]


class TieredAccountFilter(AccountFilter):
    tier = django_filters.ChoiceFilter(
        method="filter_tier",
        label="Tier",
        help_text="A tier's id, or `none` for the accounts not yet tiered.",
        empty_label="Any tier",
        error_messages={
            "invalid_choice": "“%(value)s” is not a tier: choose one from the list.",
        },
    )
    sort = NullsLastOrderingFilter(
        fields=(
            *SORTS[:8],
            ("tier_assignment__tier__rank", "tier"),
            ("tier_assignment__composite", "score"),
            *SORTS[8:],
        ),
        nulls_last=("tier_assignment__tier__rank", "tier_assignment__composite", *SORTS_NULLS_LAST),
        label="Sort",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["tier"].extra["choices"] = _tier_choices()

    def filter_tier(self, queryset, name, value: str):
        if value == TIER_NONE:
            return queryset.filter(tier_assignment__isnull=True)
        return queryset.filter(tier_assignment__tier_id=value)
