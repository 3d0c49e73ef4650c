"""Forms of the opportunity pages; the services check the rules."""

from django import forms

from accounts_app.models import Account, BusinessUnit, User

from .models import Opportunity, ProductLine, Stage


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = list(Opportunity.INPUT_FIELDS)
        widgets = {"close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {
            "probability": "Probability (%)",
            "gross_margin_pct": "Gross margin (%)",
            "effort_hours": "Our effort (hours)",
            "customer_annual_benefit": "Customer's annual benefit",
            "customer_investment": "Customer's investment",
            "horizon_years": "Benefit horizon (years)",
        }
        help_texts = {"probability": "Leave empty to use the stage's default."}

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probability"].required = False
        self.fields["stage"].queryset = Stage.objects.order_by("position")
        self.fields["stage"].required = False
        self.fields["stage"].empty_label = "First stage"
        self.fields["owner"].queryset = User.objects.filter(
            team_memberships__account=account
        ).order_by("first_name", "last_name")
        self.fields["business_unit"].queryset = BusinessUnit.objects.filter(account=account)
        self.fields["product_line"].queryset = ProductLine.objects.filter(active=True)

    def _post_clean(self):
        # The services validate (owner on the team, unit of the account) and save.
        pass

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("stage") is None:
            data.pop("stage")
        return data
