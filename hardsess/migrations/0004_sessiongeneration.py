"""Cookie-session generations: cycling the key of a ``signed_cookies`` session ends the copies
issued before the cycle (issue 10, item 5)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hardsess", "0003_revocationmark_logout_everywhere_permission")]  # noqa: RUF012 (Django's migration class attributes)

    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="SessionGeneration",
            fields=[
                (
                    "session_id",
                    models.CharField(max_length=64, primary_key=True, serialize=False),
                ),
                ("generation", models.PositiveIntegerField()),
                ("expires", models.FloatField(db_index=True)),
            ],
            options={"verbose_name": "signed-cookie session generation"},
        ),
    ]
