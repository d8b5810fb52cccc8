"""The agency (and submission) this app's records point to now belong to
``joinedup.agencies`` (decision 0010). The tables and their keys are the same ones, so only
what Django knows changes, never the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('information_requests', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='informationrequest',
                    name='from_agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='informationrequest',
                    name='to_agency',
                    field=models.ForeignKey(blank=True, help_text="The agency asked, when it is one of the partnership's agencies", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='meetingaction',
                    name='owner_agency',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='professionalsmeeting',
                    name='agency',
                    field=models.ForeignKey(help_text="The chair's agency: the meeting is recorded on the chronology as its event", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='professionalsmeeting',
                    name='attending',
                    field=models.ManyToManyField(related_name='+', to='agencies.agency'),
                ),
        ]),
    ]
