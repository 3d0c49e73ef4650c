"""The API of the plan itself: list, read (with its quality), start, edit, and its life
cycle steps (submit, approve, request changes, reopen) and clone."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import Account
from core.api import ID_REGEX, AmountFieldsMixin, ExportMixin, ScopedRelatedField

from .. import services
from ..exports import plan_columns, plan_export_queryset
from ..filters import PlanFilter
from ..models import Plan
from ..selectors import can_coach_plan, can_edit_plan, plan_get_for_user, plan_quality_for
from .locking import (
    IF_MATCH,
    _etag,
    _optional_version,
    _version_field,
    _VersionedMixin,
    conflict_response,
    locking_responses,
)

OVERVIEW_MAX = 20_000


class FailingCheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    advice = serializers.CharField()


class PlanSerializer(AmountFieldsMixin, serializers.ModelSerializer):
    account = serializers.PrimaryKeyRelatedField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    overview = serializers.CharField(required=False, allow_blank=True, max_length=OVERVIEW_MAX)
    version = _version_field()
    quality = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        read_only=True,
        coerce_to_string=False,
        help_text="Plan quality as last stored (after each change, and nightly).",
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "account",
            "account_name",
            "period",
            "status",
            "version",
            "overview",
            *services.PLAN_FIELDS[1:],
            "quality",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["period", "status", "quality", "created_at", "updated_at"]
        validators = []  # the services own "one plan per account and period"
        amount_fields = [f for f in services.PLAN_FIELDS if f.startswith(("revenue_", "wallet_"))]


class PlanDetailSerializer(PlanSerializer):
    """The plan with its quality (DESIGN §3): the score and the coach's agenda."""

    quality = serializers.SerializerMethodField()
    failing_checks = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "failing_checks"]

    def _quality(self, plan):
        cache = self.context.setdefault("_quality", {})
        key = (plan.pk, plan.version, plan.updated_at)
        if key not in cache:
            cache[key] = plan_quality_for(plan=plan)
        return cache[key]

    def get_quality(self, plan) -> float:
        return float(self._quality(plan).score)

    @extend_schema_field(FailingCheckSerializer(many=True))
    def get_failing_checks(self, plan):
        return [
            {"key": check.key, "label": check.label, "advice": check.advice}
            for check in self._quality(plan).failing
        ]


class PlanCreateSerializer(PlanSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    period = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2999,
        help_text="The fiscal year, by the year it ends in; the current one if left out.",
    )

    class Meta(PlanSerializer.Meta):
        read_only_fields = ["status", "created_at", "updated_at"]


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=OVERVIEW_MAX)


# A step taken on the version the caller names (If-Match or `version`) is refused if the
# plan changed since.
STEP_RESPONSES = {200: PlanDetailSerializer, 409: conflict_response(PlanDetailSerializer)}


@extend_schema_view(
    list=extend_schema(
        summary="Plans of the accounts you may see",
        description="Filter by `account`, `period`, `status`; sort with "
        "`ordering=updated_at` (newest first by default). Quality is on the single plan.",
    ),
    retrieve=extend_schema(summary="A plan, with its quality and failing checks"),
    create=extend_schema(
        request=PlanCreateSerializer,
        responses={201: PlanDetailSerializer},
        summary="Start the plan of an account for a period (default: this fiscal year)",
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH],
        responses=locking_responses(PlanDetailSerializer),
    ),
    update=extend_schema(
        parameters=[IF_MATCH],
        responses=locking_responses(PlanDetailSerializer),
    ),
)
class PlanViewSet(
    ExportMixin,
    _VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = PlanFilter
    search_fields = ["account__name"]
    ordering_fields = ["updated_at", "period", "id"]
    ordering = ["-updated_at", "-id"]
    lookup_value_regex = ID_REGEX
    export_name = "plans"

    def export_columns(self):
        return plan_columns()

    def export_queryset(self, queryset):
        return plan_export_queryset(queryset)

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).select_related("account")

    def get_serializer_class(self):
        if self.action == "create":
            return PlanCreateSerializer
        if self.action == "list":
            return PlanSerializer
        if self.action in ("request_changes", "submit", "approve", "reopen", "clone"):
            return CommentSerializer
        return PlanDetailSerializer

    def get_object(self):
        # The access selector of the HTML views; 404 for a plan the caller may not see.
        plan = plan_get_for_user(user=self.request.user, plan_id=self.kwargs["pk"])
        self.check_object_permissions(self.request, plan)
        return plan

    def check_object_permissions(self, request, obj):
        # Before the input is looked at: a caller who may not change the plan gets a 403
        # whatever they sent. DRF's PermissionDenied: the browsable API catches only it.
        super().check_object_permissions(request, obj)
        if request.method in ("PUT", "PATCH") and not can_edit_plan(user=request.user, plan=obj):
            if obj.read_only:
                raise exceptions.PermissionDenied("The plan is approved: reopen it to change it.")
            raise exceptions.PermissionDenied("Only the account team changes its plan.")

    def output(self, obj):
        return PlanDetailSerializer(obj, context=self.get_serializer_context()).data

    def refetch(self, obj):
        return plan_get_for_user(user=self.request.user, plan_id=obj.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        account, period = data.pop("account"), data.pop("period", None)
        with transaction.atomic():
            plan = services.plan_create(account=account, by=request.user, period=period)
            if data:
                plan = services.plan_update(plan=plan, by=request.user, version=None, **data)
        plan = self.refetch(plan)
        return Response(self.output(plan), status=status.HTTP_201_CREATED, headers=_etag(plan))

    def save_update(self, plan, data, version):
        return services.plan_update(plan=plan, by=self.request.user, version=version, **data)

    # --- the life cycle: POST {"comment"} → the plan as it is now ---

    def _step(self, request, service, *, check=None):
        plan = self.get_object()
        if check is not None:
            check(plan)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Optional here: a step taken on the version the caller reviewed (If-Match or
        # "version") is refused with 409 if the plan changed since.
        version = _optional_version(request)
        service(
            plan=plan,
            by=request.user,
            comment=serializer.validated_data.get("comment", ""),
            version=version,
        )
        plan = self.refetch(plan)
        return Response(self.output(plan), headers=_etag(plan))

    @extend_schema(request=CommentSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The account owner submits the plan for approval."""
        return self._step(request, services.plan_submit)

    @extend_schema(request=CommentSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """A coach (a manager who may see the account, or an admin) approves it."""
        return self._step(request, services.plan_approve)

    @extend_schema(request=CommentSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        """A coach sends the plan back; the comment (required) says what should change."""

        def coach_only(plan):
            # The service checks the comment first; a caller who may not coach learns
            # they may not, not that their comment is missing.
            if not can_coach_plan(user=request.user, plan=plan):
                raise exceptions.PermissionDenied(
                    "A manager who coaches the account, or an admin, decides."
                )

        return self._step(request, services.plan_request_changes, check=coach_only)

    @extend_schema(request=CommentSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The account owner or a coach reopens an approved plan as a draft."""
        return self._step(request, services.plan_reopen)

    @extend_schema(request=None, responses={201: PlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def clone(self, request, pk=None):
        """The plan of the next period, with this one's items and open tactics."""
        plan = self.get_object()
        new = services.plan_clone(plan=plan, by=request.user)
        new = self.refetch(new)
        return Response(self.output(new), status=status.HTTP_201_CREATED, headers=_etag(new))
