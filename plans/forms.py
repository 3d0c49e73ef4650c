"""Forms of the plan page: they validate shape; plans.services validates the rules.

Every edit form carries the `version` of the row it was read from (a hidden field), so
the service can refuse a save over somebody else's newer one (StaleVersion).
"""

from decimal import Decimal

from django import forms

from accounts_app.models import User

from .models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic

TEXT_MAX = 2000
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0), "required": False}


class VersionedForm(forms.Form):
    """A form with the hidden `version` it read; required when it edits a saved row."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, editing: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = editing

    def service_data(self) -> dict:
        """What the service saves: every field but the version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


# --- The plan's own fields -------------------------------------------------------------


class OverviewForm(VersionedForm):
    overview = forms.CharField(
        required=False,
        max_length=10_000,
        label="Overview",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The account in a few sentences: where we stand, what we aim for this year.",
    )


class FinancialsForm(VersionedForm):
    revenue_q1 = forms.DecimalField(label="Revenue Q1 (actual)", **MONEY)
    revenue_q2 = forms.DecimalField(label="Revenue Q2 (actual)", **MONEY)
    revenue_q3 = forms.DecimalField(label="Revenue Q3 (actual)", **MONEY)
    revenue_q4 = forms.DecimalField(label="Revenue Q4 (actual)", **MONEY)
    revenue_target = forms.DecimalField(label="Revenue target", **MONEY)
    wallet_estimate = forms.DecimalField(
        label="Wallet estimate",
        help_text="The customer's total annual spend in our category.",
        **MONEY,
    )
    margin_target_pct = forms.DecimalField(
        label="Margin target (%)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
    )


PLAN_FORMS = {"overview": OverviewForm, "financials": FinancialsForm}


def plan_initial(plan: Plan, section: str) -> dict:
    fields = PLAN_FORMS[section].base_fields
    return {name: getattr(plan, name) for name in fields}


# --- Items --------------------------------------------------------------------------------


def _text_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class KnowledgePointForm(VersionedForm):
    kind = forms.ChoiceField(label="Kind", choices=KnowledgePoint.Kind.choices)
    text = _text_field("Knowledge point")


class SwotItemForm(VersionedForm):
    kind = forms.ChoiceField(label="Kind", choices=SwotItem.Kind.choices)
    text = _text_field("Text")


class GoalForm(VersionedForm):
    text = _text_field("Goal")
    customer_goal = forms.ModelChoiceField(
        label="Serves the customer goal",
        queryset=KnowledgePoint.objects.none(),
        required=False,
        empty_label="— none —",
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_goal"].queryset = KnowledgePoint.objects.filter(
            plan=plan, kind=KnowledgePoint.Kind.GOAL, deleted_at=None
        ).only("id", "text")


class StrategyForm(VersionedForm):
    text = _text_field("Strategy")


class TacticForm(VersionedForm):
    text = _text_field("Tactic")
    owner = forms.ModelChoiceField(
        label="Owner", queryset=User.objects.none(), required=False, empty_label="— nobody —"
    )
    due_date = forms.DateField(
        label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label="Status", choices=Tactic.Status.choices, initial=Tactic.Status.OPEN
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the account team owns tactics (the service checks it too).
        self.fields["owner"].queryset = (
            User.objects.filter(team_memberships__account_id=plan.account_id)
            .only("id", "first_name", "last_name", "username")
            .order_by("first_name", "last_name", "id")
        )
        self.fields["owner"].label_from_instance = lambda user: user.name


ITEM_FORMS = {
    KnowledgePoint: KnowledgePointForm,
    SwotItem: SwotItemForm,
    Goal: GoalForm,
    Strategy: StrategyForm,
    Tactic: TacticForm,
}


def item_form(model, plan: Plan, *args, **kwargs) -> VersionedForm:
    form_class = ITEM_FORMS[model]
    if form_class in (GoalForm, TacticForm):
        kwargs["plan"] = plan
    return form_class(*args, **kwargs)


def item_initial(item) -> dict:
    fields = ITEM_FORMS[type(item)].base_fields
    return {name: getattr(item, name) for name in fields}
