"""An alert may be actioned by a recorded event that meets its rule's action, recognised by
a run (issue 16, part 3): the event is kept on the alert."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0002_alert_priority'),
        ('chronology', '0004_agency_moved_to_agencies'),
    ]

    operations = [
        migrations.AddField(
            model_name='alert',
            name='actioned_by',
            field=models.ForeignKey(blank=True, help_text='The recorded event a run recognised as meeting the recommended action', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='chronology.event'),
        ),
    ]
