"""REST API v1 of opportunities (DESIGN §7): the pipeline, each opportunity's
qualification, and the qualification criteria.

Reads are scoped to the accounts the caller may see (anything else is a 404); writes go
through opportunities.services (a visible opportunity the caller may not change is a
403; a rule broken is a 400 with field errors). The figures the formulas compute
(qualification score, verdict, weighted value, customer ROI, payback, ROE) are read-only
JSON numbers, null where their divisor is zero or missing.

Qualification answers are 0, 1 or 2: JSON integers, or strings holding one ("2"), as
every integer field of the API accepts; anything else is a 400 keyed by the criterion
id under "answers".
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import Account, BusinessUnit, User
from accounts_app.selectors import account_get_for_user, can_edit_account
from core.api import ID_REGEX, AccountScopedViewSet, IsAdminRoleOrReadOnly, ScopedRelatedField

from . import formulas, selectors, services
from .filters import OpportunityFilter
from .models import Opportunity, ProductLine, QualificationAnswer, QualificationCriterion, Stage

VERDICTS = [
    ("qualified", "Qualified"),
    ("needs_work", "Needs work"),
    ("unqualified", "Unqualified"),
]


def _active_users(user):
    # Any active user passes here; the service then requires one on the account's team.
    return User.objects.filter(is_active=True)


def _figure(max_digits, decimal_places):
    return serializers.DecimalField(
        max_digits=max_digits,
        decimal_places=decimal_places,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
    )


# --- Serializers -------------------------------------------------------------------------


class OpportunitySerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(),
        required=False,
        help_text="Defaults to the first stage of the pipeline.",
    )
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    probability = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="A percentage; empty (or left out on a stage change) takes the stage's.",
    )
    owner = ScopedRelatedField(scope=_active_users, required=False, allow_null=True)
    product_line = serializers.PrimaryKeyRelatedField(
        queryset=ProductLine.objects.all(), required=False, allow_null=True
    )
    business_unit = ScopedRelatedField(
        scope=BusinessUnit.objects.visible_to, required=False, allow_null=True
    )
    qualification_score = _figure(4, 1)
    verdict = serializers.SerializerMethodField()
    weighted_value = _figure(14, 2)
    roi_pct = serializers.SerializerMethodField()
    payback_months = serializers.SerializerMethodField()
    roe = _figure(12, 2)
    stalled = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "account",
            *Opportunity.INPUT_FIELDS,
            "stage_name",
            "qualification_score",
            "verdict",
            "weighted_value",
            "roi_pct",
            "payback_months",
            "roe",
            "stalled",
            "stage_changed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["stage_changed_at", "created_at", "updated_at"]

    def get_verdict(self, opportunity) -> str | None:
        return formulas.verdict(opportunity.qualification_score)

    def get_roi_pct(self, opportunity) -> float | None:
        roi = formulas.customer_roi_pct(
            opportunity.customer_annual_benefit,
            opportunity.horizon_years,
            opportunity.customer_investment,
        )
        return None if roi is None else float(roi)

    def get_payback_months(self, opportunity) -> float | None:
        months = formulas.payback_months(
            opportunity.customer_annual_benefit, opportunity.customer_investment
        )
        return None if months is None else float(months)

    def get_stalled(self, opportunity) -> bool:
        return services.is_stalled(opportunity)


class QualificationCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualificationCriterion
        fields = ["id", "text", "help_text", "weight", "active", "position"]


class QualificationSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Criterion id → 0 (no / unknown), 1 (partly) or 2 (yes); unanswered count 0.",
    )
    criteria = QualificationCriterionSerializer(many=True, read_only=True)
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True, read_only=True
    )
    verdict = serializers.ChoiceField(choices=VERDICTS, allow_null=True, read_only=True)


class QualificationInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Criterion id → 0, 1 or 2. Criteria left out keep their answer.",
    )


# --- Views -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Opportunities of the accounts you may see"),
    destroy=extend_schema(summary="Delete an opportunity (the account team, admins)"),
)
class OpportunityViewSet(AccountScopedViewSet):
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    search_fields = ["name"]
    # `sort` (the filterset's, nulls last) is the one to use; DRF's `ordering` takes these.
    ordering_fields = ["name", "value", "close_date", "updated_at"]
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return (
            selectors.opportunity_list(user=self.request.user)
            .select_related("stage")
            .order_by("account_id", "-updated_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "qualification":
            if self.request is not None and self.request.method == "PUT":
                return QualificationInputSerializer
            return QualificationSerializer
        return OpportunitySerializer

    def create(self, request, *args, **kwargs):
        # A visible account the caller may not change is a 403 whatever else they sent.
        try:
            account = (
                self.get_serializer()
                .fields["account"]
                .run_validation(
                    request.data.get("account") if hasattr(request.data, "get") else None
                )
            )
        except exceptions.ValidationError:
            pass  # the serializer answers it, as a field error
        else:
            self.require_edit(account)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        if data.get("stage") is None:
            data.pop("stage", None)
        serializer.instance = services.opportunity_create(
            account=account, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        opportunity = serializer.instance
        self.require_edit(opportunity.account)
        data = dict(serializer.validated_data)
        if data.pop("account", opportunity.account) != opportunity.account:
            raise serializers.ValidationError(
                {"account": ["An opportunity cannot move to another account."]}
            )
        serializer.instance = services.opportunity_update(
            opportunity=opportunity, by=self.request.user, **data
        )

    def perform_destroy(self, instance):
        services.opportunity_delete(opportunity=instance, by=self.request.user)

    def _qualification(self, opportunity):
        criteria = list(QualificationCriterion.objects.all())
        answers = QualificationAnswer.objects.filter(opportunity=opportunity)
        data = {
            "answers": {str(c): a for c, a in answers.values_list("criterion_id", "answer")},
            "criteria": criteria,
            "score": opportunity.qualification_score,
            "verdict": formulas.verdict(opportunity.qualification_score),
        }
        return QualificationSerializer(data, context=self.get_serializer_context()).data

    @extend_schema(methods=["GET"], responses={200: QualificationSerializer})
    @extend_schema(
        methods=["PUT"],
        request=QualificationInputSerializer,
        responses={200: QualificationSerializer},
    )
    @action(detail=True, methods=["get", "put"])
    def qualification(self, request, pk=None):
        """The answers to every criterion, the criteria, the score and its verdict. PUT
        records answers ({"answers": {"<criterion id>": 0..2}}); the score follows."""
        opportunity = self.get_object()
        if request.method == "PUT":
            serializer = QualificationInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                opportunity = services.qualification_set(
                    opportunity=opportunity,
                    by=request.user,
                    answers=serializer.validated_data["answers"],
                )
            except DjangoValidationError as exc:
                # Keyed by criterion id, under the field that carried them.
                raise serializers.ValidationError({"answers": exc.message_dict}) from exc
        return Response(self._qualification(opportunity))


class QualificationCriterionViewSet(viewsets.ModelViewSet):
    """The criteria opportunities are qualified against. Everyone signed in reads them;
    admins add, change and deactivate them (`active: false`). A criterion that has been
    answered is deactivated, not deleted: deleting it answers 400."""

    serializer_class = QualificationCriterionSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the qualification criteria."
    queryset = QualificationCriterion.objects.order_by("position", "id")
    filterset_fields = ["active"]
    lookup_value_regex = ID_REGEX

    def perform_destroy(self, instance):
        if instance.answers.exists():
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "Opportunities have answered this criterion: deactivate it instead "
                        '(PATCH {"active": false}).'
                    ]
                }
            )
        instance.delete()
        services.qualification_scores_refresh_later()

    def perform_create(self, serializer):
        serializer.save()
        services.qualification_scores_refresh_later()

    def perform_update(self, serializer):
        serializer.save()
        services.qualification_scores_refresh_later()


# --- Whitespace ------------------------------------------------------------------------


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


class WhitespaceMatrixSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account_id")
    business_units = NamedSerializer(many=True)
    rows = WhitespaceRowSerializer(many=True)
    column_totals = WhitespaceTotalSerializer(many=True)
    total = WhitespaceTotalSerializer()
    unplaced = serializers.IntegerField(
        help_text="Open opportunities without a product line or a business unit."
    )


class WhitespaceCellInputSerializer(serializers.Serializer):
    product_line = serializers.PrimaryKeyRelatedField(queryset=ProductLine.objects.all())
    business_unit = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A business unit of this account."
    )
    state = serializers.ChoiceField(choices=list(services.CELL_STATES))
    revenue = serializers.DecimalField(
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

    def _matrix(self, account):
        matrix = selectors.whitespace_matrix(account=account)
        matrix.account_id = account.pk
        return Response(WhitespaceMatrixSerializer(matrix).data)

    def get(self, request, pk):
        return self._matrix(account_get_for_user(user=request.user, account_id=pk))

    @extend_schema(
        request=WhitespaceCellInputSerializer, responses={200: WhitespaceMatrixSerializer}
    )
    def put(self, request, pk):
        account = account_get_for_user(user=request.user, account_id=pk)
        if not can_edit_account(user=request.user, account=account):
            raise exceptions.PermissionDenied("Only the account team changes its whitespace.")
        serializer = WhitespaceCellInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["business_unit"] = BusinessUnit.objects.filter(
            account=account, pk=data["business_unit"]
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


__all__ = ["OpportunityViewSet", "QualificationCriterionViewSet", "WhitespaceView"]
