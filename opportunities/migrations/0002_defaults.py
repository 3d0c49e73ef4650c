"""Seed the pipeline stages and the eight qualification criteria of DESIGN §3."""

from django.db import migrations

from opportunities.defaults import CRITERIA, STAGES


def seed(apps, schema_editor):
    Stage = apps.get_model("opportunities", "Stage")
    Criterion = apps.get_model("opportunities", "QualificationCriterion")
    if not Stage.objects.exists():
        for position, (name, probability, stall, outcome) in enumerate(STAGES, start=1):
            Stage.objects.create(
                name=name,
                position=position,
                default_probability=probability,
                stall_days=stall,
                outcome=outcome,
            )
    if not Criterion.objects.exists():
        for position, (text, help_text) in enumerate(CRITERIA, start=1):
            Criterion.objects.create(text=text, help_text=help_text, position=position)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_opportunities")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
