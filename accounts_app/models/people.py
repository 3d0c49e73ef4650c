"""What hangs off an account: its business units and contacts (the customer's people),
our team on it, and the relationships between the two."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.history import tracked
from core.scope import AccountOwnedQuerySet

from .accounts import Account
from .users import User


class BusinessUnit(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="business_units")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Deleting archives (DESIGN §11): out of lists and figures, back whole by restore.
    archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        User, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="business_unit_unique_name")
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    class Level(models.TextChoices):
        EXECUTIVE = "executive", "Executive"
        SENIOR = "senior", "Senior"
        MIDDLE = "middle", "Middle"
        OPERATIONAL = "operational", "Operational"

    class BuyingRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", "Decision maker"
        RECOMMENDER = "recommender", "Recommender"
        INFLUENCER = "influencer", "Influencer"
        USER = "user", "User"
        NONE = "none", "None"

    class Attitude(models.TextChoices):
        CHAMPION = "champion", "Champion"
        SUPPORTER = "supporter", "Supporter"
        NEUTRAL = "neutral", "Neutral"
        DETRACTOR = "detractor", "Detractor"
        UNKNOWN = "unknown", "Unknown"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    # The record's key in the system it came from (CRM id): imports match rows by it.
    external_id = models.CharField(
        "external id",
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="Its id in the system it was imported from (e.g. a Salesforce Id).",
    )
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    business_unit = models.ForeignKey(
        BusinessUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.MIDDLE)
    buying_role = models.CharField(
        max_length=20, choices=BuyingRole.choices, default=BuyingRole.NONE
    )
    attitude = models.CharField(max_length=20, choices=Attitude.choices, default=Attitude.UNKNOWN)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleting archives (DESIGN §11): out of lists and figures, back whole by restore.
    archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        User, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    LEVEL_ORDER = {Level.EXECUTIVE: 0, Level.SENIOR: 1, Level.MIDDLE: 2, Level.OPERATIONAL: 3}

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["account", "name"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.business_unit_id and self.business_unit.account_id != self.account_id:
            errors["business_unit"] = "Choose a business unit of this contact's account."
        if self.reports_to_id:
            if self.reports_to_id == self.pk:
                errors["reports_to"] = "A contact cannot report to themselves."
            elif self.reports_to.account_id != self.account_id:
                errors["reports_to"] = "Choose a contact of the same account."
            else:
                seen = {self.pk}
                node = self.reports_to
                while node is not None:
                    if node.pk in seen:
                        errors["reports_to"] = "This would create a reporting loop."
                        break
                    seen.add(node.pk)
                    node = node.reports_to
        if errors:
            raise ValidationError(errors)


class TeamMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Account owner"
        EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
        SALES = "sales", "Sales"
        SERVICE = "service", "Service"
        TECHNICAL = "technical", "Technical"
        FINANCE = "finance", "Finance"
        OTHER = "other", "Other"

    # The executive sponsor's seat is for oversight: whoever holds it sees the account,
    # comments on its plan and is told of its escalated alerts, but changes nothing
    # through it (docs/decisions.md). Every other seat changes the account.
    READ_ONLY_ROLES = (Role.EXECUTIVE_SPONSOR,)

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team_members")
    # People leave, their work stays (DESIGN §11): a user is deactivated, never deleted.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="team_memberships")
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.SALES)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["account", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="team_member_unique_user"),
            models.UniqueConstraint(
                fields=["account"], condition=Q(role="owner"), name="team_member_one_owner"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) on {self.account}"


class Relationship(models.Model):
    class Strength(models.IntegerChoices):
        NONE = 0, "None"
        ACQUAINTED = 1, "Acquainted"
        TRANSACTIONAL = 2, "Transactional"
        TRUSTED = 3, "Trusted"
        TRUSTED_ADVISOR = 4, "Trusted advisor"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="relationships")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="relationships")
    strength = models.PositiveSmallIntegerField(choices=Strength.choices, default=Strength.NONE)
    target_strength = models.PositiveSmallIntegerField(
        choices=Strength.choices, null=True, blank=True
    )
    last_interaction = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("contact__account").as_manager()
    history = tracked()

    class Meta:
        ordering = ["contact", "user"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "user"], name="relationship_unique_pair"),
            models.CheckConstraint(condition=Q(strength__lte=4), name="relationship_strength_0_4"),
            models.CheckConstraint(
                condition=Q(target_strength__isnull=True) | Q(target_strength__lte=4),
                name="relationship_target_0_4",
            ),
        ]

    def __str__(self):
        return f"{self.user} ↔ {self.contact}: {self.get_strength_display()}"

    def clean(self):
        super().clean()
        if self.last_interaction and self.last_interaction > timezone.localdate():
            raise ValidationError(
                {"last_interaction": "The last interaction cannot be in the future."}
            )
        if self.contact_id and self.user_id:
            on_team = TeamMember.objects.filter(
                account_id=self.contact.account_id, user_id=self.user_id
            ).exists()
            if not on_team:
                raise ValidationError(
                    {"user": "Only members of the account team can hold a relationship."}
                )
