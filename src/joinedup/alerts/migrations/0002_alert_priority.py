"""Each alert carries its rule's priority (issue 16). Existing alerts take the tier their
rule has in the catalogue as shipped; a rule no longer in it leaves its alerts routine."""

import tomllib
from importlib import resources

from django.db import migrations, models


def tiers_of_the_shipped_catalogue() -> dict[str, str]:
    """Rule id to tier, read from the TOML itself: the catalogue's checks may change later,
    this step must keep running."""
    text = resources.files("joinedup.alerts").joinpath("catalogue.toml").read_text("utf-8")
    return {rule["id"]: rule["priority"] for rule in tomllib.loads(text).get("rule", [])
            if isinstance(rule, dict) and isinstance(rule.get("id"), str)
            and rule.get("priority") in ("urgent", "high", "routine")}


def set_priorities(apps, schema_editor):  # type: ignore[no-untyped-def]
    alert = apps.get_model("alerts", "Alert")
    for rule_id, tier in tiers_of_the_shipped_catalogue().items():
        if tier != "routine":
            alert.objects.filter(rule=rule_id).update(priority=tier)


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='alert',
            name='priority',
            field=models.CharField(choices=[('urgent', 'Urgent'), ('high', 'High'), ('routine', 'Routine')], default='routine', help_text="How soon it asks for action: its rule's tier", max_length=8),
        ),
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['status', 'priority', 'fired_on'], name='alerts_aler_status_28e452_idx'),
        ),
        migrations.RunPython(set_priorities, migrations.RunPython.noop),
    ]
