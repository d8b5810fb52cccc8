"""Pairs a data steward was not sure about ("Not sure" on the linkage review): who set
the pair aside, and when (issue 17, part 6)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_agency_moved_to_agencies'),
    ]

    operations = [
        migrations.CreateModel(
            name='PairDeferral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('who', models.CharField(max_length=150)),
                ('deferred_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('note', models.TextField(blank=True, help_text='What the steward was unsure of, if said')),
                ('record_a', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.personrecord')),
                ('record_b', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.personrecord')),
            ],
            options={
                'ordering': ['deferred_at', 'id'],
                'indexes': [models.Index(fields=['record_a', 'record_b'], name='people_pair_record__243c3f_idx')],
            },
        ),
    ]
