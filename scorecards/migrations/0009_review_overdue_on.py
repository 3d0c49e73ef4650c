"""Business reviews are recorded now (plans.BusinessReview): switch the review-overdue
rule on, with its parameter, where it was seeded off for want of them."""

from django.db import migrations


def switch_on(apps, schema_editor):
    Rule = apps.get_model("scorecards", "AlertRule")
    for rule in Rule.objects.filter(kind="review_overdue", active=False):
        if "days" not in (rule.parameters or {}):
            rule.parameters = {**(rule.parameters or {}), "days": 7.0}
            rule.active = True
            rule.save(update_fields=["parameters", "active"])


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0008_live_alerts_index"),
        ("plans", "0005_business_reviews"),
    ]

    operations = [migrations.RunPython(switch_on, migrations.RunPython.noop)]
