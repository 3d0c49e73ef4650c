"""Users, customer accounts, their people, our teams and the relationships between them."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.scope import AccountOwnedQuerySet


class User(AbstractUser):
    class Role(models.TextChoices):
        TEAM_MEMBER = "team_member", "Team member"
        MANAGER = "manager", "Manager"
        EXECUTIVE = "executive", "Executive"
        ADMIN = "admin", "Admin"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TEAM_MEMBER)
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="The user this person reports to; a manager coaches their reports' accounts.",
    )
    title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def clean(self):
        super().clean()
        if self.manager_id and self.pk and self.manager_id == self.pk:
            raise ValidationError({"manager": "A user cannot be their own manager."})
        # Walk up the chain: a loop would make "who coaches whom" undefined.
        seen = {self.pk}
        boss = self.manager
        while boss is not None:
            if boss.pk in seen:
                raise ValidationError({"manager": "This would create a reporting loop."})
            seen.add(boss.pk)
            boss = boss.manager

    @property
    def name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def sees_every_account(self) -> bool:
        return self.is_admin_role or self.role == self.Role.EXECUTIVE

    def __str__(self):
        return self.name


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", "Manufacturing"
    HEALTHCARE = "healthcare", "Healthcare"
    FINANCIAL = "financial_services", "Financial services"
    RETAIL = "retail", "Retail"
    ENERGY = "energy", "Energy & utilities"
    TECHNOLOGY = "technology", "Technology"
    TELECOM = "telecom", "Telecommunications"
    LOGISTICS = "logistics", "Transport & logistics"
    PUBLIC = "public_sector", "Public sector"
    PHARMA = "pharma", "Pharma & life sciences"
    CONSUMER = "consumer_goods", "Consumer goods"
    OTHER = "other", "Other"


class Region(models.TextChoices):
    NORTH_AMERICA = "north_america", "North America"
    LATIN_AMERICA = "latin_america", "Latin America"
    WESTERN_EUROPE = "western_europe", "Western Europe"
    CENTRAL_EUROPE = "central_europe", "Central & Eastern Europe"
    MIDDLE_EAST_AFRICA = "middle_east_africa", "Middle East & Africa"
    ASIA_PACIFIC = "asia_pacific", "Asia Pacific"


class LifecycleStage(models.TextChoices):
    ACQUISITION = "acquisition", "Acquisition"
    DEVELOPMENT = "development", "Development"
    MATURE = "mature", "Mature"
    AT_RISK = "at_risk", "At risk"
    DECLINING = "declining", "Declining"


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AccountQuerySet":
        """The accounts `user` may see (DESIGN §1): the single scope every view uses.

        Admins and executives see every account; anyone sees the accounts whose team
        they are on; a manager also sees the accounts of the people reporting to them.
        The team lookups start from the user (`pk IN (accounts of my memberships)`), so
        the database reads the user's few memberships instead of probing the team of
        every account.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_account:
            return self.all()
        condition = Q(pk__in=TeamMember.objects.filter(user=user).values("account_id"))
        if user.role == User.Role.MANAGER:
            condition |= Q(
                pk__in=TeamMember.objects.filter(user__manager=user).values("account_id")
            )
        return self.filter(condition)


