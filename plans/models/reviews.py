"""Business reviews of an account and the action items agreed at them."""

from django.conf import settings
from django.db import models

from accounts_app.models import Account
from core.history import tracked
from core.scope import AccountOwnedQuerySet

from .items import Tactic


class BusinessReview(models.Model):
    """An internal or external business review of the account: when it is scheduled and
    when it was held, who attended (team and customer), the agenda, outcomes and
    decisions, the customer's feedback, and its action items. The tier's cadence of
    held reviews gives the next one due (plans/reviews.py)."""

    class Kind(models.TextChoices):
        EXTERNAL = "external", "External (with the customer)"
        INTERNAL = "internal", "Internal"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EXTERNAL)
    title = models.CharField(max_length=200)
    scheduled_for = models.DateField()
    held_on = models.DateField(
        null=True, blank=True, help_text="Empty until the review has taken place."
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="business_reviews"
    )
    customer_attendees = models.ManyToManyField(
        "accounts_app.Contact", blank=True, related_name="business_reviews"
    )
    agenda = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    customer_feedback = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [
            models.Index(fields=["account", "kind", "held_on"]),
            models.Index(fields=["account", "scheduled_for"]),
        ]

    def __str__(self):
        return f"{self.account}: {self.title}"

    @property
    def held(self) -> bool:
        return self.held_on is not None


class ReviewActionItem(models.Model):
    """Something agreed at a review: who does it by when. The team can turn it into a
    tactic of the account's plan (`tactic`), after which the plan tracks it."""

    review = models.ForeignKey(BusinessReview, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    # Shown across the table (the customer pack) or kept to ourselves.
    agreed_with_customer = models.BooleanField(default=True)
    tactic = models.OneToOneField(
        Tactic, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_action"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountOwnedQuerySet.at("review__account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]
