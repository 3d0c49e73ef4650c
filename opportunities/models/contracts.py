"""Contracts with an account and their renewal (DESIGN §13): the term, the annual value,
the notice to give, and the renewal opportunity opened before the end."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models

from accounts_app.models import Account
from core.history import tracked
from core.scope import AccountOwnedQuerySet

from . import MONEY, Opportunity


class Contract(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RENEWED = "renewed", "Renewed"
        ENDED = "ended", "Ended"
        CANCELLED = "cancelled", "Cancelled"

    INPUT_FIELDS = (
        "name",
        "annual_value",
        "start_date",
        "end_date",
        "auto_renew",
        "notice_days",
        "status",
    )

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contracts")
    name = models.CharField(max_length=200)
    annual_value = models.DecimalField(max_digits=14, decimal_places=2, validators=MONEY)
    start_date = models.DateField()
    end_date = models.DateField()
    auto_renew = models.BooleanField(default=False)
    notice_days = models.PositiveIntegerField(
        default=90, help_text="Days before the end by which notice must be given."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Opened by the renewal job STRATA_RENEWAL_LEAD_DAYS before the end, once per term.
    renewal_opportunity = models.OneToOneField(
        Opportunity,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="renews",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["end_date", "id"]
        indexes = [models.Index(fields=["status", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="contract_ends_after_it_starts",
                violation_error_message="The end comes after the start.",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.start_date and self.end_date:
            if self.end_date <= self.start_date:
                raise ValidationError({"end_date": "The end comes after the start."})
            term = (self.end_date - self.start_date).days
            if self.notice_days is not None and self.notice_days > term:
                raise ValidationError(
                    {
                        "notice_days": f"The notice ({self.notice_days} days) is longer than the "
                        f"term ({term} days)."
                    }
                )

    @property
    def notice_by(self):
        """The last day to give notice."""
        return self.end_date - timedelta(days=self.notice_days)
