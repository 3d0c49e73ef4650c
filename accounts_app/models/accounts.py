"""Customer accounts: what we sell to, who may see them, and who may change them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.history import tracked
from core.lookups import IdArray
from core.request_memo import read_once

from .lists import Industry, Region
from .users import User


class LifecycleStage(models.TextChoices):
    ACQUISITION = "acquisition", "Acquisition"
    DEVELOPMENT = "development", "Development"
    MATURE = "mature", "Mature"
    AT_RISK = "at_risk", "At risk"
    DECLINING = "declining", "Declining"


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _visible_ids(user) -> IdArray:
    """The ids of the accounts whose team `user` (or, for a manager, one of their
    reports) is on, read from the teams by the index of their users."""
    from .people import TeamMember

    users = [user.pk]
    if user.role == User.Role.MANAGER:
        users += User.objects.filter(manager=user).values_list("pk", flat=True)
    return IdArray(
        TeamMember.objects.filter(user_id__any_of=users)
        .order_by()
        .values_list("account_id", flat=True)
        .distinct()
    )


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AccountQuerySet":
        """The accounts `user` may see (DESIGN §1): the single scope every view uses.

        Admins and executives see every account; anyone sees the accounts whose team
        they are on; a manager also sees the accounts of the people reporting to them.
        The team lookups start from the user (`pk IN (accounts of my memberships)`), so
        the database reads the user's few memberships instead of probing the team of
        every account. Within a GET request the ids are read once (from the teams,
        each part through its index) and bound as one array (core.request_memo).
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_account:
            return self.all()
        from .people import TeamMember  # people.py imports Account from here

        condition = Q(pk__in=TeamMember.objects.filter(user=user).values("account_id"))
        if user.role == User.Role.MANAGER:
            condition |= Q(
                pk__in=TeamMember.objects.filter(user__manager=user).values("account_id")
            )
        ids = read_once(("visible_account_ids", user.pk), lambda: _visible_ids(user))
        if ids is not None:
            return self.filter(pk__any_of=ids)
        return self.filter(condition)


class Account(models.Model):
    name = models.CharField(max_length=200, db_index=True)
    # The record's key in the system it came from (CRM id): imports match rows by it.
    external_id = models.CharField(
        "external id",
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="Its id in the system it was imported from (e.g. a Salesforce Id).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The global account this one belongs to, if any.",
    )
    # The organisation's own lists (lists.py); an entry in use cannot be deleted.
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="accounts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="accounts")
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
    # Deleting an account archives it (DESIGN §11): it leaves lists, dashboards,
    # segmentation, alerts and recomputes, and comes back whole by restore.
    archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        User, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
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
    history = tracked(excluded=["latest_snapshot"])
    history_account_path = "pk"

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
        """Admins, and the account's team, change the account and what hangs off it —
        not through the executive sponsor's seat, which reads and comments."""
        if not _active(user):
            return False
        from .people import TeamMember  # people.py imports Account from here

        return (
            user.is_admin_role
            or self.team_members.filter(user=user)
            .exclude(role__in=TeamMember.READ_ONLY_ROLES)
            .exists()
        )

    def roster_editable_by(self, user) -> bool:
        """The team roster is the account owner's (and an admin's) to change."""
        if not _active(user):
            return False
        from .people import TeamMember  # people.py imports Account from here

        return (
            user.is_admin_role
            or self.team_members.filter(user=user, role=TeamMember.Role.OWNER).exists()
        )

    @property
    def revenue_from_history(self) -> bool:
        """Its annual revenue is the last twelve months of its revenue history (the
        recompute writes it), not a figure typed in."""
        snapshot = self.latest_snapshot if self.latest_snapshot_id else None
        return snapshot is not None and snapshot.revenue_ttm is not None

    @property
    def share_of_wallet_pct(self) -> Decimal | None:
        if not self.wallet_estimate:
            return None
        return (self.annual_revenue / self.wallet_estimate * 100).quantize(Decimal("0.1"))


class AccountPurge(models.Model):
    """An account removed for good by an admin: what it was, who, when (DESIGN §11)."""

    account_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=200)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.name} (#{self.account_id}) purged"
