"""The shared keyring of ``HARDSESS["KEY_STORE"] = "database"`` (issue 14)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hardsess", "0005_fleetreport")]  # noqa: RUF012 (Django's migration class attributes)

    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="KeyRingVersion",
            fields=[
                ("version", models.PositiveIntegerField(primary_key=True, serialize=False)),
                ("document", models.TextField()),
                ("written", models.DateTimeField()),
            ],
            options={"verbose_name": "key ring version"},
        ),
    ]
