"""The API of a plan's items: knowledge points, SWOT, goals → strategies → tactics. A
delete is soft (`deleted`), undone with restore."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import User
from core.api import ID_REGEX, ScopedRelatedField

from .. import services
from ..filters import (
    GoalFilter,
    KnowledgePointFilter,
    StrategyFilter,
    SwotItemFilter,
    TacticFilter,
)
from ..models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic
from ..selectors import can_edit_plan
from .locking import IF_MATCH, _etag, _version_field, _VersionedMixin, locking_responses

ITEM_TEXT_MAX = 5_000


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


# --- Items --------------------------------------------------------------------------------


def _item_schema(name, serializer_class):
    return extend_schema_view(
        list=extend_schema(
            summary=f"{name} of the plans you may see",
            description="The live ones; `deleted=true` lists the deleted ones (to undo).",
        ),
        partial_update=extend_schema(
            parameters=[IF_MATCH], responses=locking_responses(serializer_class)
        ),
        update=extend_schema(parameters=[IF_MATCH], responses=locking_responses(serializer_class)),
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


@_item_schema("Knowledge points", KnowledgePointSerializer)
class KnowledgePointViewSet(_ItemViewSet):
    model = KnowledgePoint
    serializer_class = KnowledgePointSerializer
    filterset_class = KnowledgePointFilter


@_item_schema("SWOT items", SwotItemSerializer)
class SwotItemViewSet(_ItemViewSet):
    model = SwotItem
    serializer_class = SwotItemSerializer
    filterset_class = SwotItemFilter


@_item_schema("Goals", GoalSerializer)
class GoalViewSet(_ItemViewSet):
    model = Goal
    serializer_class = GoalSerializer
    filterset_class = GoalFilter


@_item_schema("Strategies", StrategySerializer)
class StrategyViewSet(_ItemViewSet):
    model = Strategy
    serializer_class = StrategySerializer
    filterset_class = StrategyFilter
    related = ("goal__plan__account",)


@_item_schema("Tactics", TacticSerializer)
class TacticViewSet(_ItemViewSet):
    model = Tactic
    serializer_class = TacticSerializer
    filterset_class = TacticFilter
    related = ("strategy__goal__plan__account",)
