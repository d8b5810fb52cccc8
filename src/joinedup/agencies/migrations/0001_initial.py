"""Agency and Submission, moved here from ``ingest`` (decision 0010). Their tables already
exist (``ingest_agency``, ``ingest_submission``, made by ingest's first migrations): this
migration changes only what Django knows, never the database."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ingest', '0002_domestic_abuse_service_kind'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.CreateModel(
                    name='Agency',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=32, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z0-9][A-Z0-9_-]{0,31}$', "An agency code is up to 32 capital letters, digits, '_' or '-', e.g. HV or CSC_PREV.")])),
                        ('name', models.CharField(max_length=200)),
                        ('kind', models.CharField(choices=[('CHILDRENS_SOCIAL_CARE', "Children's social care"), ('EARLY_HELP', 'Early help'), ('MIDWIFERY', 'Midwifery'), ('HEALTH_VISITING', 'Health visiting'), ('GP', 'General practice'), ('HOSPITAL', 'Hospital'), ('ADULT_MENTAL_HEALTH', 'Adult mental health'), ('ADULT_SOCIAL_CARE', 'Adult social care'), ('POLICE', 'Police'), ('PROBATION', 'Probation'), ('PRISON', 'Prison'), ('REFUGE', 'Refuge'), ('DOMESTIC_ABUSE_SERVICE', 'Domestic abuse service'), ('PROGRAMME_PROVIDER', 'Programme provider'), ('HOUSING', 'Housing'), ('EDUCATION', 'Education'), ('OTHER', 'Other')], max_length=40)),
                        ('area_code', models.CharField(max_length=9, validators=[django.core.validators.RegexValidator('^[EWSN]\\d{8}$', 'An area is an ONS GSS code: a letter and eight digits, e.g. E08000007.')])),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name_plural': 'agencies',
                        'db_table': 'ingest_agency',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='Submission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_name', models.CharField(max_length=500)),
                        ('sha256', models.CharField(max_length=64)),
                        ('format', models.CharField(max_length=20)),
                        ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('received_by', models.CharField(max_length=150)),
                        ('rows_read', models.PositiveIntegerField(default=0)),
                        ('rows_loaded', models.PositiveIntegerField(default=0)),
                        ('rows_unchanged', models.PositiveIntegerField(default=0)),
                        ('rows_quarantined', models.PositiveIntegerField(default=0)),
                        ('warnings', models.PositiveIntegerField(default=0)),
                        ('counts', models.JSONField(default=dict, help_text='Per table: read, new, corrected, ...')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='agencies.agency')),
                    ],
                    options={
                        'db_table': 'ingest_submission',
                        'ordering': ['-received_at', '-id'],
                        'constraints': [models.UniqueConstraint(fields=('agency', 'sha256'), name='submission_once_per_agency')],
                    },
                ),
        ]),
    ]
