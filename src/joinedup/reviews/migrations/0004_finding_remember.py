"""A finding's "things to remember", written apart from its narrative, for part 6 of the
7-minute briefing (issue 18). Existing findings get none: their briefings keep the text
they were drafted and edited with (a briefing's parts are its own), and a new draft from an
old review leaves part 6 for the author to write rather than repeat the narratives' first
sentences."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0003_agency_moved_to_agencies'),
    ]

    operations = [
        migrations.AddField(
            model_name='finding',
            name='remember',
            field=models.TextField(blank=True, help_text='What practitioners should remember from it, one point a line, for the briefing\'s "Things to remember"; written with the pseudonym, never names'),
        ),
    ]
