"""REST API v1 for account plans: the plan, its life cycle, and its items (knowledge
points, SWOT, goals → strategies → tactics).

Reads are scoped to the accounts the caller may see (anything else is a 404); writes go
through plans.services (a visible object the caller may not change is a 403; a rule
broken is a 400). Every update names the version it read — the `version` field or an
`If-Match` header — or is refused with 428; a stale one answers 409 with the current
object, and nothing changes.
"""

import re
from collections.abc import Mapping

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import Account, Contact, User
from accounts_app.selectors import can_edit_account
from core.api import ID_REGEX, ScopedRelatedField
from core.filters import IdFilter

from . import reviews, services
from .filters import (
    GoalFilter,
    KnowledgePointFilter,
    PlanFilter,
    StrategyFilter,
    SwotItemFilter,
    TacticFilter,
)
from .models import (
    BusinessReview,
    Goal,
    KnowledgePoint,
    Plan,
    ReviewActionItem,
    Strategy,
    SwotItem,
    Tactic,
)
from .selectors import (
    can_coach_plan,
    can_edit_plan,
    plan_get_for_user,
    plan_quality_for,
)

MAX_VERSION = 2**31 - 1
ITEM_TEXT_MAX = 5_000
OVERVIEW_MAX = 20_000


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Say which version you are changing: send the `version` you read, or an "
        'If-Match header with it (e.g. If-Match: "3").'
    )
    default_code = "precondition_required"


# --- Scopes ------------------------------------------------------------------------------


def _live_goals(user):
    return Goal.objects.visible_to(user).filter(deleted_at=None)


def _live_strategies(user):
    return Strategy.objects.visible_to(user).filter(deleted_at=None, goal__deleted_at=None)


def _live_customer_goals(user):
    return KnowledgePoint.objects.visible_to(user).filter(
        kind=KnowledgePoint.Kind.GOAL, deleted_at=None
    )


def _active_users(user):
    return User.objects.filter(is_active=True)


# --- Serializers -------------------------------------------------------------------------

VERSION_HELP = (
    "Optimistic locking: on an update, the version you read (or send it in If-Match). "
    "Moves on by one with every change."
)


def _version_field():
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP
    )


class FailingCheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    advice = serializers.CharField()


class PlanSerializer(serializers.ModelSerializer):
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


class _ItemSerializer(serializers.ModelSerializer):
    parent_field = "plan"
    text = serializers.CharField(max_length=ITEM_TEXT_MAX)
    version = _version_field()
    deleted = serializers.SerializerMethodField()

    def get_deleted(self, item) -> bool:
        return item.deleted_at is not None


ITEM_COMMON = ["id", "text", "position", "version", "deleted", "created_at", "updated_at"]
ITEM_READ_ONLY = ["position", "created_at", "updated_at"]


class KnowledgePointSerializer(_ItemSerializer):
    plan = ScopedRelatedField(scope=Plan.objects.visible_to)

    class Meta:
        model = KnowledgePoint
        fields = ["id", "plan", "kind", *ITEM_COMMON[1:]]
        read_only_fields = ITEM_READ_ONLY


class SwotItemSerializer(_ItemSerializer):
    plan = ScopedRelatedField(scope=Plan.objects.visible_to)

    class Meta:
        model = SwotItem
        fields = ["id", "plan", "kind", *ITEM_COMMON[1:]]
        read_only_fields = ITEM_READ_ONLY


class GoalSerializer(_ItemSerializer):
    plan = ScopedRelatedField(scope=Plan.objects.visible_to)
    customer_goal = ScopedRelatedField(
        scope=_live_customer_goals,
        required=False,
        allow_null=True,
        help_text="A knowledge point of kind `goal` of the same plan.",
    )

    class Meta:
        model = Goal
        fields = ["id", "plan", "customer_goal", *ITEM_COMMON[1:]]
        read_only_fields = ITEM_READ_ONLY


class StrategySerializer(_ItemSerializer):
    parent_field = "goal"
    goal = ScopedRelatedField(scope=_live_goals)
    plan = serializers.IntegerField(source="goal.plan_id", read_only=True)

    class Meta:
        model = Strategy
        fields = ["id", "goal", "plan", *ITEM_COMMON[1:]]
        read_only_fields = ITEM_READ_ONLY


class TacticSerializer(_ItemSerializer):
    parent_field = "strategy"
    strategy = ScopedRelatedField(scope=_live_strategies)
    plan = serializers.IntegerField(source="strategy.goal.plan_id", read_only=True)
    owner = ScopedRelatedField(
        scope=_active_users,
        required=False,
        allow_null=True,
        help_text="A member of the account team.",
    )

    class Meta:
        model = Tactic
        fields = [
            "id",
            "strategy",
            "plan",
            "text",
            "owner",
            "due_date",
            "status",
            *ITEM_COMMON[2:],
        ]
        read_only_fields = ITEM_READ_ONLY


