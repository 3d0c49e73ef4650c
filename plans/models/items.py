"""The editable items of a plan: knowledge points, SWOT, goals → strategies → tactics.

Each carries a `version` for optimistic locking, a history (django-simple-history) and
a soft delete (`deleted_at`) so a delete can be undone.
"""

from django.conf import settings
from django.db import models

from core.history import tracked
from core.scope import AccountOwnedQuerySet

from .plans import Plan


class PlanItem(models.Model):
    """What every editable item of a plan shares: text, place, version, soft delete."""

    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class KnowledgePoint(PlanItem):
    """A "point of relevancy": the customer's own goals, initiatives and challenges."""

    class Kind(models.TextChoices):
        GOAL = "goal", "Customer goal"
        INITIATIVE = "initiative", "Initiative"
        CHALLENGE = "challenge", "Challenge"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="knowledge_points")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GOAL)
    objects = AccountOwnedQuerySet.at("plan__account").as_manager()
    history = tracked()

    class Meta(PlanItem.Meta):
        indexes = [models.Index(fields=["plan", "position"])]


class SwotItem(PlanItem):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        WEAKNESS = "weakness", "Weakness"
        OPPORTUNITY = "opportunity", "Opportunity"
        THREAT = "threat", "Threat"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="swot_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    objects = AccountOwnedQuerySet.at("plan__account").as_manager()
    history = tracked()

    class Meta(PlanItem.Meta):
        indexes = [models.Index(fields=["plan", "kind", "position"])]


class Goal(PlanItem):
    """Our goal for the account, and the customer's goal it serves."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    customer_goal = models.ForeignKey(
        KnowledgePoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_by",
        limit_choices_to={"kind": KnowledgePoint.Kind.GOAL},
    )
    objects = AccountOwnedQuerySet.at("plan__account").as_manager()
    history = tracked()

    class Meta(PlanItem.Meta):
        indexes = [models.Index(fields=["plan", "position"])]


class Strategy(PlanItem):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    objects = AccountOwnedQuerySet.at("goal__plan__account").as_manager()
    history = tracked()

    class Meta(PlanItem.Meta):
        verbose_name_plural = "strategies"
        indexes = [models.Index(fields=["goal", "position"])]


class Tactic(PlanItem):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="tactics")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_tactics",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # The day it was marked done (kept by the services): "done on time" for account health.
    done_on = models.DateField(null=True, blank=True, editable=False)
    objects = AccountOwnedQuerySet.at("strategy__goal__plan__account").as_manager()
    history = tracked()

    class Meta(PlanItem.Meta):
        indexes = [models.Index(fields=["strategy", "position"])]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
