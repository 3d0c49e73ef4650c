"""The metric-based account plan (DESIGN §2, plans): one per account and fiscal year,
with knowledge points, financials, SWOT, goals → strategies → tactics, its life cycle
(draft → submitted → approved, or changes requested), coaching comments and the in-app
notifications they raise.

Every editable row carries a `version` (optimistic locking: a save names the version it
read and is refused if someone saved since) and a history kept by django-simple-history
(who, when, old and new values). Items are soft-deleted (`deleted_at`) so a delete can
be undone.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts_app.models import Account
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
    history = HistoricalRecords(excluded_fields=["quality", "quality_failing"])

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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

    class Meta(PlanItem.Meta):
        indexes = [models.Index(fields=["plan", "position"])]


class Strategy(PlanItem):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    objects = AccountOwnedQuerySet.at("goal__plan__account").as_manager()
    history = HistoricalRecords()

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
    history = HistoricalRecords()

    class Meta(PlanItem.Meta):
        indexes = [models.Index(fields=["strategy", "position"])]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


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
    history = HistoricalRecords()

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

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class GeneratedPack(models.Model):
    """A business-review pack as generated: an account's (internal or customer version,
    rendered in the request) or the executive portfolio pack (rendered by a Celery job,
    with its progress). Kept with who generated it and when; the PDF is stored in the
    database so any web node serves it (a pack is a few hundred kilobytes to a few
    megabytes). Downloads obey the account's permissions, the portfolio's those of
    executives."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal account pack"
        CUSTOMER = "customer", "Customer account pack"
        PORTFOLIO = "portfolio", "Executive portfolio pack"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Rendering"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="packs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "-created_at"]),
            models.Index(fields=["account", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.progress_done / self.progress_total)
