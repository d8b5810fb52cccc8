"""The agency (and submission) this app's records point to now belong to
``joinedup.agencies`` (decision 0010). The tables and their keys are the same ones, so only
what Django knows changes, never the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('api', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='apicredential',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='api_credentials', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='idempotencykey',
                    name='submission',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='agencies.submission'),
                ),
        ]),
    ]
