"""Revenue per account per month (DESIGN §13): entered, imported or from the API."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from core.history import tracked
from core.scope import AccountOwnedQuerySet

from .accounts import Account

NEGATIVE = "Revenue cannot be negative: enter 0 for a month without any."
NOT_REMOVED = "A recorded month is corrected, not removed: enter 0 if there was no revenue."


class RevenueEntry(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="revenue_entries")
    month = models.DateField(help_text="The first day of the month the revenue was booked in.")
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0), message=NEGATIVE)],
    )

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["account", "month"]
        verbose_name_plural = "revenue entries"
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="revenue_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="revenue_month_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.account} {self.month:%Y-%m}: {self.amount}"

    def clean(self):
        super().clean()
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Give the month (YYYY-MM)."})
        # The running month is recorded as it goes; a month that has not begun has no
        # revenue yet (every writer: the Revenue tab, the API, imports).
        today = timezone.localdate()
        if self.month and (self.month.year, self.month.month) > (today.year, today.month):
            raise ValidationError(
                {"month": f"{self.month:%B %Y} has not begun: record it once it has."}
            )
