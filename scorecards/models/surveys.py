"""Voice of the customer: survey templates with their dimensions, rounds per account,
single-use invitations, customers' and the team's responses (scorecards/surveys.py)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts_app.models import Account
from core.scope import AccountOwnedQuerySet


class SurveyTemplate(models.Model):
    """A questionnaire: its dimensions are answered on a 1–5 scale, plus a comment."""

    name = models.CharField(max_length=100, unique=True)
    introduction = models.TextField(
        blank=True, help_text="Shown to the customer above the questions."
    )
    active = models.BooleanField(default=True)

    def __str__(self):
        return self.name


class SurveyDimension(models.Model):
    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.CASCADE, related_name="dimensions"
    )
    name = models.CharField(max_length=60)
    question = models.CharField(max_length=300, help_text="As the customer reads it.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="one_dimension_name")
        ]

    def __str__(self):
        return self.name


class SurveyRound(models.Model):
    """One survey of one account's customer contacts, with the team's predictions."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="survey_rounds")
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    expires_at = models.DateTimeField(help_text="The customers' links stop working then.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()

    class Meta:
        ordering = ["account", "-created_at"]

    def __str__(self):
        return f"{self.account}: {self.title}"


class SurveyInvitation(models.Model):
    """A customer contact's single-use link: only its SHA-256 is stored."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(
        "accounts_app.Contact", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "contact"], name="one_invitation_per_contact")
        ]

    def __str__(self):
        return f"{self.round}: {self.name}"


class SurveyResponse(models.Model):
    """A set of answers: a customer's (through an invitation, once) or a team member's
    prediction of how the customer will answer (one per member, changeable while open)."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        INTERNAL = "internal", "Team prediction"

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    invitation = models.OneToOneField(
        SurveyInvitation, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "kind", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(kind="internal"),
                name="one_prediction_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="customer", invitation__isnull=False)
                | models.Q(kind="internal", invitation__isnull=True),
                name="customer_responses_come_through_an_invitation",
            ),
        ]

    def __str__(self):
        return f"{self.round}: {self.get_kind_display()}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    dimension = models.ForeignKey(SurveyDimension, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "dimension"], name="one_answer_per_dimension"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="answer_from_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score}"
