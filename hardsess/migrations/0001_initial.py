"""hardsess's tables: revocation marks and the per-user index of session keys."""

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
        migrations.CreateModel(
            name="SessionRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("user_key", models.CharField(db_index=True, max_length=255)),
                ("session_key", models.CharField(max_length=255)),
                ("created", models.FloatField()),
            ],
            options={"verbose_name": "session record"},
        ),
        migrations.AddConstraint(
            model_name="sessionrecord",
            constraint=models.UniqueConstraint(
                fields=("user_key", "session_key"), name="hardsess_sessionrecord_unique"
            ),
        ),
    ]
