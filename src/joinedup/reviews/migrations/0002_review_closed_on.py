from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="closed_on",
            field=models.DateField(
                blank=True, null=True,
                help_text="When the review was closed: its panel's access to the child's "
                          "record ends after a grace period"),
        ),
    ]
