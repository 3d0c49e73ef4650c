"""The plan itself: one per account and fiscal year, its life cycle status, overview
and financials (revenue actuals per quarter, the target, the wallet), and its stored
quality score."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts_app.models import Account
from core.history import tracked
from core.scope import AccountOwnedQuerySet

MONEY = [MinValueValidator(Decimal(0))]
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="plans")
    period = models.PositiveSmallIntegerField(help_text="The fiscal year, by the year it ends in.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    overview = models.TextField(blank=True)
    # Financials: revenue actuals per quarter of the fiscal year, the target, the wallet.
    revenue_q1 = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    revenue_q2 = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    revenue_q3 = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    revenue_q4 = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    revenue_target = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    wallet_estimate = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    margin_target_pct = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Plan quality as last computed (after each change, and nightly for freshness), so
    # the list of plans sorts and filters by it; the plan page computes it live.
    quality = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    quality_failing = models.JSONField(default=list, blank=True)
    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked(excluded=["quality", "quality_failing"])

    class Meta:
        ordering = ["account", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="plan_one_per_period")
        ]

    def __str__(self):
        return f"{self.account} FY{self.period}"

    @property
    def label(self) -> str:
        return f"FY{self.period}"

    @property
    def read_only(self) -> bool:
        return self.status == self.Status.APPROVED
