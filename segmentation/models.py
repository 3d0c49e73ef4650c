"""The segmentation model (criteria and weights, tiers with their servicing models),
tier assignments with their history, manager overrides and segmentation runs."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts_app.models import Account, TeamMember
from core.scope import AccountOwnedQuerySet

from .scoring import CRITERIA

CRITERION_LABELS = {
    "revenue": "Revenue",
    "growth": "Growth potential",
    "margin": "Margin",
    "lifetime_value": "Lifetime value",
    "strategic": "Strategic value",
}
CRITERION_CHOICES = [(key, CRITERION_LABELS[key]) for key in CRITERIA]
SCORE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Criterion(models.Model):
    key = models.CharField(max_length=20, choices=CRITERION_CHOICES, unique=True)
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "criteria"

    def __str__(self):
        return f"{self.get_key_display()} × {self.weight}"


class Tier(models.Model):
    """A tier in rank order (1 first) with the servicing model its accounts get."""

    # What a tier says besides its name, place, rule and cap.
    SERVICING_FIELDS = (
        "description",
        "plan_required",
        "external_review_days",
        "internal_review_days",
        "required_team_roles",
        "rpi_target",
        "service_level",
    )

    name = models.CharField(max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True)
    description = models.CharField(max_length=200, blank=True)
    cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="At most this many accounts; the excess drops a tier."
    )
    plan_required = models.BooleanField(default=False)
    external_review_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="External business review every N days."
    )
    internal_review_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Internal account review every N days."
    )
    required_team_roles = models.JSONField(
        default=list, blank=True, help_text="Team roles every account of the tier needs."
    )
    rpi_target = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    service_level = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self):
        return self.name

    @property
    def required_role_labels(self) -> list[str]:
        labels = dict(TeamMember.Role.choices)
        return [labels.get(role, role) for role in self.required_team_roles]


class TierCondition(models.Model):
    """One OR-joined condition of a tier: criterion score ≥ threshold."""

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="conditions")
    criterion = models.CharField(max_length=20, choices=CRITERION_CHOICES)
    threshold = models.DecimalField(max_digits=5, decimal_places=2, validators=SCORE)

    class Meta:
        ordering = ["tier", "id"]

    def __str__(self):
        return f"{self.get_criterion_display()} ≥ {self.threshold}"


class SegmentationSettings(models.Model):
    """One row: how runs behave."""

    expected_years = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    scheduled_apply = models.BooleanField(
        default=False, help_text="The nightly run applies its changes, not only lists them."
    )

    class Meta:
        verbose_name_plural = "segmentation settings"

    def __str__(self):
        return "Segmentation settings"

    @classmethod
    def load(cls) -> "SegmentationSettings":
        return cls.objects.get_or_create(pk=1)[0]


class TierAssignment(models.Model):
    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="tier_assignment"
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="assignments")
    scores = models.JSONField(default=dict)
    # Empty until a run scores the account (an override can place it before any run).
    composite = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    capped = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    pin_reason = models.TextField(blank=True)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.account} in {self.tier}"


class TierChange(models.Model):
    """The history of an account's tier: every change, by a run or an override."""

    class Cause(models.TextChoices):
        RUN = "run", "Segmentation run"
        OVERRIDE = "override", "Override"
        UNPIN = "unpin", "Override removed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_tier = models.ForeignKey(Tier, null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    cause = models.CharField(max_length=20, choices=Cause.choices)
    reason = models.TextField(blank=True)
    run = models.ForeignKey(
        "SegmentationRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["account", "-at"]),
            # The activity log reads the newest changes first (insights.activity).
            models.Index(fields=["-at", "-id"], name="tier_change_newest"),
        ]

    def __str__(self):
        return f"{self.account}: {self.from_tier} → {self.to_tier}"


class SegmentationRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    dry_run = models.BooleanField(default=True)
    scheduled = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        kind = "dry run" if self.dry_run else "run"
        return f"Segmentation {kind} #{self.pk} ({self.get_status_display()})"
