"""A person record keeps a date of birth or NHS number as written when it could not be
read (issue 17, part 2); a family name is no longer required (part 1)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0006_pair_deferral'),
    ]

    operations = [
        migrations.AddField(
            model_name='personrecord',
            name='date_of_birth_text',
            field=models.CharField(blank=True, help_text='The date of birth as written, when it could not be read as a date (blank when it was): compared by linkage, never used as a date', max_length=100),
        ),
        migrations.AddField(
            model_name='personrecord',
            name='nhs_number_text',
            field=models.CharField(blank=True, help_text='The NHS number as written, when it was not a valid NHS number (blank when it was): compared by linkage, never used as an NHS number', max_length=100),
        ),
        migrations.AlterField(
            model_name='personrecord',
            name='family_name',
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
