"""Agency and Submission now belong to ``joinedup.agencies`` (decision 0010): forgotten here,
with their tables left exactly as they are. Changes only what Django knows."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0004_agency_moved_to_agencies'),
        ('agencies', '0001_initial'),
        ('api', '0002_agency_moved_to_agencies'),
        ('briefings', '0002_agency_moved_to_agencies'),
        ('chronology', '0004_agency_moved_to_agencies'),
        ('information_requests', '0002_agency_moved_to_agencies'),
        ('ingest', '0002_domestic_abuse_service_kind'),
        ('people', '0005_agency_moved_to_agencies'),
        ('reviews', '0003_agency_moved_to_agencies'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.RemoveField(
                    model_name='submission',
                    name='agency',
                ),
                migrations.AlterField(
                    model_name='rowwarning',
                    name='submission',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='row_warnings', to='agencies.submission'),
                ),
                migrations.AlterField(
                    model_name='quarantinedrow',
                    name='submission',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='quarantine', to='agencies.submission'),
                ),
                migrations.DeleteModel(
                    name='Agency',
                ),
                migrations.DeleteModel(
                    name='Submission',
                ),
        ]),
    ]
