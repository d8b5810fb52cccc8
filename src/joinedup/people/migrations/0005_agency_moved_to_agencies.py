"""The agency (and submission) this app's records point to now belong to
``joinedup.agencies`` (decision 0010). The tables and their keys are the same ones, so only
what Django knows changes, never the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('people', '0004_pseudonymised_marker'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='personrecord',
                    name='agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='person_records', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='personrecord',
                    name='submission',
                    field=models.ForeignKey(help_text="Latest version's", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.submission'),
                ),
                migrations.AlterField(
                    model_name='personrecordversion',
                    name='submission',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.submission'),
                ),
                migrations.AlterField(
                    model_name='relationshiprecord',
                    name='agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='relationships', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='relationshiprecord',
                    name='submission',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.submission'),
                ),
        ]),
    ]
