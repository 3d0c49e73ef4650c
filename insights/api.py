"""REST API v1 of what reads across the apps: the accounts (with their tier, pin and
segmentation score, and the RPI of their latest snapshot) and their export, an account's
RPI with its tier's target, its health, its business-review pack and the account whole
as JSON.

Reads come from the same selectors as the pages (an account outside the caller's scope
is a 404); writes go through accounts_app.services (a visible account the caller may
not change is a 403; a rule broken is a 400 with field errors)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts_app import selectors, services
from accounts_app.api import AccountSerializer
from accounts_app.models import User
from core.api import AccountScopedViewSet, ExportMixin
from core.throttles import RenderThrottle
from segmentation.filters import TieredAccountFilter
from segmentation.selectors import tier_rpi_target

from . import health, packs
from .account_export import account_export_response
from .exports import account_columns
from .offboarding import user_offboard
from .selectors import portfolio_account_list

# --- Accounts ----------------------------------------------------------------------------


class PortfolioAccountSerializer(AccountSerializer):
    tier = serializers.SerializerMethodField()
    tier_pinned = serializers.SerializerMethodField()
    segmentation_score = serializers.SerializerMethodField()
    rpi = serializers.SerializerMethodField(
        help_text="The RPI of the account's latest snapshot (0–100), null before the first."
    )

    class Meta(AccountSerializer.Meta):
        fields = [
            *AccountSerializer.Meta.fields[: AccountSerializer.Meta.fields.index("archived") + 1],
            "tier",
            "tier_pinned",
            "segmentation_score",
            "rpi",
            *AccountSerializer.Meta.fields[AccountSerializer.Meta.fields.index("archived") + 1 :],
        ]

    @staticmethod
    def _assignment(account):
        # The segmentation app's one-to-one row, absent until a run or an override.
        return getattr(account, "tier_assignment", None)

    def get_tier(self, account) -> str | None:
        assignment = self._assignment(account)
        return assignment.tier.name if assignment else None

    def get_tier_pinned(self, account) -> bool:
        assignment = self._assignment(account)
        return bool(assignment and assignment.pinned)

    def get_rpi(self, account) -> float | None:
        # Annotated by the list's selector from the latest snapshot; a new account has none.
        rpi = getattr(account, "rpi", None)
        return None if rpi is None else float(rpi)

    def get_segmentation_score(self, account) -> float | None:
        assignment = self._assignment(account)
        if assignment is None or assignment.composite is None:
            return None
        return float(assignment.composite)


class PurgeSerializer(serializers.Serializer):
    confirm = serializers.CharField(help_text="The account's name, typed in.")


class AccountViewSet(ExportMixin, AccountScopedViewSet):
    serializer_class = PortfolioAccountSerializer
    filterset_class = TieredAccountFilter
    # `search` and `ordering` as on every list of the API; the filterset's `q` and `sort`
    # (the HTML list's names) work too.
    search_fields = ["name"]
    ordering_fields = ["name", "annual_revenue", "updated_at", "contact_count"]
    export_name = "accounts"

    def export_columns(self):
        return account_columns(user=self.request.user)

    def check_write(self, obj) -> None:
        if self.request.method == "DELETE" or getattr(self, "action", None) == "restore":
            if not selectors.can_manage_team(user=self.request.user, account=obj):
                raise exceptions.PermissionDenied(
                    "Only the account owner or an admin archives or restores an account."
                )
        else:
            self.require_edit(obj)

    def get_queryset(self):
        return portfolio_account_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.account_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        self.require_edit(serializer.instance)
        serializer.instance = services.account_update(
            account=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def filter_queryset(self, queryset):
        # The list's filters (archived ones hidden by default) are for lists; an account
        # asked for by id is found archived or not.
        return queryset if self.detail else super().filter_queryset(queryset)

    def perform_destroy(self, instance):
        """DELETE archives the account (DESIGN §11); restore/ brings it back."""
        services.account_archive(account=instance, by=self.request.user)

    @extend_schema(request=None, responses=PortfolioAccountSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring an archived account back with everything under it (the owner, an admin)."""
        account = self.get_object()
        account = services.account_restore(account=account, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=account.pk)).data)

    @extend_schema(request=PurgeSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def purge(self, request, pk=None):
        """Remove the account and everything under it for good: admins, with the
        account's name typed in `confirm`; recorded."""
        account = self.get_object()
        if not request.user.is_admin_role:
            raise exceptions.PermissionDenied("Only admins purge an account.")
        body = PurgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.account_purge(
            account=account, by=request.user, confirm=body.validated_data["confirm"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class GapSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    contact = serializers.IntegerField(source="contact_id")
    contact_name = serializers.CharField()
    user = serializers.IntegerField(source="user_id", allow_null=True)
    user_name = serializers.CharField(allow_null=True)
    strength = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)


class RpiSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    as_of = serializers.DateField(
        allow_null=True, help_text="The day asked for with ?as_of=, null for now."
    )
    rpi = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    high = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    wide = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    deep = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    rpi_target = serializers.IntegerField(allow_null=True)
    gaps = GapSerializer(many=True)


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)

    def validate_as_of(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("The RPI of a future day is not known yet.")
        return value


class AccountRpiView(generics.GenericAPIView):
    """The account's Relationship Penetration Index from its data as it is now: rpi,
    high, wide and deep (percentages, one decimal), the tier's RPI target and the
    coverage gaps (DESIGN §3). 404 for an account the caller may not see.

    With `?as_of=YYYY-MM-DD`, the same figures and gaps from the contacts, team,
    relationships and business units as they stood at the end of that day, rebuilt from
    their history (DESIGN §11); `rpi_target` stays the tier's target today. A day before
    the account had any of them gives what the formula gives for nothing: 0.0 throughout
    and no gaps. A date that does not parse, or a future day, is a 400."""

    serializer_class = RpiSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="The RPI as of the end of this day (today or earlier).",
            )
        ]
    )
    def get(self, request, pk):
        account = selectors.account_get_for_user(user=request.user, account_id=pk)
        query = AsOfSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of")
        report = selectors.account_rpi(account=account, as_of=as_of)
        data = {
            "account": account.pk,
            "as_of": as_of,
            "rpi": report.rpi,
            "high": report.high,
            "wide": report.wide,
            "deep": report.deep,
            "rpi_target": tier_rpi_target(account=account),
            "gaps": report.gaps,
        }
        return Response(self.get_serializer(data).data)


