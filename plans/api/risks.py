"""The API of the risk register (DESIGN §7 `risks/`): the same services as the Risks
tab. A risk is closed (status `closed`), not deleted: DELETE is not offered."""

import django_filters
from rest_framework import serializers

from accounts_app.models import Account, User
from core.api import AccountScopedViewSet, ScopedRelatedField
from core.filters import IdFilter

from .. import services
from ..models import Risk


class RiskFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    owner = IdFilter(field_name="owner_id")
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = Risk
        fields = ["account", "category", "status", "owner", "min_score"]


class RiskSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text="A member of the account team.",
    )
    score = serializers.IntegerField(read_only=True, help_text="Likelihood × impact (1–25).")

    class Meta:
        model = Risk
        fields = [
            "id",
            "account",
            "title",
            "category",
            "likelihood",
            "impact",
            "score",
            "owner",
            "mitigation",
            "due_date",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["score", "created_at", "updated_at"]


class RiskViewSet(AccountScopedViewSet):
    """The risks of the accounts the caller sees, highest score first; the account team
    adds and changes them (executives read)."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    search_fields = ["title", "mitigation"]
    ordering_fields = ["score", "due_date", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return Risk.objects.visible_to(self.request.user).order_by("-score", "due_date", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        # A service's refusal (Django's ValidationError) is a 400 with field errors
        # (config.api.exception_handler).
        serializer.instance = services.risk_create(account=account, by=self.request.user, **data)

    def perform_update(self, serializer):
        risk = serializer.instance
        data = dict(serializer.validated_data)
        if data.pop("account", risk.account) != risk.account:
            raise serializers.ValidationError({"account": "A risk cannot move to another account."})
        serializer.instance = services.risk_update(risk=risk, by=self.request.user, **data)
