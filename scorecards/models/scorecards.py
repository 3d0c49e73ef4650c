"""Scorecards (DESIGN §2): the metric library, each account's scorecards per period
with weights, targets and actuals, and the weights of account health. The formulas are
in scorecards/formulas.py; the stored attainment and score are kept current by the
services so lists and dashboards read them without computing."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts_app.models import Account
from core.history import tracked
from core.scope import AccountOwnedQuerySet

WEIGHT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Metric(models.Model):
    """A measure an account team may put on a scorecard (admin-managed)."""

    class Perspective(models.TextChoices):
        FINANCIAL = "financial", "Financial"
        CUSTOMER = "customer", "Customer"
        INTERNAL = "internal_process", "Internal process"
        LEARNING = "learning_growth", "Learning & growth"

    class Kind(models.TextChoices):
        LEADING = "leading", "Leading"
        LAGGING = "lagging", "Lagging"

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. €, %, days, count.")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    higher_is_better = models.BooleanField(
        default=True, help_text="Off for measures such as open escalations or days late."
    )
    joint = models.BooleanField(
        default=False, help_text="Agreed with the customer (shown in the customer's pack)."
    )
    may_be_negative = models.BooleanField(
        default=False,
        help_text="On for measures where a value below zero is real, such as a Net Promoter "
        "Score (−100 to 100); off, a negative target or actual is refused.",
    )
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Scorecard(models.Model):
    """One account's scorecard for one period (a month or a quarter)."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="scorecards")
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.QUARTERLY)
    period_start = models.DateField(help_text="The first day of the month or quarter.")
    # 100 · weighted mean of min(attainment, 1) over the measured lines; kept by services.
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked(excluded=["score"])

    class Meta:
        ordering = ["account", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "cadence", "period_start"], name="one_scorecard_per_period"
            )
        ]

    def __str__(self):
        return f"{self.account} {self.period_start:%Y-%m}"


class ScorecardLine(models.Model):
    """A metric on a scorecard: its weight, target and actual, and the attainment."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="lines")
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1, validators=WEIGHT)
    target = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    attainment = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("scorecard__account").as_manager()
    history = tracked(excluded=["attainment"])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "metric"], name="one_line_per_metric")
        ]

    def __str__(self):
        return f"{self.scorecard}: {self.metric}"


class HealthWeights(models.Model):
    """The weights of account health's components (DESIGN §3), one row, admin-edited."""

    rpi = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.25"), validators=WEIGHT
    )
    scorecard = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.25"), validators=WEIGHT
    )
    survey = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.20"), validators=WEIGHT
    )
    plan_execution = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.15"), validators=WEIGHT
    )
    engagement = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.15"), validators=WEIGHT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "account health weights"
        verbose_name_plural = "account health weights"

    COMPONENTS = ("rpi", "scorecard", "survey", "plan_execution", "engagement")

    def __str__(self):
        return "Account health weights"

    def clean(self):
        if not any(getattr(self, key) for key in self.COMPONENTS):
            raise ValidationError("Give at least one component a weight above 0.")

    def as_dict(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key in self.COMPONENTS}

    @classmethod
    def current(cls) -> "HealthWeights":
        """The stored weights, or the defaults of DESIGN §3 (unsaved) where none are."""
        return cls.objects.order_by("pk").first() or cls()


class PortfolioSnapshot(models.Model):
    """The portfolio's aggregates by tier for a day, precomputed by the dashboard job
    (the executive dashboard reads them; their history is its trend)."""

    date = models.DateField(unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"Portfolio on {self.date}"
