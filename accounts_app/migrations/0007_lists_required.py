# The second half of the lists' change: the old fixed-choice columns go and the keys
# become required. A migration of its own: PostgreSQL does not alter a table in the
# transaction whose data migration (0006) has deferred constraint checks pending.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts_app', '0006_lists_seed'),
    ]

    operations = [
        migrations.RemoveField("account", "industry_code"),
        migrations.RemoveField("account", "region_code"),
        migrations.AlterField(
            model_name='account',
            name='industry',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='accounts_app.industry'),
        ),
        migrations.AlterField(
            model_name='account',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='accounts_app.region'),
        ),
    ]
