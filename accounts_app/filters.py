"""Filters shared by the HTML lists and the API (django-filter).

Foreign keys to scoped objects filter by plain number, never by a model choice: a
model choice would answer "not a valid choice" for an id that does not exist but an
empty list for one the user may not see, telling the two apart.
"""

import django_filters
from django.db.models import Q

from .models import Account, BusinessUnit, Contact, Relationship, TeamMember, User


def _owners_of_visible_accounts(request):
    """The owner filter offers the people who own an account the user may see."""
    if request is None:
        return User.objects.none()
    visible = Account.objects.visible_to(request.user)
    return User.objects.filter(pk__in=visible.values("owner_id")).order_by(
        "first_name", "last_name", "username"
    )


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners_of_visible_accounts, empty_label="Any owner"
    )
    parent = django_filters.NumberFilter(field_name="parent_id")
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("annual_revenue", "revenue"),
            ("industry", "industry"),
            ("region", "region"),
            ("lifecycle_stage", "stage"),
            ("owner__first_name", "owner"),
            ("contact_count", "contacts"),
            ("updated_at", "updated"),
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

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(parent__name__icontains=value))

    @property
    def qs(self):
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("name", "id")
        else:
            queryset = queryset.order_by(*queryset.query.order_by, "id")
        return queryset


class BusinessUnitFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")

    class Meta:
        model = BusinessUnit
        fields = ["account"]


class ContactFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")
    business_unit = django_filters.NumberFilter(field_name="business_unit_id")
    reports_to = django_filters.NumberFilter(field_name="reports_to_id")

    class Meta:
        model = Contact
        fields = ["account", "business_unit", "level", "buying_role", "attitude", "reports_to"]


class TeamMemberFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id")
    user = django_filters.NumberFilter(field_name="user_id")

    class Meta:
        model = TeamMember
        fields = ["account", "user", "role"]


class RelationshipFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="contact__account_id")
    contact = django_filters.NumberFilter(field_name="contact_id")
    user = django_filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Relationship
        fields = ["account", "contact", "user", "strength"]


class UserFilter(django_filters.FilterSet):
    manager = django_filters.NumberFilter(field_name="manager_id")

    class Meta:
        model = User
        fields = ["role", "manager"]
