"""The people who use Strata: our staff, their roles and whom they report to."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


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


class Offboarding(models.Model):
    """A leaver deactivated and their work handed to a successor (DESIGN §11): who, to
    whom, by whom, when, and what was handed over."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="offboardings")
    successor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # {"accounts": [ids], "tactics": n, "action_items": n, "alerts": n, "opportunities": n}
    handed_over = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} → {self.successor}"
