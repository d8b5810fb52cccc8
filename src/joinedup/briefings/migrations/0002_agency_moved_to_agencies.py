"""The agency (and submission) this app's records point to now belong to
``joinedup.agencies`` (decision 0010). The tables and their keys are the same ones, so only
what Django knows changes, never the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('briefings', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='learningactivity',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
                ),
        ]),
    ]
