"""One row per user for both marks: "groups changed" joins "valid after", which may now be empty
(a user whose groups changed but who never logged out everywhere)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hardsess", "0001_initial")]  # noqa: RUF012 (Django's migration class attributes)

    operations = [  # noqa: RUF012
        migrations.AlterField(
            model_name="revocationmark",
            name="valid_after",
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name="revocationmark",
            name="groups_changed",
            field=models.FloatField(null=True),
        ),
    ]
