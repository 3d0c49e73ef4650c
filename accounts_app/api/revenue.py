"""REST API v1 for the revenue history (DESIGN §7 `revenue-entries/`): an account's
revenue per month, `month` as `YYYY-MM`. The account team writes it (executives read); a
month is corrected by changing its amount (PUT/PATCH), not deleted, and one account has
one entry per month (a second POST for a month is a 400 naming the existing one). Writes
go through the services the Revenue tab uses (accounts_app.services.revenue: amounts not
negative, no month after the current one, the entry's history with who made it, the
account recomputed)."""

import re
from datetime import date

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import AccountScopedViewSet, AmountField, ScopedRelatedField
from core.filters import IdFilter

from .. import services
from ..models import Account, RevenueEntry

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    default_error_messages = {"invalid": "Give the month as YYYY-MM, e.g. 2026-03."}

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"

    def to_internal_value(self, data) -> date:
        match = MONTH.match(str(data).strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
            self.fail("invalid")
        return date(int(match[1]), int(match[2]), 1)


class RevenueEntryFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    since = django_filters.CharFilter(method="_since", help_text="From this month (YYYY-MM).")
    until = django_filters.CharFilter(method="_until", help_text="Up to this month (YYYY-MM).")

    class Meta:
        model = RevenueEntry
        fields = ["account"]

    def _month(self, value):
        try:
            return MonthField().to_internal_value(value)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"month": exc.detail}) from exc

    def _since(self, queryset, name, value):
        return queryset.filter(month__gte=self._month(value))

    def _until(self, queryset, name, value):
        return queryset.filter(month__lte=self._month(value))


class RevenueEntrySerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    month = MonthField(help_text="The month the revenue was booked in, YYYY-MM.")
    amount = AmountField(max_digits=14, decimal_places=2)

    class Meta:
        model = RevenueEntry
        fields = ["id", "account", "month", "amount"]
        # One entry per month is checked by the services, naming the existing entry.
        validators = []

    def validate(self, data):
        account = data.get("account", getattr(self.instance, "account", None))
        if self.instance is not None and account != self.instance.account:
            raise serializers.ValidationError(
                {"account": "An entry cannot move to another account."}
            )
        return data


class RevenueEntryViewSet(AccountScopedViewSet):
    """Monthly revenue of the accounts the caller sees, oldest month first."""

    serializer_class = RevenueEntrySerializer
    filterset_class = RevenueEntryFilter
    ordering_fields = ["month", "amount"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return RevenueEntry.objects.visible_to(self.request.user).order_by("account_id", "month")

    # A service's refusal (Django's ValidationError) is a 400 with field errors
    # (config.api.exception_handler).
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = services.revenue_entry_create(
            account=account, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("account", None)
        serializer.instance = services.revenue_entry_update(
            entry=serializer.instance, by=self.request.user, **data
        )
