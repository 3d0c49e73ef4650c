from django import forms

from ..models import SignInPolicy, User


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


class PolicyForm(forms.Form):
    second_factor = forms.ChoiceField(
        label="Who must use a second factor",
        choices=SignInPolicy.Required.choices,
        widget=forms.RadioSelect,
    )
    roles = forms.MultipleChoiceField(
        label="Roles that must",
        choices=User.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Used when “People with the roles below” is chosen.",
    )
    sso = forms.BooleanField(
        label="Ask for Strata's second factor after single sign-on too",
        required=False,
        help_text="Off: a sign-in through your identity provider counts as both factors "
        "(the provider applies its own policy).",
    )

    def clean(self):
        data = super().clean()
        if data.get("second_factor") == SignInPolicy.Required.ROLES and not data.get("roles"):
            self.add_error("roles", "Choose at least one role, or another option above.")
        return data
