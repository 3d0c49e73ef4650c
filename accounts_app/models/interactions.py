"""The log of meetings, calls, emails and events between our team and the customer."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.history import tracked
from core.scope import AccountOwnedQuerySet

from .accounts import Account
from .people import Contact
from .users import User

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
    history = tracked()

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
