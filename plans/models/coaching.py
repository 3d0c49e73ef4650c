"""Coaching: the steps of a plan's life cycle, comments on its sections and the in-app
notifications they raise."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.scope import AccountOwnedQuerySet

from .plans import Plan


class PlanTransition(models.Model):
    """One step of the plan's life cycle, with who, when and the comment."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Plan.Status.choices)
    to_status = models.CharField(max_length=20, choices=Plan.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.plan}: {self.from_status} → {self.to_status}"


class PlanComment(models.Model):
    """A coaching comment on a section of the plan; replies thread under their parent."""

    class Section(models.TextChoices):
        GENERAL = "general", "The plan as a whole"
        OVERVIEW = "overview", "Overview"
        KNOWLEDGE = "knowledge", "Knowledge points"
        FINANCIALS = "financials", "Financials"
        SWOT = "swot", "Strengths, weaknesses, opportunities, threats"
        GOALS = "goals", "Goals, strategies and tactics"
        ALIGNMENT = "alignment", "Team alignment"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=20, choices=Section.choices, default=Section.GENERAL)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountOwnedQuerySet.at("plan__account").as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["plan", "resolved"])]

    def __str__(self):
        return self.text[:60]


class Notification(models.Model):
    """An in-app notification: a comment on a plan of yours, a transition of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(PlanComment, null=True, blank=True, on_delete=models.CASCADE)
    transition = models.ForeignKey(PlanTransition, null=True, blank=True, on_delete=models.CASCADE)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = AccountOwnedQuerySet.at("plan__account").as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "read_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self):
        return self.text