class Account(models.Model):
    name = models.CharField(max_length=200, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The global account this one belongs to, if any.",
    )
    industry = models.CharField(max_length=40, choices=Industry.choices, db_index=True)
    region = models.CharField(max_length=40, choices=Region.choices, db_index=True)
    lifecycle_stage = models.CharField(
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.DEVELOPMENT,
        db_index=True,
    )
    annual_revenue = models.DecimalField(
        "annual revenue with us (trailing 12 months)",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    wallet_estimate = models.DecimalField(
        "wallet estimate",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The customer's total annual spend in our category.",
    )
    gross_margin_pct = models.DecimalField(
        "gross margin %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    strategic_value = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (low) to 5 (critical to our strategy).",
    )
    strategic_value_reason = models.TextField(blank=True)
    owner = models.ForeignKey(
        User, on_delete=models.SET_NULL, related_name="owned_accounts", null=True, blank=True
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    archived = models.BooleanField(default=False)
    # The newest snapshot, kept by the snapshot job: dashboards join it instead of
    # looking for each account's latest row.
    latest_snapshot = models.ForeignKey(
        "AccountSnapshot",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(strategic_value__gte=1) & Q(strategic_value__lte=5),
                name="account_strategic_value_1_5",
            ),
            models.CheckConstraint(
                condition=Q(gross_margin_pct__isnull=True)
                | (Q(gross_margin_pct__gte=0) & Q(gross_margin_pct__lte=100)),
                name="account_margin_pct_0_100",
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue__gte=0), name="account_revenue_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="account_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            seen = {self.pk}
            node = self.parent
            while node is not None:
                if node.pk in seen:
                    raise ValidationError(
                        {
                            "parent": "An account cannot be its own parent, "
                            "directly or through others."
                        }
                    )
                seen.add(node.pk)
                node = node.parent

    # The two rules of change (DESIGN §1); `objects.visible_to` is the rule of sight.
    def editable_by(self, user) -> bool:
        """Admins, and the account's team, change the account and what hangs off it."""
        if not _active(user):
            return False
        return user.is_admin_role or self.team_members.filter(user=user).exists()

    def roster_editable_by(self, user) -> bool:
        """The team roster is the account owner's (and an admin's) to change."""
        if not _active(user):
            return False
        return (
            user.is_admin_role
            or self.team_members.filter(user=user, role=TeamMember.Role.OWNER).exists()
        )

    @property
    def share_of_wallet_pct(self) -> Decimal | None:
        if not self.wallet_estimate:
            return None
        return (self.annual_revenue / self.wallet_estimate * 100).quantize(Decimal("0.1"))


class BusinessUnit(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="business_units")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()

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
    updated_at = models.DateTimeField(auto_now=True)

    LEVEL_ORDER = {Level.EXECUTIVE: 0, Level.SENIOR: 1, Level.MIDDLE: 2, Level.OPERATIONAL: 3}

    objects = AccountOwnedQuerySet.at("account").as_manager()

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

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.SALES)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()

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
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="relationships")
    strength = models.PositiveSmallIntegerField(choices=Strength.choices, default=Strength.NONE)
    target_strength = models.PositiveSmallIntegerField(
        choices=Strength.choices, null=True, blank=True
    )
    last_interaction = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountOwnedQuerySet.at("contact__account").as_manager()

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


EARLIEST_INTERACTION = date(1990, 1, 1)


class Interaction(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        EVENT = "event", "Event"

    # No index of its own: the (account, -date) index leads with it.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETING)
    date = models.DateField()
    subject = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    contacts = models.ManyToManyField(Contact, related_name="interactions")
    team_users = models.ManyToManyField(
        User, related_name="interactions", help_text="Who from our side took part."
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountOwnedQuerySet.at("account").as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["account", "-date"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "An interaction cannot be in the future."})
        if self.date and self.date < EARLIEST_INTERACTION:
            raise ValidationError(
                {"date": f"An interaction before {EARLIEST_INTERACTION:%Y} is surely a typo."}
            )


class AccountSnapshot(models.Model):
    """Per-account figures computed by the snapshot job, one row per account and day."""

    # No index of its own: the unique (account, date) constraint leads with it.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="snapshots", db_index=False
    )
    date = models.DateField()
    contact_count = models.PositiveIntegerField(default=0)
    relationship_count = models.PositiveIntegerField(default=0)
    business_unit_count = models.PositiveIntegerField(default=0)
    team_size = models.PositiveIntegerField(default=0)
    last_interaction = models.DateField(null=True, blank=True)
    # The Relationship Penetration Index (DESIGN §3) and its parts, as percentages with
    # one decimal; empty in rows written before the index existed.
    rpi = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rpi_high = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rpi_wide = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rpi_deep = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    gap_count = models.PositiveIntegerField(default=0)
    # What the recompute job adds (scorecards.recompute): the scorecard score, the
    # customer survey, plan execution, engagement and account health with its parts
    # (DESIGN §3), the open pipeline and the current plan. Empty where not measured.
    scorecard_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    survey_mean = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    plan_execution = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    engagement = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    health = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    health_band = models.CharField(max_length=5, blank=True)
    health_components = models.JSONField(default=dict, blank=True)
    pipeline_open_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    pipeline_weighted = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    opportunities_open = models.PositiveIntegerField(default=0)
    opportunities_qualified = models.PositiveIntegerField(default=0)
    opportunities_needs_work = models.PositiveIntegerField(default=0)
    opportunities_unqualified = models.PositiveIntegerField(default=0)
    opportunities_stalled = models.PositiveIntegerField(default=0)
    plan_status = models.CharField(max_length=20, blank=True)
    plan_quality = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    tactics_overdue = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    objects = AccountOwnedQuerySet.at("account").as_manager()

    class Meta:
        ordering = ["account", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["account", "date"], name="snapshot_one_per_day")
        ]

    def __str__(self):
        return f"{self.account} on {self.date}"

    @property
    def plan_status_label(self) -> str:
        """ "Changes requested" for changes_requested (the plan's status, for display)."""
        return self.plan_status.replace("_", " ").capitalize()
