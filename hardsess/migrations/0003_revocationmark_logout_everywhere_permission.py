"""The "log out everywhere" admin action gets a permission of its own,
``hardsess.logout_everywhere`` (before, anyone who could see the user list could run it)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("hardsess", "0002_revocationmark_groups_changed")]  # noqa: RUF012 (Django's migration class attributes)

    operations = [  # noqa: RUF012
        migrations.AlterModelOptions(
            name="revocationmark",
            options={
                "permissions": [("logout_everywhere", "Can log users out everywhere")],
                "verbose_name": "session revocation mark",
                "verbose_name_plural": "session revocation marks",
            },
        ),
    ]
