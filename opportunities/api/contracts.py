"""The API of contracts (DESIGN §7 `contracts/`): the same services as the pages. A
contract ends or is cancelled by its status, not deleted: DELETE is not offered; its
renewal opportunity is opened by Strata and read-only here."""

import django_filters
from rest_framework import serializers

from accounts_app.models import Account
from core.api import AccountScopedViewSet, AmountFieldsMixin, ScopedRelatedField
from core.filters import IdFilter

from .. import contracts
from ..models import Contract


class ContractFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Contract
        fields = ["account", "status", "auto_renew", "ends_before"]


class ContractSerializer(AmountFieldsMixin, serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    renewal_opportunity = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Opened by Strata STRATA_RENEWAL_LEAD_DAYS before the end date.",
    )

    class Meta:
        model = Contract
        fields = ["id", "account", *Contract.INPUT_FIELDS, "renewal_opportunity"]
        amount_fields = ["annual_value"]


class ContractViewSet(AccountScopedViewSet):
    """Contracts of the accounts the caller sees, the soonest to end first."""

    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    search_fields = ["name"]
    ordering_fields = ["end_date", "annual_value"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return Contract.objects.visible_to(self.request.user).order_by("end_date", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = contracts.contract_create(
            account=account, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        contract = serializer.instance
        data = dict(serializer.validated_data)
        if data.pop("account", contract.account) != contract.account:
            raise serializers.ValidationError(
                {"account": "A contract cannot move to another account."}
            )
        serializer.instance = contracts.contract_update(
            contract=contract, by=self.request.user, **data
        )
