"""The API of action alerts: the rules (admins change them) and the alerts of the
accounts the caller may see, with acknowledge, resolve and dismiss."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ID_REGEX, ExportMixin, IsAdminRoleOrReadOnly
from core.filters import IdFilter

from ..alerts import services as alert_services
from ..alerts.services import rule_check
from ..exports import alert_columns, alert_export_queryset
from ..models import Alert, AlertRule


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
            "snoozed_until",
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


class SnoozeSerializer(serializers.Serializer):
    until = serializers.DateField(allow_null=True, help_text="null wakes the alert now.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BulkSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=alert_services.BULK_MAX,
    )
    action = serializers.ChoiceField(choices=alert_services.ACTIONS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SkippedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    skipped = SkippedSerializer(many=True)


class AlertViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    """Alerts of the accounts you may see. POST `acknowledge/` (stops escalation),
    `resolve/` or `dismiss/` (both with a `note`), `snooze/` (`until` a day; null wakes
    it): the account team, the people it was escalated to, and managers of the account;
    others who may see it get 403. POST `bulk/` acts on many at once and says which it
    left as they were, and why."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    lookup_value_regex = ID_REGEX
    export_name = "alerts"

    def export_columns(self):
        return alert_columns()

    def export_queryset(self, queryset):
        return alert_export_queryset(queryset)

    def get_queryset(self):
        return (
            alert_services.alert_list(user=self.request.user)
            .select_related("rule")
            .order_by("-raised_at", "-id")
        )

    def _actionable(self, request) -> Alert:
        alert = self.get_object()
        if not alert_services.can_act(user=request.user, alert=alert):
            raise exceptions.PermissionDenied(
                "Only the account team and those alerted act on this alert."
            )
        return alert

    def _act(self, request, action):
        alert = self._actionable(request)
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

    @extend_schema(request=SnoozeSerializer, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def snooze(self, request, pk=None):
        alert = self._actionable(request)
        body = SnoozeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert = alert_services.alert_snooze(
            alert=alert,
            by=request.user,
            until=body.validated_data["until"],
            note=body.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(alert).data)

    @extend_schema(request=BulkSerializer, responses={200: BulkResultSerializer})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        body = BulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = alert_services.alerts_bulk(user=request.user, **body.validated_data)
        return Response({"done": result.done, "skipped": result.skipped})
