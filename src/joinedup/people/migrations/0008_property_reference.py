"""A person record keeps the Unique Property Reference Number of its address, when the agency
sends one (issue 17, part 3)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0007_written_identifiers'),
    ]

    operations = [
        migrations.AddField(
            model_name='personrecord',
            name='uprn',
            field=models.CharField(blank=True, help_text='Unique Property Reference Number of the address (digits, blank if not sent): compared by linkage', max_length=12),
        ),
    ]
