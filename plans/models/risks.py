"""The account's risk register (DESIGN §13): what could make the customer leave or the
account shrink, how likely and how bad, who owns it and what is done about it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts_app.models import Account
from core.history import tracked
from core.scope import AccountOwnedQuerySet

from ..risk_register import risk_score

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(models.Model):
    class Category(models.TextChoices):
        RELATIONSHIP = "relationship", "Relationship"
        DELIVERY = "delivery", "Delivery"
        COMMERCIAL = "commercial", "Commercial"
        COMPETITIVE = "competitive", "Competitive"
        FINANCIAL = "financial", "Financial"
        ORGANISATIONAL = "organisational", "Organisational"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATING = "mitigating", "Mitigating"
        CLOSED = "closed", "Closed"

    # Still a risk: on the heat map, in the pack, able to raise the alert.
    LIVE = (Status.OPEN, Status.MITIGATING)

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    likelihood = models.PositiveSmallIntegerField(
        validators=ONE_TO_FIVE, help_text="1 rare … 5 almost certain"
    )
    impact = models.PositiveSmallIntegerField(
        validators=ONE_TO_FIVE, help_text="1 slight … 5 severe"
    )
    # Likelihood × impact, kept by save() so lists sort and the alert filters in SQL.
    score = models.PositiveSmallIntegerField(editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
        help_text="A member of the account team.",
    )
    mitigation = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["-score", "due_date", "id"]
        indexes = [models.Index(fields=["account", "status", "-score"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_scales_one_to_five",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.score = risk_score(self.likelihood, self.impact)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"likelihood", "impact"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "score"}
        super().save(*args, **kwargs)
