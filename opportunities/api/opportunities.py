"""The API of the pipeline: opportunities of the accounts the caller may see, with
the figures the formulas compute, and each one's qualification (`qualification/`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import Account, BusinessUnit, User
from core.api import (
    ID_REGEX,
    AccountScopedViewSet,
    AmountFieldsMixin,
    ArchiveMixin,
    ExportMixin,
    ScopedRelatedField,
)

from .. import formulas, selectors, services
from ..exports import opportunity_columns, opportunity_export_queryset
from ..filters import OpportunityFilter
from ..models import Opportunity, ProductLine, Stage
from .qualification import QualificationInputSerializer, QualificationSerializer


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


class OpportunitySerializer(AmountFieldsMixin, serializers.ModelSerializer):
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
            "archived",
            "archived_at",
            "archived_by",
            "created_at",
            "updated_at",
        ]
        # Archived by DELETE, back by restore/ (DESIGN §11), not by writing the fields.
        read_only_fields = [
            "stage_changed_at",
            "archived",
            "archived_at",
            "archived_by",
            "created_at",
            "updated_at",
        ]
        amount_fields = ["value", "customer_annual_benefit", "customer_investment"]

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
        return selectors.is_stalled(opportunity)


# --- Views -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Opportunities of the accounts you may see"),
    destroy=extend_schema(summary="Archive an opportunity (the account team, admins)"),
)
class OpportunityViewSet(ArchiveMixin, ExportMixin, AccountScopedViewSet):
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    search_fields = ["name"]
    # `sort` (the filterset's, nulls last) is the one to use; DRF's `ordering` takes these.
    ordering_fields = ["name", "value", "close_date", "updated_at"]
    lookup_value_regex = ID_REGEX
    export_name = "opportunities"

    def export_columns(self):
        return opportunity_columns()

    def export_queryset(self, queryset):
        return opportunity_export_queryset(queryset)

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

    def archive_record(self, instance):
        services.opportunity_archive(opportunity=instance, by=self.request.user)

    def restore_record(self, instance):
        services.opportunity_restore(opportunity=instance, by=self.request.user)

    def _qualification(self, opportunity):
        answers = selectors.qualification_answers(opportunity=opportunity)
        data = {
            "answers": {str(c): a for c, a in answers.items()},
            "criteria": list(selectors.qualification_criteria()),
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
