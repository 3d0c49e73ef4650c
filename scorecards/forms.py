"""Forms of the scorecard pages; the services check the rules."""

from datetime import date

from django import forms
from django.db.models import Case, Value, When
from django.utils import timezone

from core import periods

from . import surveys
from .models import AlertPreference, Metric, Scorecard, SurveyTemplate

# A balanced first scorecard: two lagging financial results, the customer's view, the
# processes that drive them and one measure of learning.
SUGGESTED = (
    "Revenue",
    "Share of wallet",
    "On-time delivery",
    "Open escalations",
    "Customer survey score",
    "Executive meetings held",
    "Plan tactics on time",
    "Joint innovation projects",
)


def library():
    """Active metrics by perspective (financial, customer, internal, learning), then position."""
    order = Case(
        *[When(perspective=key, then=Value(i)) for i, key in enumerate(Metric.Perspective.values)]
    )
    return Metric.objects.filter(active=True).order_by(order, "position", "name")


class MonthField(forms.DateField):
    """A month as YYYY-MM (an <input type="month">), or a full date; its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return None if day is None else day.replace(day=1)


class ScorecardStartForm(forms.Form):
    cadence = forms.ChoiceField(
        choices=Scorecard.Cadence.choices,
        initial=Scorecard.Cadence.QUARTERLY,
        widget=forms.RadioSelect,
        help_text="Every later period of this account uses the same cadence.",
    )
    period = MonthField(
        label="First period",
        help_text="Its first month; for quarters, the first month of a quarter.",
    )
    metrics = forms.ModelMultipleChoiceField(
        queryset=Metric.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one metric."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metrics"].queryset = library()
        today = timezone.localdate()
        self.fields["period"].initial = periods.period_start(today, "quarterly")
        self.fields["metrics"].initial = list(
            Metric.objects.filter(name__in=SUGGESTED, active=True).values_list("pk", flat=True)
        )

    def clean(self):
        data = super().clean()
        start: date | None = data.get("period")
        cadence = data.get("cadence")
        if start and cadence and not periods.is_period_start(start, cadence):
            first = periods.period_start(start, cadence)
            self.add_error(
                "period",
                f"A quarter starts in {first:%B} here: choose {first:%B %Y} or the first month "
                "of another quarter.",
            )
        return data


class LineAddForm(forms.Form):
    metric = forms.ModelChoiceField(queryset=Metric.objects.none(), empty_label="Choose a metric")

    def __init__(self, *args, available=None, **kwargs):
        super().__init__(*args, **kwargs)
        if available is not None:
            self.fields["metric"].queryset = available


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: period (YYYY-MM), metric (its name), actual, and optionally target.",
    )

    MAX_BYTES = 1_000_000

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is over 1 MB: split it.")
        return upload


class RoundForm(forms.Form):
    title = forms.CharField(max_length=120, help_text="The customer sees it.")
    template = forms.ModelChoiceField(
        queryset=SurveyTemplate.objects.filter(active=True), label="Questionnaire", empty_label=None
    )
    contacts = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one customer contact."},
    )
    days_open = forms.IntegerField(
        label="Links work for (days)",
        min_value=1,
        max_value=surveys.MAX_DAYS_OPEN,
        initial=surveys.DEFAULT_DAYS_OPEN,
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = (
            account.contacts.filter(archived=False).exclude(email="").order_by("name", "pk")
        )
        self.fields["title"].initial = f"Relationship review {timezone.localdate():%B %Y}"


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = AlertPreference
        fields = ["email_each", "daily_digest"]
        labels = {
            "email_each": "E-mail me each alert I am notified of",
            "daily_digest": "E-mail me a daily digest of my open alerts",
        }
