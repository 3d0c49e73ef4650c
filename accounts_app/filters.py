"""Filters of the account core, shared by the HTML lists and the API (django-filter).
Foreign keys filter by plain number (core.filters.IdFilter)."""

import django_filters
from django import forms
from django.db.models import Q

from core.filters import HidesArchived, IdFilter, ListedModelChoiceFilter, NullsLastOrderingFilter

from .lists import ListEntryFilter
from .models import (
    Account,
    BusinessUnit,
    Contact,
    Industry,
    Interaction,
    Region,
    Relationship,
    TeamMember,
    User,
)


def _owners_of_visible_accounts(request):
    """The owner filter offers the people who own an account the user may see."""
    if request is None:
        return User.objects.none()
    visible = Account.objects.visible_to(request.user)
    return (
        User.objects.filter(pk__in=visible.values("owner_id"))
        .only("pk", "first_name", "last_name", "username")  # its name, all the list shows
        .order_by("first_name", "last_name", "username")
    )


# (field, parameter) of the sorts, and the fields whose empty values sort last either way.
SORTS = (
    ("name", "name"),
    ("annual_revenue", "revenue"),
    ("industry__name", "industry"),
    ("region__name", "region"),
    ("lifecycle_stage", "stage"),
    ("owner__first_name", "owner"),
    ("contact_count", "contacts"),
    ("updated_at", "updated"),
    ("rpi", "rpi"),
    ("rpi_change", "rpi_change"),
)
SORTS_NULLS_LAST = ("rpi", "rpi_change")


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    owner = ListedModelChoiceFilter(queryset=_owners_of_visible_accounts, empty_label="Any owner")
    parent = IdFilter(field_name="parent_id")
    # Callables: the schema generator must not read the lists to describe the filter.
    industry = ListEntryFilter(queryset=lambda request: Industry.objects.all())
    region = ListEntryFilter(queryset=lambda request: Region.objects.all())
    sort = NullsLastOrderingFilter(fields=SORTS, nulls_last=SORTS_NULLS_LAST, label="Sort")

    class Meta:
        model = Account
        fields = ["owner", "region", "industry", "lifecycle_stage", "parent", "archived"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active accounts unless archived ones are asked for (`qs` below).
        self.filters["archived"].extra["widget"] = forms.Select(
            choices=[("", "Active accounts"), ("true", "Archived accounts")]
        )
        for name, label in (
            ("region", "Any region"),
            ("industry", "Any industry"),
            ("lifecycle_stage", "Any stage"),
        ):
            self.filters[name].extra["empty_label"] = label

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
        # Archived accounts are listed when asked for (`archived=true`), not by default.
        if self.data.get("archived") in (None, ""):
            queryset = queryset.filter(archived=False)
        if not queryset.query.order_by:
            queryset = queryset.order_by("name", "id")
        else:
            # Ties (a tier holds thousands of accounts) read best in name order; the id
            # keeps pages stable where names repeat.
            queryset = queryset.order_by(*queryset.query.order_by, "name", "id")
        return queryset


class BusinessUnitFilter(HidesArchived, django_filters.FilterSet):
    account = IdFilter(field_name="account_id")

    class Meta:
        model = BusinessUnit
        fields = ["account", "archived"]


class ContactFilter(HidesArchived, django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    business_unit = IdFilter(field_name="business_unit_id")
    reports_to = IdFilter(field_name="reports_to_id")

    class Meta:
        model = Contact
        fields = [
            "account",
            "business_unit",
            "level",
            "buying_role",
            "attitude",
            "reports_to",
            "archived",
        ]


class InteractionFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    contact = IdFilter(field_name="contacts")
    team_user = IdFilter(field_name="team_users")

    class Meta:
        model = Interaction
        fields = ["account", "kind", "contact", "team_user"]


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