# --- Optimistic locking -------------------------------------------------------------------

_ETAG = re.compile(r'^(?:W/)?"?([0-9]{1,10})"?$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The version you read, as the ETag gave it ("3"); or send `version` in '
    "the body. One of the two is required.",
)
LOCKING_RESPONSES = {
    400: OpenApiResponse(description="Bad input: field errors."),
    403: OpenApiResponse(description="You may see this but not change it."),
    404: OpenApiResponse(description="No such object, or not yours to see."),
    409: OpenApiResponse(
        description="Changed by someone else since you read it: `detail` and `current`."
    ),
    428: OpenApiResponse(description="No version named: send `version` or If-Match."),
}


def _etag(obj) -> dict[str, str]:
    return {"ETag": f'"{obj.version}"'}


def _optional_version(request) -> int | None:
    header = request.headers.get("If-Match")
    if header is not None:
        match = _ETAG.match(header.strip())
        if not match:
            raise exceptions.ValidationError(
                {"If-Match": ['Give the version you read, e.g. If-Match: "3".']}
            )
        return int(match.group(1))
    body = request.data.get("version") if isinstance(request.data, Mapping) else None
    if body in (None, ""):
        return None
    if not str(body).isdigit() or len(str(body)) > 18:
        raise exceptions.ValidationError({"version": ["A version is a whole number."]})
    return int(body)


class _VersionedMixin:
    """Updates that name the version they read; ETags on single objects; StaleVersion as
    409 with the current object."""

    def expected_version(self, request) -> int:
        body = request.data.get("version") if isinstance(request.data, Mapping) else None
        header = request.headers.get("If-Match")
        from_header = None
        if header is not None:
            match = _ETAG.match(header.strip())
            if not match:
                raise exceptions.ValidationError(
                    {"If-Match": ['Give the version you read, e.g. If-Match: "3".']}
                )
            from_header = int(match.group(1))
        if body is None and from_header is None:
            raise PreconditionRequired()
        # The body's version is checked by the serializer; here it only has to be there.
        return from_header

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        header_version = self.expected_version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            version = header_version
        elif header_version is not None and header_version != version:
            raise exceptions.ValidationError(
                {"version": ["The version in the body and in If-Match disagree."]}
            )
        updated = self.save_update(instance, data, version)
        return Response(self.output(updated), headers=_etag(updated))

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self.output(instance), headers=_etag(instance))

    def output(self, obj):
        return self.get_serializer(obj).data

    def handle_exception(self, exc):
        if isinstance(exc, services.StaleVersion):
            current = self.refetch(exc.current)
            return Response(
                {
                    "detail": "This was changed by someone else since you read it: "
                    "here is the current version; apply your change to it and retry.",
                    "current": self.output(current),
                },
                status=status.HTTP_409_CONFLICT,
                headers=_etag(current),
            )
        return super().handle_exception(exc)

    def refetch(self, obj):
        return self.get_queryset().get(pk=obj.pk)