# --- Health ------------------------------------------------------------------------------


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    weight_pct = serializers.FloatField(allow_null=True)
    contribution = serializers.FloatField(allow_null=True)


class HealthSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, read_only=True, allow_null=True
    )
    band = serializers.CharField(allow_null=True)
    components = ComponentSerializer(many=True)
    computed_at = serializers.DateTimeField(allow_null=True)


class AccountHealthView(generics.GenericAPIView):
    """The account's health as of its latest snapshot (DESIGN §3): score (0–100, null
    when nothing is measured), band (green, amber, red), and each component's value,
    renormalised weight (%) and contribution. 404 for an account the caller may not
    see."""

    serializer_class = HealthSerializer

    def get(self, request, pk):
        account = selectors.account_get_for_user(user=request.user, account_id=pk)
        snapshot = account.latest_snapshot
        data = {
            "account": account.pk,
            "score": snapshot.health if snapshot else None,
            "band": (snapshot.health_band or None) if snapshot else None,
            "components": health.health_components(snapshot),
            "computed_at": snapshot.computed_at if snapshot else None,
        }
        return Response(self.get_serializer(data).data)


# --- Business-review packs -------------------------------------------------------------------


class AccountPackView(APIView):
    """The account's business-review pack as a PDF (DESIGN §6, §7): `?variant=internal`
    (the default: everything) or `customer` (what goes across the table). Anyone who
    may see the account downloads it; 404 for an account the caller may not see, 400
    for an unknown variant; 429 past the caller's render limit (STRATA_RENDER_RATE),
    shared with the pages' PDF and map downloads."""

    throttle_classes = [*APIView.throttle_classes, RenderThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("variant", str, enum=list(packs.VARIANTS), default=packs.INTERNAL)
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        account = selectors.account_get_for_user(user=request.user, account_id=pk)
        variant = request.query_params.get("variant", packs.INTERNAL)
        if variant not in packs.VARIANTS:
            return Response(
                {"variant": [f"Choose one of: {', '.join(packs.VARIANTS)}."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return packs.pack_response(account=account, variant=variant, user=request.user)


# --- One account whole -----------------------------------------------------------------------


class AccountExportView(APIView):
    """The account whole as a JSON download (DESIGN §10): its fields, tier and tier
    history, business units, contacts, team, relationships, interactions, plans (goals,
    strategies, tactics, SWOT, knowledge points, comments), business reviews,
    opportunities with their qualification answers, scorecards with their lines, survey
    rounds and alerts, and the names of the people they mention. 404 for an account the
    caller may not see."""

    @extend_schema(
        operation_id="v1_accounts_export_whole",
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        account = selectors.account_get_for_user(user=request.user, account_id=pk)
        return account_export_response(account=account, user=request.user)


class OffboardSerializer(serializers.Serializer):
    successor = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class UserOffboardView(APIView):
    """`POST users/{id}/offboard/ {"successor": id}` (admins): deactivate a leaver and hand
    their accounts, open tactics, action items, live alerts and open opportunities over."""

    serializer_class = OffboardSerializer

    def post(self, request, pk):
        if not request.user.is_admin_role:
            raise exceptions.PermissionDenied("Only admins offboard people.")
        user = get_object_or_404(User, pk=pk)
        body = OffboardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = user_offboard(
            user=user, successor=body.validated_data["successor"], by=request.user
        )
        return Response(
            {
                "user": user.pk,
                "successor": record.successor_id,
                "at": record.at,
                "handed_over": record.handed_over,
            }
        )
