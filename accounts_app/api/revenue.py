"""REST API v1 for the revenue history (DESIGN §7 `revenue-entries/`): an account's
revenue per month, `month` as `YYYY-MM`. The account team writes it (executives read); a
month is corrected by changing its amount (PUT/PATCH), not deleted, and one account has
one entry per month (a second POST for a month is a 400 naming the existing one). Every
write is in the entry's history with who made it."""

import re
from datetime import date

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import AccountScopedViewSet, ScopedRelatedField
from core.filters import IdFilter
from core.history import acting_as
from core.jobs import recompute_later

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
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = RevenueEntry
        fields = ["id", "account", "month", "amount"]
        # One entry per month is checked in validate(), which names the existing entry.
        validators = []

    def validate(self, data):
        account = data.get("account", getattr(self.instance, "account", None))
        month = data.get("month", getattr(self.instance, "month", None))
        if self.instance is not None and account != self.instance.account:
            raise serializers.ValidationError(
                {"account": "An entry cannot move to another account."}
            )
        same = RevenueEntry.objects.filter(account=account, month=month)
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        existing = same.first()
        if existing is not None:
            raise serializers.ValidationError(
                {
                    "month": f"{account} already has revenue for {month:%Y-%m} "
                    f"(entry {existing.pk}): change that one."
                }
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

    # Each write is in the entry's history with the caller as its author.
    def perform_create(self, serializer):
        self.require_edit(serializer.validated_data["account"])
        with acting_as(self.request.user):
            serializer.save()
        # The account's annual revenue and growth follow its history (the recompute).
        recompute_later(serializer.instance.account_id)

    def perform_update(self, serializer):
        with acting_as(self.request.user):
            serializer.save()
        recompute_later(serializer.instance.account_id)
