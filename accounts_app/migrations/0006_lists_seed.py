# The lists' data, in a migration of its own: PostgreSQL does not alter a table in a
# transaction whose data changes have constraint checks pending.

from django.db import migrations

# The lists a fresh installation starts with: the fixed choices of before (code, name).
INDUSTRIES = [
    ("manufacturing", "Manufacturing"),
    ("healthcare", "Healthcare"),
    ("financial_services", "Financial services"),
    ("retail", "Retail"),
    ("energy", "Energy & utilities"),
    ("technology", "Technology"),
    ("telecom", "Telecommunications"),
    ("logistics", "Transport & logistics"),
    ("public_sector", "Public sector"),
    ("pharma", "Pharma & life sciences"),
    ("consumer_goods", "Consumer goods"),
    ("other", "Other"),
]
REGIONS = [
    ("north_america", "North America"),
    ("latin_america", "Latin America"),
    ("western_europe", "Western Europe"),
    ("central_europe", "Central & Eastern Europe"),
    ("middle_east_africa", "Middle East & Africa"),
    ("asia_pacific", "Asia Pacific"),
]


def seed_and_link(apps, schema_editor):
    """Seed the two lists, then point every account at the entry of its old code."""
    Account = apps.get_model("accounts_app", "Account")
    for model_name, entries, field in (
        ("Industry", INDUSTRIES, "industry"),
        ("Region", REGIONS, "region"),
    ):
        model = apps.get_model("accounts_app", model_name)
        by_code = {}
        for position, (code, name) in enumerate(entries, start=1):
            by_code[code] = model.objects.create(code=code, name=name, position=position)
        # A code no list entry has (none today) gets an entry of its own, never lost.
        used = Account.objects.values_list(f"{field}_code", flat=True).distinct()
        for code in used:
            if code not in by_code:
                by_code[code] = model.objects.create(
                    code=code[:60], name=code.replace("_", " ").capitalize(), position=99
                )
        for code, entry in by_code.items():
            Account.objects.filter(**{f"{field}_code": code}).update(**{f"{field}_id": entry.pk})




class Migration(migrations.Migration):

    dependencies = [
        ('accounts_app', '0005_lists'),
    ]

    operations = [
        migrations.RunPython(seed_and_link, migrations.RunPython.noop),
    ]
