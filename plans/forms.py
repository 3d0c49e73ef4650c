"""Forms of plans (the plan page, the list, the life cycle and comments, business
reviews): they validate shape; plans.services validates the rules.

Every edit form carries the `version` of the row it was read from (a hidden field), so
the service can refuse a save over somebody else's newer one (StaleVersion).
"""

from decimal import Decimal

from django import forms
from django.db.models import Q

from accounts_app.models import Account, Contact, User
from core.forms import AmountField

from .models import (
    BusinessReview,
    Goal,
    KnowledgePoint,
    Plan,
    PlanComment,
    Risk,
    Strategy,
    SwotItem,
    Tactic,
)

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
    revenue_q1 = AmountField(label="Revenue Q1 (actual)", **MONEY)
    revenue_q2 = AmountField(label="Revenue Q2 (actual)", **MONEY)
    revenue_q3 = AmountField(label="Revenue Q3 (actual)", **MONEY)
    revenue_q4 = AmountField(label="Revenue Q4 (actual)", **MONEY)
    revenue_target = AmountField(label="Revenue target", **MONEY)
    wallet_estimate = AmountField(
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


# --- The list of plans, the life cycle, coaching comments ---------------------------------


class PlanFilterForm(forms.Form):
    """The filters of the list of plans; `periods` and `tiers` are the choices."""

    q = forms.CharField(required=False, max_length=100, label="Account")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Plan.Status.choices])
    tier = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Tier")
    quality = forms.ChoiceField(
        required=False,
        label="Quality",
        choices=[
            ("", "Any quality"),
            ("low", "Below 50"),
            ("mid", "50 to 79"),
            ("high", "80 or more"),
        ],
    )
    period = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Year")

    def __init__(self, *args, periods=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", "Any tier")] + [(t.pk, t.name) for t in tiers]
        self.fields["period"].choices = [("", "Any year")] + [(p, f"FY{p}") for p in periods]


class StepForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    section = forms.ChoiceField(choices=PlanComment.Section.choices, initial="general")
    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Coach, ask, answer…"}),
        error_messages={"required": "Write the comment."},
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )


# --- Business reviews ---------------------------------------------------------------------


class ReviewForm(forms.ModelForm):
    """A business review: the services check the rules (held not in the future,
    outcomes only once held, attendees of this account)."""

    class Meta:
        model = BusinessReview
        fields = [
            "kind",
            "title",
            "scheduled_for",
            "held_on",
            "attendees",
            "customer_attendees",
            "agenda",
            "outcomes",
            "decisions",
            "customer_feedback",
        ]
        widgets = {
            "scheduled_for": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.CheckboxSelectMultiple,
            "customer_attendees": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "customer_feedback": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "scheduled_for": "Scheduled for",
            "held_on": "Held on",
            "attendees": "Our attendees",
            "customer_attendees": "Customer attendees",
            "outcomes": "Outcomes",
            "decisions": "Decisions",
            "customer_feedback": "Customer feedback",
        }
        help_texts = {
            "title": "Leave empty for “External business review, <month year>”.",
            "customer_feedback": "What the customer said about us, in their words.",
        }

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        # The team, the owner's manager and the executives; whoever attended before.
        people = Q(team_memberships__account=account) | Q(role=User.Role.EXECUTIVE)
        if account.owner_id and account.owner.manager_id:
            people |= Q(pk=account.owner.manager_id)
        if self.instance.pk:
            people |= Q(business_reviews=self.instance)
        self.fields["attendees"].queryset = (
            User.objects.filter(people, is_active=True)
            .distinct()
            .order_by("first_name", "last_name")
        )
        # Active contacts (DESIGN §11), and whoever attended before even if archived since.
        customers = Q(archived=False)
        if self.instance.pk:
            customers |= Q(business_reviews=self.instance)
        self.fields["customer_attendees"].queryset = (
            Contact.objects.filter(customers, account=account).distinct().order_by("name")
        )

    def _post_clean(self):
        pass  # the services validate and save

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class ReviewActionForm(forms.Form):
    text = forms.CharField(max_length=500, label="Action item")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Owner")
    due_date = forms.DateField(
        required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"})
    )
    agreed_with_customer = forms.BooleanField(
        required=False, initial=True, label="Agreed with the customer (shown in the customer pack)"
    )

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(team_memberships__account=account)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["owner"].empty_label = "Nobody yet"

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class ActionTacticForm(forms.Form):
    strategy = forms.ModelChoiceField(queryset=Strategy.objects.none(), label="Under the strategy")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = (
            Strategy.objects.filter(
                goal__plan=plan, deleted_at__isnull=True, goal__deleted_at__isnull=True
            )
            .select_related("goal")
            .order_by("goal__position", "goal_id", "position", "id")
        )
        self.fields["strategy"].label_from_instance = lambda s: (
            f"{s.goal.text[:50]} → {s.text[:60]}"
        )

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class RiskForm(forms.ModelForm):
    """A risk of the register; its owner is chosen from the account team."""

    LIKELIHOOD = [
        ("", "Choose…"),
        (1, "1 — rare"),
        (2, "2 — unlikely"),
        (3, "3 — possible"),
        (4, "4 — likely"),
        (5, "5 — almost certain"),
    ]
    IMPACT = [
        ("", "Choose…"),
        (1, "1 — slight"),
        (2, "2 — minor"),
        (3, "3 — moderate"),
        (4, "4 — major"),
        (5, "5 — severe"),
    ]

    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD, coerce=int)
    impact = forms.TypedChoiceField(choices=IMPACT, coerce=int)

    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "likelihood",
            "impact",
            "owner",
            "due_date",
            "status",
            "mitigation",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"due_date": "Due", "mitigation": "Mitigation: what we do about it"}

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=account.team_members.values("user_id")
        ).order_by("first_name", "last_name")
        self.fields["owner"].empty_label = "Nobody yet"
        if self.instance.pk is None:
            self.fields["status"].initial = Risk.Status.OPEN
