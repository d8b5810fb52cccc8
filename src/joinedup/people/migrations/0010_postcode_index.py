"""Person records are indexed by postcode: the review queue reads the other records at a
pair's postcode (namesakes, ``people/namesake_links.py``), which without the index read
every record."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0009_nhs_number_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='personrecord',
            name='postcode',
            field=models.CharField(blank=True, db_index=True, help_text="Indexed: the review queue reads the other records at a pair's postcode", max_length=8),
        ),
    ]
