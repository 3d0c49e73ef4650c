"""REST API of segmentation (DESIGN §7): criteria, tiers, runs and each account's tier
history. Everyone signed in reads the model; only admins change it or run it."""

from rest_framework import generics, mixins, permissions, serializers, viewsets

from accounts_app.selectors import account_get_for_user

from . import services
from .models import Criterion, SegmentationRun, Tier, TierChange


class IsAdminRoleOrReadOnly(permissions.BasePermission):
    message = "Only admins change the segmentation model."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_admin_role)


class IsAdminRole(permissions.BasePermission):
    message = "Only admins see and start segmentation runs."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_admin_role)


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "key", "weight"]
        read_only_fields = ["key"]

    def validate_weight(self, weight):
        others = Criterion.objects.exclude(pk=getattr(self.instance, "pk", None))
        if weight <= 0 and not any(w > 0 for w in others.values_list("weight", flat=True)):
            raise serializers.ValidationError("At least one criterion needs a weight above zero.")
        return weight


class CriterionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CriterionSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    queryset = Criterion.objects.order_by("id")


class ConditionSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    threshold = serializers.DecimalField(max_digits=5, decimal_places=2)


class TierSerializer(serializers.ModelSerializer):
    conditions = serializers.SerializerMethodField()

    class Meta:
        model = Tier
        fields = [
            "id",
            "name",
            "rank",
            "description",
            "conditions",
            "cap",
            "plan_required",
            "external_review_days",
            "internal_review_days",
            "required_team_roles",
            "rpi_target",
            "service_level",
        ]

    def get_conditions(self, tier) -> list[dict]:
        return ConditionSerializer(tier.conditions.all(), many=True).data


class TierViewSet(viewsets.ReadOnlyModelViewSet):
    """Tiers in rank order with their conditions and servicing model (read-only for now:
    the admin pages that edit them come next)."""

    serializer_class = TierSerializer
    queryset = Tier.objects.prefetch_related("conditions").order_by("rank")


class RunSerializer(serializers.ModelSerializer):
    dry_run = serializers.BooleanField(default=True)

    class Meta:
        model = SegmentationRun
        fields = [
            "id",
            "dry_run",
            "scheduled",
            "status",
            "total",
            "processed",
            "changes",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = [f for f in fields if f != "dry_run"]


class RunViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """POST {"dry_run": true|false} starts a run; GET shows its status and changes."""

    serializer_class = RunSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRole]
    queryset = SegmentationRun.objects.order_by("-created_at", "-id")

    def perform_create(self, serializer):
        serializer.instance = services.segmentation_run_start(
            by=self.request.user, dry_run=serializer.validated_data["dry_run"]
        )


class TierChangeSerializer(serializers.ModelSerializer):
    from_tier = serializers.CharField(source="from_tier.name", default=None, read_only=True)
    to_tier = serializers.CharField(source="to_tier.name", default=None, read_only=True)
    by = serializers.CharField(source="by.name", default=None, read_only=True)

    class Meta:
        model = TierChange
        fields = ["id", "from_tier", "to_tier", "score", "cause", "reason", "by", "at"]


class TierHistoryView(generics.ListAPIView):
    """The tier history of one account the caller may see (404 otherwise)."""

    serializer_class = TierChangeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no account
            return TierChange.objects.none()
        account = account_get_for_user(user=self.request.user, account_id=self.kwargs["pk"])
        return TierChange.objects.filter(account=account).select_related(
            "from_tier", "to_tier", "by"
        )
