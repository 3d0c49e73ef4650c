"""The API of the whitespace matrix: the account's product lines × business units, and
one cell recorded at a time."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response

from accounts_app.models import BusinessUnit
from accounts_app.selectors import account_get_for_user, can_edit_account
from core.api import AmountField

from .. import selectors, services
from ..models import ProductLine


class WhitespaceOpportunitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)


class WhitespaceCellSerializer(serializers.Serializer):
    product_line = serializers.IntegerField(source="product_line.pk")
    business_unit = serializers.IntegerField(source="business_unit.pk")
    state = serializers.ChoiceField(
        choices=["sold", "open", "not_applicable", "whitespace"],
        help_text="sold and not_applicable are recorded by the team; open means an open "
        "opportunity is there; the rest is whitespace.",
    )
    revenue = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    opportunities = WhitespaceOpportunitySerializer(many=True)
    incumbents = serializers.ListField(
        child=serializers.CharField(),
        help_text="Competitors installed here (competitor-presences/ in this business unit "
        "and product line, or in the whole product line).",
    )


class WhitespaceTotalSerializer(serializers.Serializer):
    sold = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)
    open_value = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)
    open_count = serializers.IntegerField()
    whitespace = serializers.IntegerField()


class WhitespaceRowSerializer(serializers.Serializer):
    product_line = serializers.IntegerField(source="product_line.pk")
    product_line_name = serializers.CharField(source="product_line.name")
    cells = WhitespaceCellSerializer(many=True)
    total = WhitespaceTotalSerializer()


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class WhitespaceUnitSerializer(NamedSerializer):
    competitors = serializers.ListField(
        child=serializers.CharField(),
        help_text="Competitors present in the whole business unit (no product line named).",
    )


class WhitespaceMatrixSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account_id")
    business_units = WhitespaceUnitSerializer(many=True)
    rows = WhitespaceRowSerializer(many=True)
    column_totals = WhitespaceTotalSerializer(many=True)
    total = WhitespaceTotalSerializer()
    unplaced = serializers.IntegerField(
        help_text="Open opportunities without a product line or a business unit."
    )
    account_competitors = serializers.ListField(
        child=serializers.CharField(),
        help_text="Competitors present at the account with no unit or product line named.",
    )


class WhitespaceCellInputSerializer(serializers.Serializer):
    product_line = serializers.PrimaryKeyRelatedField(queryset=ProductLine.objects.all())
    business_unit = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A business unit of this account."
    )
    state = serializers.ChoiceField(choices=list(services.CELL_STATES))
    revenue = AmountField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class WhitespaceView(generics.GenericAPIView):
    """The account's whitespace matrix (GET): product lines × its business units, each
    cell sold (with its annual revenue), open (with its open opportunities), not
    applicable or whitespace, with totals per row, column and in all. PUT records one
    cell: {"product_line", "business_unit", "state": "sold" | "not_applicable" |
    "whitespace", "revenue"} (revenue required for sold) and answers the matrix. The
    account team and admins write; others who may see the account get 403, anyone
    else 404."""

    serializer_class = WhitespaceMatrixSerializer

    # The account is the view's object: OPTIONS (DRF's metadata) asks for it as well.
    def get_object(self):
        return account_get_for_user(user=self.request.user, account_id=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "PUT":
            return WhitespaceCellInputSerializer
        return WhitespaceMatrixSerializer

    def _matrix(self, account):
        matrix = selectors.whitespace_matrix(account=account)
        matrix.account_id = account.pk
        return Response(WhitespaceMatrixSerializer(matrix).data)

    def get(self, request, pk):
        return self._matrix(self.get_object())

    @extend_schema(
        request=WhitespaceCellInputSerializer, responses={200: WhitespaceMatrixSerializer}
    )
    def put(self, request, pk):
        account = self.get_object()
        if not can_edit_account(user=request.user, account=account):
            raise exceptions.PermissionDenied("Only the account team changes its whitespace.")
        serializer = WhitespaceCellInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["business_unit"] = BusinessUnit.objects.filter(
            account=account, pk=data["business_unit"], archived=False
        ).first()
        if data["business_unit"] is None:
            raise serializers.ValidationError(
                {"business_unit": ["Choose a business unit of this account."]}
            )
        try:
            services.whitespace_cell_set(account=account, by=request.user, **data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return self._matrix(account)
