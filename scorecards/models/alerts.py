"""Action alerts (DESIGN §5): rules (a built-in kind with parameters, severity, tiers and
an escalation procedure), the alerts they raise on accounts, each alert's history of
events (raised, escalated, notified, acknowledged, resolved), and each user's choice of
e-mails. One open alert per (rule, account, subject): a partial unique index says so."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from accounts_app.models import Account
from core.scope import AccountOwnedQuerySet

from ..alerts.kinds import KINDS


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class EscalationProcedure(models.Model):
    """Ordered steps: after N hours unacknowledged, notify a role."""

    name = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.name


class EscalationStep(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Account owner"
        OWNER_MANAGER = "owner_manager", "The owner's manager"
        EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
        EXECUTIVES = "executives", "Executives"

    procedure = models.ForeignKey(
        EscalationProcedure, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField()
    after_hours = models.PositiveIntegerField(
        help_text="Hours after the alert was raised, if still unacknowledged.",
        validators=[MaxValueValidator(24 * 365)],
    )
    notify = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="one_step_per_position")
        ]

    def __str__(self):
        return f"{self.procedure}: after {self.after_hours} h, {self.get_notify_display()}"


class AlertRule(models.Model):
    kind = models.CharField(max_length=40, choices=[(k, v.label) for k, v in KINDS.items()])
    name = models.CharField(max_length=120, unique=True)
    parameters = models.JSONField(default=dict, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    active = models.BooleanField(default=True)
    tiers = models.ManyToManyField(
        "segmentation.Tier",
        blank=True,
        related_name="+",
        help_text="Only accounts of these tiers (none chosen: every account).",
    )
    procedure = models.ForeignKey(
        EscalationProcedure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def inactive_because(self) -> str | None:
        return KINDS[self.kind].inactive_because


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    LIVE = (Status.OPEN, Status.ACKNOWLEDGED)

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="alerts")
    subject_key = models.CharField(max_length=60, help_text="e.g. contact:12, tactic:7.")
    subject_label = models.CharField(max_length=200)
    description = models.TextField()
    numbers = models.JSONField(default=dict, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_alerts",
    )
    escalation_step = models.PositiveSmallIntegerField(
        default=0, help_text="How many steps of the procedure have been taken."
    )
    raised_at = models.DateTimeField()
    evaluated_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.TextField(blank=True)
    snoozed_until = models.DateField(
        null=True,
        blank=True,
        help_text="Out of the inbox and not escalated until this day (still live: it "
        "counts in health and the dashboards).",
    )

    objects = AccountOwnedQuerySet.at("account").as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "account", "subject_key"],
                condition=models.Q(status__in=["open", "acknowledged"]),
                name="one_live_alert_per_rule_account_subject",
            )
        ]
        indexes = [
            models.Index(fields=["status", "raised_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["account", "status"]),
            # The dashboards' counts and worst-first lists of live alerts, read from the
            # index alone (bench/README.md).
            models.Index(
                fields=["account", "status", "severity", "raised_at", "id"],
                condition=models.Q(status__in=("open", "acknowledged")),
                name="live_alerts_by_account",
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.account} ({self.subject_label})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @staticmethod
    def awake(today) -> models.Q:
        """Not snoozed on `today`: in the inbox, the navigation's count and escalation."""
        return models.Q(snoozed_until__isnull=True) | models.Q(snoozed_until__lte=today)

    @property
    def is_snoozed(self) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > timezone.localdate()


class AlertEvent(models.Model):
    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        UPDATED = "updated", "Updated"
        ESCALATED = "escalated", "Escalated"
        NOTIFIED = "notified", "Notified"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"
        AUTO_RESOLVED = "auto_resolved", "Resolved by itself"
        DISMISSED = "dismissed", "Dismissed"
        SNOOZED = "snoozed", "Snoozed"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        # The activity log reads the newest events first (insights.activity).
        indexes = [models.Index(fields=["-at", "-id"], name="alert_event_newest")]
        constraints = [
            # Each person is e-mailed once per escalation step, however often the job runs.
            models.UniqueConstraint(
                fields=["alert", "step", "user"],
                condition=models.Q(kind="notified"),
                name="one_notification_per_step_and_person",
            )
        ]

    def __str__(self):
        return f"{self.alert_id}: {self.get_kind_display()}"


class AlertPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    email_each = models.BooleanField(
        default=True, help_text="An e-mail for each alert you are notified of."
    )
    daily_digest = models.BooleanField(
        default=False, help_text="One e-mail a day with your open alerts."
    )
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"{self.user}'s alert e-mails"
