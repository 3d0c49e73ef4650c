"""A metric says whether its values may fall below zero (a Net Promoter Score runs from
−100 to 100); the others refuse a negative target or actual. The seeded NPS may."""

from django.db import migrations, models

# As seeded (scorecards.defaults.MAY_BE_NEGATIVE when this was written), or an NPS by its
# unit where an admin renamed it.
NAMES = ["Net Promoter Score"]
UNITS = ["NPS"]


def mark_nps(apps, schema_editor):
    Metric = apps.get_model("scorecards", "Metric")
    Metric.objects.filter(models.Q(name__in=NAMES) | models.Q(unit__in=UNITS)).update(
        may_be_negative=True
    )


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0011_alert_snooze")]

    operations = [
        migrations.AddField(
            model_name="metric",
            name="may_be_negative",
            field=models.BooleanField(
                default=False,
                help_text="On for measures where a value below zero is real, such as a Net "
                "Promoter Score (−100 to 100); off, a negative target or actual is refused.",
            ),
        ),
        migrations.RunPython(mark_nps, migrations.RunPython.noop),
    ]
