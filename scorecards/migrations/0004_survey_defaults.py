"""Seed the default 360° survey: trust, commitment, responsiveness, value delivered,
quality and ease of doing business."""

from django.db import migrations

from scorecards.defaults import SURVEY_DIMENSIONS, SURVEY_INTRODUCTION, SURVEY_NAME


def seed(apps, schema_editor):
    Template = apps.get_model("scorecards", "SurveyTemplate")
    Dimension = apps.get_model("scorecards", "SurveyDimension")
    if Template.objects.exists():
        return
    template = Template.objects.create(name=SURVEY_NAME, introduction=SURVEY_INTRODUCTION)
    for position, (name, question) in enumerate(SURVEY_DIMENSIONS, start=1):
        Dimension.objects.create(
            template=template, name=name, question=question, position=position
        )


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0003_surveys")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