# --- Plans --------------------------------------------------------------------------------


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
        responses={200: PlanDetailSerializer, **LOCKING_RESPONSES},
    ),
    update=extend_schema(
        parameters=[IF_MATCH],
        responses={200: PlanDetailSerializer, **LOCKING_RESPONSES},
    ),
)
class PlanViewSet(
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

    @extend_schema(request=CommentSerializer, responses={200: PlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The account owner submits the plan for approval."""
        return self._step(request, services.plan_submit)

    @extend_schema(request=CommentSerializer, responses={200: PlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """A coach (a manager who may see the account, or an admin) approves it."""
        return self._step(request, services.plan_approve)

    @extend_schema(request=CommentSerializer, responses={200: PlanDetailSerializer})
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

    @extend_schema(request=CommentSerializer, responses={200: PlanDetailSerializer})
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


# --- Items --------------------------------------------------------------------------------


def _item_schema(name):
    return extend_schema_view(
        list=extend_schema(
            summary=f"{name} of the plans you may see",
            description="The live ones; `deleted=true` lists the deleted ones (to undo).",
        ),
        partial_update=extend_schema(parameters=[IF_MATCH]),
        update=extend_schema(parameters=[IF_MATCH]),
        destroy=extend_schema(summary="Delete (soft: undo with restore)"),
    )


def _plan_of(item) -> Plan:
    if isinstance(item, Strategy):
        return item.goal.plan
    if isinstance(item, Tactic):
        return item.strategy.goal.plan
    return item.plan


class _ItemViewSet(_VersionedMixin, viewsets.ModelViewSet):
    """One kind of plan item."""

    model = None
    related = ("plan__account",)
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    lookup_value_regex = ID_REGEX
    ordering_fields = ["position", "updated_at", "id"]

    @property
    def parent_field(self) -> str:
        return self.get_serializer_class().parent_field

    def get_queryset(self):
        queryset = (
            self.model.objects.visible_to(self.request.user)
            .select_related(*self.related)
            .order_by(f"{self.parent_field}_id", "position", "id")
        )
        if self.action == "list" and "deleted" not in self.request.query_params:
            queryset = queryset.filter(deleted_at=None)
        return queryset

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS:
            plan = _plan_of(obj)
            if plan.read_only:
                raise exceptions.PermissionDenied("The plan is approved: reopen it to change it.")
            if not can_edit_plan(user=request.user, plan=plan):
                raise exceptions.PermissionDenied("Only the account team changes its plan.")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        parent = data.pop(self.parent_field)
        serializer.instance = services.item_create(
            model=self.model, by=self.request.user, parent=parent, **data
        )

    def save_update(self, item, data, version):
        parent = data.pop(self.parent_field, None)
        if parent is not None and parent.pk != getattr(item, f"{self.parent_field}_id"):
            raise exceptions.ValidationError(
                {self.parent_field: [f"An item cannot move to another {self.parent_field}."]}
            )
        return services.item_update(item=item, by=self.request.user, version=version, **data)

    def perform_destroy(self, instance):
        services.item_delete(item=instance, by=self.request.user)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Undo a delete."""
        item = services.item_restore(item=self.get_object(), by=request.user)
        return Response(self.output(item), headers=_etag(item))


@_item_schema("Knowledge points")
class KnowledgePointViewSet(_ItemViewSet):
    model = KnowledgePoint
    serializer_class = KnowledgePointSerializer
    filterset_class = KnowledgePointFilter


@_item_schema("SWOT items")
class SwotItemViewSet(_ItemViewSet):
    model = SwotItem
    serializer_class = SwotItemSerializer
    filterset_class = SwotItemFilter


@_item_schema("Goals")
class GoalViewSet(_ItemViewSet):
    model = Goal
    serializer_class = GoalSerializer
    filterset_class = GoalFilter


@_item_schema("Strategies")
class StrategyViewSet(_ItemViewSet):
    model = Strategy
    serializer_class = StrategySerializer
    filterset_class = StrategyFilter
    related = ("goal__plan__account",)


@_item_schema("Tactics")
class TacticViewSet(_ItemViewSet):
    model = Tactic
    serializer_class = TacticSerializer
    filterset_class = TacticFilter
    related = ("strategy__goal__plan__account",)


# --- Business reviews -----------------------------------------------------------------------


class BusinessReviewFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    held = django_filters.BooleanFilter(field_name="held_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = BusinessReview
        fields = ["account", "kind", "held"]


class ReviewActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewActionItem
        fields = ["id", "text", "owner", "due_date", "done", "agreed_with_customer", "tactic"]
        read_only_fields = fields


class BusinessReviewSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    attendees = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=User.objects.filter(is_active=True)
    )
    customer_attendees = ScopedRelatedField(
        many=True,
        required=False,
        scope=Contact.objects.visible_to,
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    actions = ReviewActionSerializer(many=True, read_only=True)

    class Meta:
        model = BusinessReview
        fields = [
            "id",
            "account",
            "kind",
            "title",
            "scheduled_for",
            "held_on",
            "attendees",
            "customer_attendees",
            "agenda",
            "outcomes",
            "decisions",
            "customer_feedback",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class BusinessReviewViewSet(viewsets.ModelViewSet):
    """Business reviews of the accounts the caller sees (filters: account, kind, held).
    The team writes through the same rules as the pages (plans.reviews): 400 with field
    errors, 403 for those who may see the account but not change it, 404 otherwise."""

    serializer_class = BusinessReviewSerializer
    filterset_class = BusinessReviewFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            BusinessReview.objects.visible_to(self.request.user)
            .prefetch_related("attendees", "customer_attendees", "actions")
            .order_by("-scheduled_for", "-id")
        )

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS:
            self._require_edit(obj.account)

    def _require_edit(self, account) -> None:
        if not can_edit_account(user=self.request.user, account=account):
            raise exceptions.PermissionDenied("You can see this account but not change it.")

    def _save(self, serializer, review=None):
        data = dict(serializer.validated_data)
        account = data.pop("account", review.account if review else None)
        if review is not None and account != review.account:
            raise serializers.ValidationError(
                {"account": "A review cannot move to another account."}
            )
        self._require_edit(account)
        if review is not None:
            data.setdefault("attendees", list(review.attendees.all()))
            data.setdefault("customer_attendees", list(review.customer_attendees.all()))
        try:
            serializer.instance = reviews.review_save(
                account=account, by=self.request.user, review=review, **data
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, review=serializer.instance)

    def perform_destroy(self, instance):
        reviews.review_delete(review=instance, by=self.request.user)
