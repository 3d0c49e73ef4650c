"""REST API v1 of scorecards (DESIGN §7): the metric library, scorecards and their lines
(weights, targets, actuals; attainment and score read-only), survey rounds with their
results, and each account's health with its components.

Reads are scoped to the accounts the caller may see (anything else is a 404: customer
answers included); writes go through scorecards.services and scorecards.surveys (a
visible object the caller may not change is a 403; a rule broken is a 400 with field
errors).
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import Account, Contact
from core.api import ID_REGEX, AccountScopedViewSet, IsAdminRoleOrReadOnly, ScopedRelatedField
from core.filters import IdFilter

from . import formulas, services, surveys
from .alerts import services as alert_services
from .alerts.services import rule_check
from .models import (
    Alert,
    AlertRule,
    Metric,
    Scorecard,
    ScorecardLine,
    SurveyRound,
    SurveyTemplate,
)


def _figure(max_digits=16, places=2, **kwargs):
    kwargs.setdefault("allow_null", True)
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=places, coerce_to_string=False, **kwargs
    )


# --- Metrics -----------------------------------------------------------------------------


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = [
            "id",
            "name",
            "description",
            "unit",
            "perspective",
            "kind",
            "higher_is_better",
            "joint",
            "active",
            "position",
        ]


class MetricViewSet(viewsets.ModelViewSet):
    """The metric library. Everyone signed in reads it; admins change it. A metric on a
    scorecard is retired (`active: false`), not deleted: deleting it answers 400."""

    serializer_class = MetricSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the metric library."
    queryset = Metric.objects.order_by("position", "name")
    filterset_fields = ["perspective", "kind", "joint", "active"]
    lookup_value_regex = ID_REGEX

    def perform_destroy(self, instance):
        if instance.lines.exists():
            raise serializers.ValidationError(
                {"non_field_errors": ["The metric is on scorecards: retire it instead."]}
            )
        instance.delete()


# --- Scorecards --------------------------------------------------------------------------


class LineSerializer(serializers.ModelSerializer):
    scorecard = serializers.PrimaryKeyRelatedField(read_only=True)
    metric_name = serializers.CharField(source="metric.name", read_only=True)
    weight = _figure(5, 2, required=False, allow_null=False, min_value=0, max_value=100)
    target = _figure(required=False)
    actual = _figure(required=False)
    attainment = _figure(12, 4, read_only=True)
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
    score = _figure(4, 1, read_only=True)
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
    weight = _figure(5, 2, required=False, allow_null=False, min_value=0, max_value=100)
    target = _figure(required=False)

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


# --- Surveys -----------------------------------------------------------------------------


class GapSerializer(serializers.Serializer):
    dimension = serializers.IntegerField(source="dimension.pk")
    name = serializers.CharField(source="dimension.name")
    customer_mean = _figure(3, 2, source="gap.customer_mean")
    internal_mean = _figure(3, 2, source="gap.internal_mean")
    gap = _figure(3, 2, source="gap.gap")
    blind_spot = serializers.BooleanField(source="gap.blind_spot")
    customer_answers = serializers.IntegerField()


class CommentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    who = serializers.CharField()
    text = serializers.CharField()
    at = serializers.DateTimeField()


class ResultsSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    predictions = serializers.IntegerField()
    customer_mean = _figure(3, 2)
    internal_mean = _figure(3, 2)
    dimensions = GapSerializer(many=True)
    comments = serializers.SerializerMethodField()

    def get_comments(self, results) -> list[dict]:
        return [
            {"kind": kind, "who": who, "text": text, "at": at}
            for kind, who, text, at in results.comments
        ]


class SurveyRoundSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    template = serializers.PrimaryKeyRelatedField(
        queryset=SurveyTemplate.objects.filter(active=True)
    )
    contacts = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(), many=True, write_only=True, allow_empty=False
    )
    days_open = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=surveys.MAX_DAYS_OPEN
    )
    results = serializers.SerializerMethodField()

    class Meta:
        model = SurveyRound
        fields = [
            "id",
            "account",
            "template",
            "title",
            "status",
            "expires_at",
            "created_at",
            "contacts",
            "days_open",
            "results",
        ]
        read_only_fields = ["status", "expires_at", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["contacts"].child_relation.queryset = Contact.objects.visible_to(
                request.user
            )

    @extend_schema(responses=ResultsSerializer)
    def get_results(self, survey) -> dict:
        return ResultsSerializer(surveys.round_results(survey=survey)).data


class SurveyRoundFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")

    class Meta:
        model = SurveyRound
        fields = ["account", "status"]


class SurveyRoundViewSet(AccountScopedViewSet):
    """Voice-of-the-customer rounds with their results (means, gaps, blind spots,
    comments): only for those who may see the account. POST sends a round (the account
    team; each contact gets a single-use link by e-mail); `close/` ends it."""

    serializer_class = SurveyRoundSerializer
    filterset_class = SurveyRoundFilter
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return (
            SurveyRound.objects.visible_to(self.request.user)
            .select_related("template")
            .order_by("account_id", "-created_at", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        base = self.request.build_absolute_uri(
            reverse("scorecards:survey_answer", args=["TOKEN"])
        ).removesuffix("TOKEN/")
        serializer.instance = surveys.round_create(
            account=account,
            by=self.request.user,
            template=data["template"],
            title=data["title"],
            contacts=data["contacts"],
            days_open=data.get("days_open", surveys.DEFAULT_DAYS_OPEN),
            link_base=base,
        )

    @extend_schema(request=None, responses={200: SurveyRoundSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        survey = self.get_object()
        self.require_edit(survey.account)
        surveys.round_close(survey=survey, by=request.user)
        return Response(self.get_serializer(survey).data)


# --- Alerts ------------------------------------------------------------------------------


class AlertRuleSerializer(serializers.ModelSerializer):
    inactive_because = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = AlertRule
        fields = [
            "id",
            "kind",
            "name",
            "parameters",
            "severity",
            "active",
            "tiers",
            "procedure",
            "inactive_because",
        ]

    def validate(self, data):
        instance = self.instance
        kind = data.get("kind", instance.kind if instance else None)
        try:
            data["parameters"] = rule_check(
                kind=kind,
                parameters=data.get("parameters", instance.parameters if instance else {}),
                active=data.get("active", instance.active if instance else True),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return data


class AlertRuleViewSet(viewsets.ModelViewSet):
    """The alert rules: a built-in kind with its parameters, severity, tiers (none: every
    account) and escalation procedure. Everyone signed in reads; admins change them."""

    serializer_class = AlertRuleSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the alert rules."
    queryset = AlertRule.objects.prefetch_related("tiers").order_by("kind", "name")
    filterset_fields = ["kind", "active", "severity"]
    lookup_value_regex = ID_REGEX


class AlertSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    kind = serializers.CharField(source="rule.kind", read_only=True)
    subject = serializers.CharField(source="subject_key", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "account",
            "rule",
            "rule_name",
            "kind",
            "subject",
            "subject_label",
            "severity",
            "status",
            "assignee",
            "escalation_step",
            "description",
            "numbers",
            "raised_at",
            "acknowledged_at",
            "closed_at",
            "close_note",
        ]
        read_only_fields = fields


class AlertFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    assignee = IdFilter(field_name="assignee_id")
    rule = IdFilter(field_name="rule_id")
    kind = django_filters.CharFilter(field_name="rule__kind")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Assigned or escalated to me")

    class Meta:
        model = Alert
        fields = ["account", "assignee", "rule", "status", "severity"]

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        condition = alert_services.mine(user=self.request.user)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts of the accounts you may see. POST `acknowledge/` (stops escalation),
    `resolve/` or `dismiss/` (both with a `note`): the account team, the people it was
    escalated to, and managers of the account; others who may see it get 403."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return (
            alert_services.alert_list(user=self.request.user)
            .select_related("rule")
            .order_by("-raised_at", "-id")
        )

    def _act(self, request, action):
        alert = self.get_object()
        if not alert_services.can_act(user=request.user, alert=alert):
            raise exceptions.PermissionDenied(
                "Only the account team and those alerted act on this alert."
            )
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data.get("note", "")
        if action == "acknowledge":
            alert = alert_services.alert_acknowledge(alert=alert, by=request.user, note=note)
        else:
            alert = alert_services.alert_close(
                alert=alert, by=request.user, note=note, dismiss=action == "dismiss"
            )
        return Response(self.get_serializer(alert).data)

    @extend_schema(request=NoteSerializer, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._act(request, "acknowledge")

    @extend_schema(request=NoteSerializer, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(request, "resolve")

    @extend_schema(request=NoteSerializer, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._act(request, "dismiss")
