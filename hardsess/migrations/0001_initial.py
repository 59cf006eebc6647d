"""The revocation marks table (hardsess.models.RevocationMark)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []  # noqa: RUF012 (Django's migration class attributes)

    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="RevocationMark",
            fields=[
                (
                    "user_key",
                    models.CharField(max_length=255, primary_key=True, serialize=False),
                ),
                ("valid_after", models.FloatField()),
            ],
            options={
                "verbose_name": "session revocation mark",
                "verbose_name_plural": "session revocation marks",
            },
        ),
    ]
