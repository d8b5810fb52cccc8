"""The agency (and submission) this app's records point to now belong to
``joinedup.agencies`` (decision 0010). The tables and their keys are the same ones, so only
what Django knows changes, never the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('reviews', '0002_review_closed_on'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='reviewaction',
                    name='owner_agency',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='step',
                    name='agency',
                    field=models.ForeignKey(blank=True, help_text='For an agency summary', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
                ),
        ]),
    ]
