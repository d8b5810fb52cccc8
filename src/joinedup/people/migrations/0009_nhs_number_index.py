"""Person records are indexed by NHS number: linkage reads the other records holding a
record's number for each pair it reviews, which without the index read every record."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0008_property_reference'),
    ]

    operations = [
        migrations.AlterField(
            model_name='personrecord',
            name='nhs_number',
            field=models.CharField(blank=True, db_index=True, help_text="Indexed: linkage reads the other records holding a record's number", max_length=10),
        ),
    ]
