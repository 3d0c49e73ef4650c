"""Forms validate shape; services validate rules (full_clean) and save."""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from core.forms import AmountField

from .lists import ListEntryChoiceField
from .models import (
    Account,
    BusinessUnit,
    Contact,
    Industry,
    Interaction,
    Region,
    TeamMember,
    User,
)
from .models.revenue import NEGATIVE, NOT_REMOVED


class AccountForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    industry = ListEntryChoiceField(queryset=Industry.objects.all(), to_field_name="code")
    region = ListEntryChoiceField(queryset=Region.objects.all(), to_field_name="code")

    class Meta:
        model = Account
        fields = [
            "name",
            "parent",
            "industry",
            "region",
            "lifecycle_stage",
            "annual_revenue",
            "wallet_estimate",
            "gross_margin_pct",
            "strategic_value",
            "strategic_value_reason",
            "website",
            "description",
        ]
        field_classes = {"annual_revenue": AmountField, "wallet_estimate": AmountField}
        widgets = {
            "strategic_value_reason": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, parent_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent_choices is not None:
            queryset = parent_choices
            parent_id = self.instance.parent_id
            if parent_id and not parent_choices.filter(pk=parent_id).exists():
                # Keep the current parent even where this user cannot see it, or saving
                # the form unchanged would detach the account from its group; but do not
                # show the name of an account they may not see.
                queryset = Account.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=parent_id))
                self.fields["parent"].label_from_instance = lambda parent: (
                    "The current group account (not visible to you)"
                    if parent.pk == parent_id
                    else str(parent)
                )
            if self.instance.pk:
                queryset = queryset.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = queryset.only("id", "name").order_by("name")
        self.fields["parent"].help_text = "The global account this one belongs to, if any."
        self.fields["parent"].empty_label = "No parent (stand-alone account)"
        if self.instance.pk and self.instance.revenue_from_history:
            revenue = self.fields["annual_revenue"]
            revenue.disabled = True
            revenue.help_text = (
                "The last twelve whole months of the revenue history: change the monthly "
                "figures on the Revenue tab (or by an import, or revenue-entries/ in the "
                "API) instead."
            )


class BusinessUnitForm(forms.ModelForm):
    class Meta:
        model = BusinessUnit
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "email",
            "phone",
            "business_unit",
            "reports_to",
            "level",
            "buying_role",
            "attitude",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived ones are not offered (DESIGN §11); the one already chosen stays choosable.
        self.fields["business_unit"].queryset = account.business_units.filter(
            Q(archived=False) | Q(pk=self.instance.business_unit_id)
        )
        self.fields["business_unit"].empty_label = "No business unit"
        reports_to = account.contacts.filter(
            Q(archived=False) | Q(pk=self.instance.reports_to_id)
        ).only("id", "name", "title")
        if self.instance.pk:
            reports_to = reports_to.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = reports_to
        self.fields["reports_to"].empty_label = "Nobody recorded"


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none())
    role = forms.ChoiceField(
        choices=[c for c in TeamMember.Role.choices if c[0] != TeamMember.Role.OWNER]
    )

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        on_team = account.team_members.values("user_id")
        self.fields["user"].queryset = User.objects.filter(is_active=True).exclude(pk__in=on_team)
        self.fields["user"].empty_label = "Choose a person"


