"""What each server process reports to the fleet: observed cookies for the guided rollout
(issue 11, part 3)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hardsess", "0004_sessiongeneration")]  # noqa: RUF012 (Django's migration class attributes)

    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="FleetReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("process", models.CharField(max_length=200)),
                ("kind", models.CharField(max_length=32)),
                ("payload", models.JSONField()),
                ("updated", models.DateTimeField(db_index=True)),
            ],
            options={"verbose_name": "fleet report"},
        ),
        migrations.AddConstraint(
            model_name="fleetreport",
            constraint=models.UniqueConstraint(
                fields=("process", "kind"), name="hardsess_fleetreport_unique"
            ),
        ),
    ]
