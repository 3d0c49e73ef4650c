from django import forms

from .columns import SPECS
from .models import Kind, Preset


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, label="What the file holds")
    preset = forms.ChoiceField(
        choices=[("", "My own spreadsheet"), *Preset.choices],
        required=False,
        label="Exported from",
        help_text="Strata matches the columns of Salesforce and HubSpot exports for you.",
    )
    file = forms.FileField(
        label="File",
        help_text="CSV (comma or semicolon) or Excel .xlsx, first row naming the columns.",
    )


class MappingForm(forms.Form):
    """One select per column of the file: the field it fills, or left out."""

    def __init__(self, *args, job, headers, sample, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        choices = [("", "— leave out —")] + [
            (spec.name, f"{spec.label}{' (required)' if spec.required else ''}")
            for spec in SPECS[job.kind]
        ]
        self.rows = []
        for index, header in enumerate(headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                choices=choices, required=False, label=header, initial=job.mapping.get(header, "")
            )
            example = sample[index] if index < len(sample) else ""
            self.rows.append((header, name, example))

    def mapping(self) -> dict:
        return {
            header: self.cleaned_data[name]
            for header, name, _ in self.rows
            if self.cleaned_data.get(name)
        }
