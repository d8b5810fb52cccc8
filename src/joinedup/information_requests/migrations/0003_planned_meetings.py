"""Professionals meetings can be planned before they are held (issue 16): a status, the
agencies invited, the agenda, who planned it and when, and why it was cancelled. Every
meeting already stored was recorded once held, so it is held."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('information_requests', '0002_agency_moved_to_agencies'),
    ]

    operations = [
        migrations.AddField(
            model_name='professionalsmeeting',
            name='agenda',
            field=models.JSONField(blank=True, default=dict, help_text="What a planned meeting is to look at: alert and event ids, and the organiser's purpose"),
        ),
        migrations.AddField(
            model_name='professionalsmeeting',
            name='cancelled_reason',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='professionalsmeeting',
            name='invited',
            field=models.ManyToManyField(help_text='The agencies asked to come, when planned', related_name='+', to='agencies.agency'),
        ),
        migrations.AddField(
            model_name='professionalsmeeting',
            name='planned_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='professionalsmeeting',
            name='planned_by',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name='professionalsmeeting',
            name='status',
            field=models.CharField(choices=[('planned', 'planned'), ('held', 'held'), ('cancelled', 'cancelled')], default='held', max_length=10),
        ),
        migrations.AlterField(
            model_name='professionalsmeeting',
            name='decisions',
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name='professionalsmeeting',
            name='held_on',
            field=models.DateField(help_text='The day it was held, or is planned for'),
        ),
    ]
