"""Opportunities (DESIGN §2): the pipeline per account with admin-configurable stages,
objective qualification against admin-configurable criteria, the customer's ROI and our
return on effort (opportunities/formulas.py), the stage and score histories, and the
whitespace matrix (product lines × the account's business units)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts_app.models import Account, BusinessUnit
from core.history import tracked
from core.scope import AccountOwnedQuerySet

MONEY = [MinValueValidator(Decimal(0))]
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Stage(models.Model):
    """A pipeline stage in order, with its default probability and how long an
    opportunity may stay in it before it counts as stalled."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(unique=True)
    default_probability = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    stall_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Flag an opportunity untouched in this stage this long."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name


class ProductLine(models.Model):
    """The admin-managed catalogue: the rows of the whitespace matrix."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Competitor(models.Model):
    """The admin-kept catalogue of competitors (DESIGN §13): what presences at accounts
    and lost opportunities name."""

    name = models.CharField(max_length=120, unique=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="Retired: no longer offered.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class QualificationCriterion(models.Model):
    text = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(1), validators=MONEY
    )
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "qualification criteria"

    def __str__(self):
        return self.text


class Opportunity(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", "New business"
        RENEWAL = "renewal", "Renewal"

    # What a person enters (forms, API, services); the rest is derived or bookkeeping.
    INPUT_FIELDS = (
        "name",
        "kind",
        "value",
        "stage",
        "probability",
        "close_date",
        "owner",
        "product_line",
        "business_unit",
        "effort_hours",
        "gross_margin_pct",
        "customer_annual_benefit",
        "customer_investment",
        "horizon_years",
        "lost_to",
        "no_decision",
        "loss_reason",
    )

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="opportunities")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NEW)
    # The record's key in the system it came from (CRM id): imports match rows by it.
    external_id = models.CharField(
        "external id",
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="Its id in the system it was imported from (e.g. a Salesforce Id).",
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=MONEY)
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="opportunities")
    probability = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    close_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    product_line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    business_unit = models.ForeignKey(
        BusinessUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    effort_hours = models.DecimalField(
        max_digits=8, decimal_places=1, null=True, blank=True, validators=MONEY
    )
    gross_margin_pct = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    customer_annual_benefit = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    customer_investment = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    horizon_years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    # Why a lost opportunity was lost (DESIGN §13): to a competitor, or to no decision,
    # and in words; required when it moves to a lost stage (the services).
    lost_to = models.ForeignKey(
        Competitor, null=True, blank=True, on_delete=models.PROTECT, related_name="wins"
    )
    no_decision = models.BooleanField(
        default=False, help_text="Lost to no decision: the customer bought nothing."
    )
    loss_reason = models.TextField(blank=True)
    # Kept current by the services so lists sort and filter by them in SQL.
    qualification_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    # Deleting archives (DESIGN §11): out of lists and figures, back whole by restore.
    archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    weighted_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    roe = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    stage_changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked(excluded=["qualification_score", "weighted_value", "roe"])

    class Meta:
        ordering = ["account", "-updated_at"]
        verbose_name_plural = "opportunities"
        # The pipeline's sort indexes, (roe DESC NULLS LAST, id DESC) overall and per
        # stage, are made by migration 0003: SQLite cannot say NULLS LAST in an index.
        indexes = [models.Index(fields=["account", "stage"])]

    def __str__(self):
        return self.name


class CompetitorPresence(models.Model):
    """A competitor present at an account, optionally in one business unit and product
    line (the whitespace cell then names it as the incumbent)."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="competitor_presences"
    )
    competitor = models.ForeignKey(Competitor, on_delete=models.PROTECT, related_name="presences")
    business_unit = models.ForeignKey(
        BusinessUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        # The same competitor twice in one place is refused by the service (a unique
        # constraint would let NULL units and lines repeat on every database but one).
        ordering = ["competitor__name", "id"]

    def __str__(self):
        return f"{self.competitor} at {self.account}"


class QualificationAnswer(models.Model):
    class Answer(models.IntegerChoices):
        NO = 0, "No / unknown"
        PARTLY = 1, "Partly"
        YES = 2, "Yes"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        QualificationCriterion, on_delete=models.CASCADE, related_name="answers"
    )
    answer = models.PositiveSmallIntegerField(choices=Answer.choices)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("opportunity__account").as_manager()
    history = tracked()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "criterion"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.get_answer_display()}"


class ScoreChange(models.Model):
    """The history of an opportunity's qualification score."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="score_history"
    )
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.opportunity}: {self.score}"


class StageChange(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_history"
    )
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, null=True, on_delete=models.SET_NULL, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.opportunity}: {self.from_stage} → {self.to_stage}"


class WhitespaceCell(models.Model):
    """What the team records about one cell of the matrix: sold (with revenue) or not
    applicable. Open opportunities are read from the pipeline; an empty cell is
    whitespace."""

    class State(models.TextChoices):
        SOLD = "sold", "Sold"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    product_line = models.ForeignKey(ProductLine, on_delete=models.CASCADE, related_name="+")
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices)
    revenue = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "product_line", "business_unit"], name="one_whitespace_cell"
            )
        ]

    def __str__(self):
        return f"{self.product_line} × {self.business_unit}: {self.get_state_display()}"


# Contracts open renewal opportunities: defined after Opportunity, in a module of its own.
from .contracts import Contract as Contract  # noqa: E402