class TeamRoleForm(forms.Form):
    role = forms.ChoiceField(choices=TeamMember.Role.choices)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Model choices by id that refuse a value no id can have before asking the database
    (SQLite raises OverflowError on an integer past 64 bits instead of matching nothing)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isdigit() or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class InteractionForm(forms.Form):
    """Log a meeting, call, email or event, or edit one (`interaction`, whose values it
    starts from): offers only the account's contacts and team, and the people the
    interaction already names (an archived contact, someone who left the team)."""

    kind = forms.ChoiceField(label="Type", choices=Interaction.Kind.choices)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    subject = forms.CharField(
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Quarterly review"}),
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What was discussed, agreed, next"}),
    )
    contacts = IdMultipleChoiceField(
        label="Contacts",
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one contact."},
    )
    team_users = IdMultipleChoiceField(
        label="From our side",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who from our side took part."},
    )

    def __init__(
        self, *args, account: Account, user: User, interaction: Interaction | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        contacts = self.fields["contacts"]
        team = self.fields["team_users"]
        offered_contacts = Q(archived=False)
        offered_users = Q(pk__in=TeamMember.objects.filter(account=account).values("user_id"))
        if interaction is None:
            self.fields["date"].initial = today
            self.fields["kind"].initial = Interaction.Kind.MEETING
            if not self.is_bound and account.team_members.filter(user=user).exists():
                team.initial = [user.pk]
        else:
            contact_ids = list(interaction.contacts.values_list("pk", flat=True))
            user_ids = list(interaction.team_users.values_list("pk", flat=True))
            offered_contacts |= Q(pk__in=contact_ids)
            offered_users |= Q(pk__in=user_ids)
            self.initial.update(
                kind=interaction.kind,
                date=interaction.date,
                subject=interaction.subject,
                note=interaction.note,
                contacts=contact_ids,
                team_users=user_ids,
            )
        # Not `account.contacts`: the related manager reads each row's deferred account_id.
        contacts.queryset = (
            Contact.objects.filter(offered_contacts, account=account)
            .only("id", "name", "title")
            .order_by("name", "id")
        )
        contacts.label_from_instance = _contact_label
        team.queryset = User.objects.filter(offered_users).order_by(
            "first_name", "last_name", "username"
        )
        team.label_from_instance = lambda member: member.name

    def clean_date(self):
        on = self.cleaned_data["date"]
        if on > timezone.localdate():
            raise forms.ValidationError("An interaction cannot be in the future.")
        return on

    def data_for_service(self) -> dict:
        """The arguments of services.interaction_record and interaction_update."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "on": data["date"],
            "contacts": list(data["contacts"]),
            "team_users": list(data["team_users"]),
            "subject": data["subject"],
            "note": data["note"],
        }


def _contact_label(contact: Contact):
    if contact.title:
        return format_html('{} <small class="muted">{}</small>', contact.name, contact.title)
    return contact.name


class InteractionFilterForm(forms.Form):
    """The Interactions tab's filters: what kind, with whom. Blank means all."""

    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *Interaction.Kind.choices]
    )
    contact = forms.ModelChoiceField(
        label="Contact", required=False, queryset=Contact.objects.none(), empty_label="Anyone"
    )

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = (
            Contact.objects.filter(account=account, archived=False)
            .only("id", "name")
            .order_by("name", "id")
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Nightly CRM sync”."
    )
    days = forms.IntegerField(label="Expires in (days)", min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # From the settings when the form is made, not when the module is imported.
        most = settings.STRATA_TOKEN_MAX_TTL_DAYS
        days = self.fields["days"]
        days.initial = settings.STRATA_TOKEN_TTL_DAYS
        days.validators.append(MaxValueValidator(most))
        days.widget.attrs["max"] = most
        days.help_text = f"From 1 to {most} days."


TOO_LARGE = "Too large for one month: at most 999,999,999,999.99."


class RevenueYearForm(forms.Form):
    """One year of an account's revenue, a field per month that has begun (named
    `YYYY-MM`, as the service names a refused month), each starting from what is
    recorded. Empty means "not recorded"; the service refuses to empty a recorded month."""

    def __init__(self, *args, year: int, today, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.months = [
            month
            for number in range(1, 13)
            if (month := date(year, number, 1)) <= today.replace(day=1)
        ]
        for month in self.months:
            self.fields[f"{month:%Y-%m}"] = AmountField(
                label=date_format(month, "F"),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=recorded.get(month),
                error_messages={
                    "min_value": NEGATIVE,
                    "max_digits": TOO_LARGE,
                    "max_whole_digits": TOO_LARGE,
                },
            )
        self.recorded = recorded
        # The person starts typing where the year's record stops.
        empty = [m for m in self.months if m not in recorded] or self.months
        if empty:
            self.fields[f"{empty[0]:%Y-%m}"].widget.attrs["autofocus"] = True

    def clean(self):
        # The service refuses it too; said here as well, it shows with the other errors
        # of the same save instead of after them.
        data = super().clean()
        for month in self.months:
            name = f"{month:%Y-%m}"
            if name in data and data[name] is None and self.recorded.get(month) is not None:
                self.add_error(name, NOT_REMOVED)
        return data

    def focus_first_error(self) -> None:
        """On a refused save, the cursor goes to the first month to fix."""
        if not self.is_bound or not self.errors:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        wrong = next((name for name in self.fields if name in self.errors), None)
        if wrong:
            self.fields[wrong].widget.attrs["autofocus"] = True

    def data_for_service(self) -> dict:
        """The arguments of services.revenue_months_record."""
        return {"amounts": {month: self.cleaned_data[f"{month:%Y-%m}"] for month in self.months}}
