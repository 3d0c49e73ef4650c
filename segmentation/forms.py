"""Forms of the segmentation pages. They check the shape of what was typed; the
services check the configuration as a whole."""

from decimal import Decimal

from django import forms

from accounts_app.models import TeamMember

from .models import CRITERION_CHOICES, Criterion, SegmentationSettings, Tier
from .presets import PRESET_LABELS


def _plain(value: Decimal) -> Decimal:
    """80.00 → 80 and 2.50 → 2.5 (normalize() alone would write 80 as 8E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class ScoringForm(forms.Form):
    """The criteria weights and how runs behave, saved together."""

    expected_years = forms.IntegerField(
        min_value=1,
        max_value=50,
        label="Expected years",
        help_text="Lifetime value = revenue × margin % × these years.",
    )
    scheduled_apply = forms.BooleanField(
        required=False,
        label="The nightly run applies its changes",
        help_text="Off: the nightly run only lists what would change, for an admin to apply.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weights = dict(Criterion.objects.values_list("key", "weight"))
        settings_row = SegmentationSettings.load()
        self.initial.setdefault("expected_years", settings_row.expected_years)
        self.initial.setdefault("scheduled_apply", settings_row.scheduled_apply)
        self.weight_fields = []
        for key, label in CRITERION_CHOICES:
            name = f"weight_{key}"
            self.fields[name] = forms.DecimalField(
                label=label,
                min_value=Decimal(0),
                max_digits=6,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
            )
            self.initial.setdefault(name, _plain(weights.get(key, Decimal(1))))
            self.weight_fields.append(self[name])

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f"weight_{key}") for key, _ in CRITERION_CHOICES]
        if all(w is not None for w in weights) and not any(w > 0 for w in weights):
            raise forms.ValidationError("At least one criterion needs a weight above zero.")
        return cleaned

    def weights(self) -> dict[str, Decimal]:
        return {key: self.cleaned_data[f"weight_{key}"] for key, _ in CRITERION_CHOICES}


class TierForm(forms.ModelForm):
    """A tier: its place, its OR-joined conditions (one threshold per criterion, blank
    for none; no threshold at all makes the catch-all) and its servicing model."""

    position = forms.TypedChoiceField(coerce=int, label="Position")
    required_team_roles = forms.MultipleChoiceField(
        choices=TeamMember.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Required team roles",
        help_text="Every account of the tier needs someone in these roles on its team.",
    )

    class Meta:
        model = Tier
        fields = ["name", "cap", *Tier.SERVICING_FIELDS]
        labels = {
            "cap": "Cap (most accounts)",
            "plan_required": "An account plan is required",
            "external_review_days": "External business review every (days)",
            "internal_review_days": "Internal account review every (days)",
            "rpi_target": "RPI target (0–100)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        count = Tier.objects.count() + (0 if self.instance.pk else 1)
        self.fields["position"].choices = [(i, f"{i} of {count}") for i in range(1, count + 1)]
        if self.instance.pk:
            self.initial.setdefault("position", self.instance.rank)
            current = {c.criterion: c.threshold for c in self.instance.conditions.all()}
        else:
            catch_all = Tier.objects.order_by("-rank").first()
            self.initial.setdefault("position", catch_all.rank if catch_all else 1)
            current = {}
        self.fields["position"].help_text = "Rules are tried in this order; the first match wins."
        self.condition_fields = []
        for key, label in CRITERION_CHOICES:
            name = f"threshold_{key}"
            self.fields[name] = forms.DecimalField(
                label=f"{label} ≥",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=5,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"min": "0", "max": "100", "placeholder": "—"}),
            )
            if key in current:
                self.initial.setdefault(name, _plain(current[key]))
            self.condition_fields.append(self[name])

    def conditions(self) -> list[tuple[str, Decimal]]:
        return [
            (key, self.cleaned_data[f"threshold_{key}"])
            for key, _ in CRITERION_CHOICES
            if self.cleaned_data.get(f"threshold_{key}") is not None
        ]

    def servicing(self) -> dict:
        return {field: self.cleaned_data[field] for field in Tier.SERVICING_FIELDS}

    def _post_clean(self):
        # The service validates and saves; the model's own unique checks (rank, name)
        # would judge the tier before its new place and name are worked out.
        pass


class PresetForm(forms.Form):
    preset = forms.ChoiceField(choices=PRESET_LABELS.items(), label="Preset")


class OverrideForm(forms.Form):
    tier = forms.ModelChoiceField(
        queryset=Tier.objects.none(), empty_label=None, label="Pin to tier"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Why this account belongs in this tier whatever its scores say. "
        "Runs keep the pinned tier until the pin is removed.",
        error_messages={"required": "Say why this account belongs in this tier."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = Tier.objects.order_by("rank")
