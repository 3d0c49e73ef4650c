"""Filters of the account core, shared by the HTML lists and the API (django-filter).
Foreign keys filter by plain number (core.filters.IdFilter)."""

import django_filters
from django.db.models import Q

from core.filters import IdFilter, NullsLastOrderingFilter
from segmentation.models import Tier

from .models import Account, BusinessUnit, Contact, Relationship, TeamMember, User


def _owners_of_visible_accounts(request):
    """The owner filter offers the people who own an account the user may see."""
    if request is None:
        return User.objects.none()
    visible = Account.objects.visible_to(request.user)
    return User.objects.filter(pk__in=visible.values("owner_id")).order_by(
        "first_name", "last_name", "username"
    )


TIER_NONE = "none"


def _tier_choices() -> list[tuple[str, str]]:
    """Every tier by rank, then the accounts no run or override has placed yet.

    Tiers are not secret (everyone may read the segmentation model), so the choice of
    tiers may name them all; read per filterset, since an admin may edit them any time.
    """
    tiers = Tier.objects.order_by("rank").values_list("pk", "name")
    return [(str(pk), name) for pk, name in tiers] + [(TIER_NONE, "Not yet tiered")]


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners_of_visible_accounts, empty_label="Any owner"
    )
    parent = IdFilter(field_name="parent_id")
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
            ("name", "name"),
            ("annual_revenue", "revenue"),
            ("industry", "industry"),
            ("region", "region"),
            ("lifecycle_stage", "stage"),
            ("owner__first_name", "owner"),
            ("contact_count", "contacts"),
            ("updated_at", "updated"),
            ("tier_assignment__tier__rank", "tier"),
            ("tier_assignment__composite", "score"),
            ("rpi", "rpi"),
            ("rpi_change", "rpi_change"),
        ),
        nulls_last=(
            "tier_assignment__tier__rank",
            "tier_assignment__composite",
            "rpi",
            "rpi_change",
        ),
        label="Sort",
    )

    class Meta:
        model = Account
        fields = ["owner", "region", "industry", "lifecycle_stage", "parent", "archived"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (
            ("region", "Any region"),
            ("industry", "Any industry"),
            ("lifecycle_stage", "Any stage"),
        ):
            self.filters[name].extra["empty_label"] = label
        self.filters["tier"].extra["choices"] = _tier_choices()

    def filter_tier(self, queryset, name, value: str):
        if value == TIER_NONE:
            return queryset.filter(tier_assignment__isnull=True)
        return queryset.filter(tier_assignment__tier_id=value)

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        # A parent's name matches only where the user may see the parent: the name of an
        # account they may not see must not surface, even as a search hit.
        visible = Account.objects.visible_to(getattr(self.request, "user", None))
        return queryset.filter(
            Q(name__icontains=value) | Q(parent__name__icontains=value, parent__in=visible)
        )

    @property
    def qs(self):
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("name", "id")
        else:
            # Ties (a tier holds thousands of accounts) read best in name order; the id
            # keeps pages stable where names repeat.
            queryset = queryset.order_by(*queryset.query.order_by, "name", "id")
        return queryset


class BusinessUnitFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")

    class Meta:
        model = BusinessUnit
        fields = ["account"]


class ContactFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    business_unit = IdFilter(field_name="business_unit_id")
    reports_to = IdFilter(field_name="reports_to_id")

    class Meta:
        model = Contact
        fields = ["account", "business_unit", "level", "buying_role", "attitude", "reports_to"]


class TeamMemberFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    user = IdFilter(field_name="user_id")

    class Meta:
        model = TeamMember
        fields = ["account", "user", "role"]


class RelationshipFilter(django_filters.FilterSet):
    account = IdFilter(field_name="contact__account_id")
    contact = IdFilter(field_name="contact_id")
    user = IdFilter(field_name="user_id")

    class Meta:
        model = Relationship
        fields = ["account", "contact", "user", "strength"]


class UserFilter(django_filters.FilterSet):
    manager = IdFilter(field_name="manager_id")

    class Meta:
        model = User
        fields = ["role", "manager"]
