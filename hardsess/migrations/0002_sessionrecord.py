"""The per-user index of session keys (hardsess.models.SessionRecord)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hardsess", "0001_initial")]  # noqa: RUF012 (Django's migration class attributes)

    operations = [  # noqa: RUF012
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
