"""REST API of segmentation (DESIGN §7): criteria, tiers, runs and each account's tier
history. Everyone signed in reads the model; only admins change it or run it."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, generics, mixins, permissions, serializers, viewsets
from rest_framework.response import Response

from accounts_app.models import TeamMember
from accounts_app.selectors import account_get_for_user
from core.api import IsAdminRoleOrReadOnly

from . import scoring, services
from .models import Criterion, SegmentationRun, Tier, TierChange
from .selectors import account_tier_history, can_override_tier


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
    admin_write_message = "Only admins change the segmentation model."
    queryset = Criterion.objects.order_by("id")


class ConditionSerializer(serializers.Serializer):
    criterion = serializers.ChoiceField(choices=scoring.CRITERIA)
    threshold = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100)
    )


class TierSerializer(serializers.ModelSerializer):
    """A tier with its OR-joined conditions (empty for the catch-all) and servicing model.

    Writes are checked against the whole configuration: `rank` is the tier's position
    (1 first; a new tier without one goes just before the catch-all).
    """

    conditions = ConditionSerializer(many=True)
    rank = serializers.IntegerField(min_value=1, required=False)
    required_team_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=TeamMember.Role.choices), required=False
    )

    class Meta:
        model = Tier
        fields = ["id", "name", "rank", "conditions", "cap", *Tier.SERVICING_FIELDS]

    def _save(self, tier, data):
        servicing = {f: data[f] for f in services.SERVICING_FIELDS if f in data}
        if tier is not None:  # a partial update keeps what it does not name
            servicing = {f: getattr(tier, f) for f in services.SERVICING_FIELDS} | servicing
        conditions = data.get("conditions")
        if conditions is None and tier is not None:
            conditions = [
                {"criterion": c.criterion, "threshold": c.threshold} for c in tier.conditions.all()
            ]
        try:
            return self._tier_save(tier, data, conditions, servicing)
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict") and "position" in exc.error_dict:
                exc.error_dict["rank"] = exc.error_dict.pop("position")
            raise

    @staticmethod
    def _tier_save(tier, data, conditions, servicing):
        return services.tier_save(
            tier=tier,
            name=data.get("name", tier.name if tier else ""),
            conditions=[(c["criterion"], c["threshold"]) for c in conditions or []],
            cap=data["cap"] if "cap" in data else (tier.cap if tier else None),
            position=data.get("rank"),
            **servicing,
        )

    def create(self, validated_data):
        return self._save(None, validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class TierViewSet(viewsets.ModelViewSet):
    """Tiers in rank order with their conditions and servicing model. Everyone signed in
    reads them; admins create, change, reorder (`rank`) and delete them, each write
    checked against the whole configuration (400 with field errors otherwise)."""

    serializer_class = TierSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the segmentation model."
    queryset = Tier.objects.prefetch_related("conditions").order_by("rank")

    def perform_destroy(self, instance):
        services.tier_delete(tier=instance)


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


class RunSummarySerializer(RunSerializer):
    class Meta(RunSerializer.Meta):
        fields = [f for f in RunSerializer.Meta.fields if f != "changes"]
        read_only_fields = fields


class RunViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """POST {"dry_run": true|false} starts a run; GET runs/{id}/ shows its status and
    changes. The list leaves the changes out (each run may list 10,000 accounts)."""

    serializer_class = RunSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRole]
    queryset = SegmentationRun.objects.order_by("-created_at", "-id")

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.defer("changes") if self.action == "list" else queryset

    def get_serializer_class(self):
        return RunSummarySerializer if self.action == "list" else RunSerializer

    def perform_create(self, serializer):
        serializer.instance = services.segmentation_run_start(
            by=self.request.user, dry_run=serializer.validated_data["dry_run"]
        )


class TierChangeSerializer(serializers.ModelSerializer):
    from_tier = serializers.CharField(
        source="from_tier.name", default=None, read_only=True, allow_null=True
    )
    to_tier = serializers.CharField(
        source="to_tier.name", default=None, read_only=True, allow_null=True
    )
    by = serializers.CharField(source="by.name", default=None, read_only=True, allow_null=True)

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
        return account_tier_history(account=account)


class TierOverrideSerializer(serializers.Serializer):
    tier = serializers.PrimaryKeyRelatedField(queryset=Tier.objects.all())
    reason = serializers.CharField(max_length=1000)


class TierOverrideView(generics.GenericAPIView):
    """POST {"tier": id, "reason": "..."} pins the account's tier; DELETE removes the pin.
    Admins, and managers for the accounts they may coach; others who may see the account
    get 403, everyone else 404."""

    serializer_class = TierOverrideSerializer

    def _account(self):
        account = account_get_for_user(user=self.request.user, account_id=self.kwargs["pk"])
        if not can_override_tier(user=self.request.user, account=account):
            raise exceptions.PermissionDenied(
                "Only the account's managers and admins override its tier."
            )
        return account

    def post(self, request, pk):
        account = self._account()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.tier_pin(
            account=account, by=request.user, **serializer.validated_data
        )
        return Response(
            {
                "account": account.pk,
                "tier": assignment.tier_id,
                "tier_pinned": True,
                "reason": assignment.pin_reason,
            }
        )

    def delete(self, request, pk):
        services.tier_unpin(account=self._account(), by=request.user)
        return Response(status=204)
