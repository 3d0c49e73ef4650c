"""Forms of the opportunity pages; the services check the rules."""

from django import forms
from django.db.models import Q

from accounts_app.models import Account, BusinessUnit, User
from core.forms import AmountField

from .models import Competitor, Contract, Opportunity, ProductLine, Stage


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = list(Opportunity.INPUT_FIELDS)
        widgets = {"close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {
            "value": AmountField,
            "customer_annual_benefit": AmountField,
            "customer_investment": AmountField,
        }
        labels = {
            "probability": "Probability (%)",
            "gross_margin_pct": "Gross margin (%)",
            "effort_hours": "Our effort (hours)",
            "customer_annual_benefit": "Customer's annual benefit",
            "customer_investment": "Customer's investment",
            "horizon_years": "Benefit horizon (years)",
            "lost_to": "Lost to",
            "loss_reason": "Why it was lost",
        }
        help_texts = {"probability": "Leave empty to use the stage's default."}

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probability"].required = False
        self.fields["stage"].queryset = Stage.objects.order_by("position")
        self.fields["stage"].required = False
        self.fields["stage"].empty_label = "First stage"
        # The team, and whoever owns it now (someone who left the team keeps it until
        # it is handed on).
        self.fields["owner"].queryset = (
            User.objects.filter(Q(team_memberships__account=account) | Q(pk=self.instance.owner_id))
            .distinct()
            .order_by("first_name", "last_name")
        )
        # Archived units are not offered (DESIGN §11), but the one it has stays choosable.
        self.fields["business_unit"].queryset = BusinessUnit.objects.filter(
            Q(archived=False) | Q(pk=self.instance.business_unit_id), account=account
        )
        # A retired line stays choosable for the opportunities that already have it.
        self.fields["product_line"].queryset = ProductLine.objects.filter(
            Q(active=True) | Q(pk=self.instance.product_line_id)
        )
        self.fields["owner"].empty_label = "Nobody yet"
        self.fields["product_line"].empty_label = "None"
        self.fields["business_unit"].empty_label = "None (the whole account)"
        # New business unless said otherwise (a form without the field keeps what it was).
        self.fields["kind"].required = False
        # A retired competitor stays choosable where it is named already.
        self.fields["lost_to"].queryset = Competitor.objects.filter(
            Q(active=True) | Q(pk=self.instance.lost_to_id)
        )
        self.fields["lost_to"].empty_label = "—"
        self.fields["loss_reason"].widget = forms.Textarea(attrs={"rows": 2})

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind or Opportunity.Kind.NEW

    def _post_clean(self):
        # The services validate (owner on the team, unit of the account) and save.
        pass

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("stage") is None:
            data.pop("stage")
        return data


class StageMoveForm(forms.Form):
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.order_by("position"),
        error_messages={"invalid_choice": "That stage no longer exists: reload the page."},
    )


class WhitespaceCellForm(forms.Form):
    STATE_CHOICES = [
        ("whitespace", "Whitespace — not sold, no opportunity yet"),
        ("sold", "Sold"),
        ("not_applicable", "Not applicable to this unit"),
    ]
    state = forms.ChoiceField(choices=STATE_CHOICES, widget=forms.RadioSelect)
    revenue = AmountField(
        label="Annual revenue",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="What this unit buys of this line a year (for a sold cell).",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("state") == "sold"
            and data.get("revenue") is None
            and "revenue" not in (self.errors)
        ):
            self.add_error("revenue", "Enter the annual revenue of what is sold here.")
        return data


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = list(Contract.INPUT_FIELDS)
        field_classes = {"annual_value": AmountField}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"notice_days": "Notice (days before the end)", "auto_renew": "Renews by itself"}

    def _post_clean(self):
        # The service validates (the term's rules) and saves.
        pass
