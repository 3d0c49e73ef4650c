"""The API of scorecards and their lines: weights, targets and actuals written by the
account team; attainment, status and the score read-only."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import Account
from core.api import ID_REGEX, AccountScopedViewSet, ScopedRelatedField
from core.filters import IdFilter

from .. import formulas, services
from ..models import Metric, Scorecard, ScorecardLine
from .fields import figure


class LineSerializer(serializers.ModelSerializer):
    scorecard = serializers.PrimaryKeyRelatedField(read_only=True)
    metric_name = serializers.CharField(source="metric.name", read_only=True)
    weight = figure(5, 2, required=False, allow_null=False, min_value=0, max_value=100)
    target = figure(required=False)
    actual = figure(required=False)
    attainment = figure(12, 4, read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ScorecardLine
        fields = [
            "id",
            "scorecard",
            "metric",
            "metric_name",
            "weight",
            "target",
            "actual",
            "attainment",
            "status",
            "updated_at",
        ]
        read_only_fields = ["metric", "updated_at"]

    def get_status(self, line) -> str | None:
        return formulas.status(line.attainment)


class ScorecardSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    score = figure(4, 1, read_only=True)
    metrics = serializers.PrimaryKeyRelatedField(
        queryset=Metric.objects.filter(active=True),
        many=True,
        write_only=True,
        required=False,
        help_text="The metrics of a new scorecard; left out, those of the period before "
        "with their weights and targets.",
    )
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "account",
            "cadence",
            "period_start",
            "score",
            "metrics",
            "lines",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ScorecardFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")

    class Meta:
        model = Scorecard
        fields = ["account", "cadence", "period_start"]


class ScorecardViewSet(AccountScopedViewSet):
    """Scorecards per account and period. POST creates one (the account team);
    `next/` copies the metrics, weights and targets into the following period.
    Scorecards are not edited or deleted here: their lines are."""

    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilter
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return (
            Scorecard.objects.visible_to(self.request.user)
            .prefetch_related("lines__metric")
            .order_by("account_id", "-period_start", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = services.scorecard_create(
            account=account,
            by=self.request.user,
            cadence=data.get("cadence", Scorecard.Cadence.QUARTERLY),
            period_start=data["period_start"],
            metrics=data.get("metrics"),
        )

    @extend_schema(request=None, responses={201: ScorecardSerializer})
    @action(detail=True, methods=["post"])
    def next(self, request, pk=None):
        """Start the following period with the same metrics, weights and targets."""
        scorecard = self.get_object()
        self.require_edit(scorecard.account)
        following = services.scorecard_next(scorecard=scorecard, by=request.user)
        return Response(self.get_serializer(following).data, status=201)


class LineFilter(django_filters.FilterSet):
    account = IdFilter(field_name="scorecard__account_id")
    scorecard = IdFilter(field_name="scorecard_id")
    metric = IdFilter(field_name="metric_id")

    class Meta:
        model = ScorecardLine
        fields = ["account", "scorecard", "metric"]


class LineCreateSerializer(serializers.Serializer):
    scorecard = serializers.PrimaryKeyRelatedField(queryset=Scorecard.objects.none())
    metric = serializers.PrimaryKeyRelatedField(queryset=Metric.objects.filter(active=True))
    weight = figure(5, 2, required=False, allow_null=False, min_value=0, max_value=100)
    target = figure(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["scorecard"].queryset = Scorecard.objects.visible_to(request.user)


class ScorecardLineViewSet(AccountScopedViewSet):
    """A scorecard's lines: PATCH a weight, target or actual (attainment, status and the
    scorecard's score follow); POST adds a metric; DELETE removes it."""

    serializer_class = LineSerializer
    filterset_class = LineFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return (
            ScorecardLine.objects.visible_to(self.request.user)
            .select_related("metric", "scorecard__account")
            .order_by("scorecard_id", "position", "id")
        )

    def get_serializer_class(self):
        return LineCreateSerializer if self.action == "create" else LineSerializer

    def check_write(self, obj) -> None:
        self.require_edit(obj.scorecard.account)

    def create(self, request, *args, **kwargs):
        serializer = LineCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        scorecard = data.pop("scorecard")
        self.require_edit(scorecard.account)
        line = services.line_add(scorecard=scorecard, by=request.user, **data)
        return Response(LineSerializer(line).data, status=201)

    def perform_update(self, serializer):
        data = {
            key: ("" if value is None else value)
            for key, value in serializer.validated_data.items()
            if key in services.LINE_FIELDS
        }
        serializer.instance = services.line_update(
            line=serializer.instance, by=self.request.user, **data
        )

    def perform_destroy(self, instance):
        services.line_remove(line=instance, by=self.request.user)
