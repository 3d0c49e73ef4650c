"""Forms validate shape; services validate rules (full_clean) and save."""

from django import forms
from django.db.models import Q

from .models import Account, BusinessUnit, Contact, TeamMember, User


class AccountForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

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
        self.fields["business_unit"].queryset = account.business_units.all()
        self.fields["business_unit"].empty_label = "No business unit"
        reports_to = account.contacts.only("id", "name", "title")
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
