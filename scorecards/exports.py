"""The alerts as a file (DESIGN §10): the columns of `alerts/export/` and of the alerts
inbox's Export links (scorecards.views.alerts, with the inbox's own filters)."""

from django.db.models import QuerySet

from core.exports import Column, label, name_of

from .alerts.kinds import KINDS
from .models import Alert


def _kind(alert: Alert) -> str:
    kind = KINDS.get(alert.rule.kind)
    return kind.label if kind else alert.rule.kind


def alert_columns() -> list[Column]:
    return [
        Column("id", lambda a: a.pk),
        Column("account_id", lambda a: a.account_id),
        Column("account", lambda a: a.account.name),
        Column("rule_id", lambda a: a.rule_id),
        Column("rule", lambda a: a.rule.name),
        Column("kind", _kind),
        Column("subject", lambda a: a.subject_key),
        Column("subject_label", lambda a: a.subject_label),
        Column("severity", lambda a: label(a, "severity")),
        Column("status", lambda a: label(a, "status")),
        Column("assignee_id", lambda a: a.assignee_id),
        Column("assignee", lambda a: name_of(a.assignee)),
        Column("escalation_step", lambda a: a.escalation_step),
        Column("description", lambda a: a.description),
        Column("raised_at", lambda a: a.raised_at),
        Column("acknowledged_at", lambda a: a.acknowledged_at),
        Column("closed_at", lambda a: a.closed_at),
        Column("close_note", lambda a: a.close_note),
    ]


def alert_export_queryset(queryset: QuerySet[Alert]) -> QuerySet[Alert]:
    """What the columns read, joined (a constant number of queries for any rows)."""
    return queryset.select_related("account", "rule", "assignee")
