"""The app config: importing it must stay cheap (no libcst, no middleware)."""

from __future__ import annotations

from django.apps import AppConfig


class HardSessConfig(AppConfig):
    name = "hardsess"
    verbose_name = "hardsess"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # System checks register themselves on import (hardsess.checks).
        from hardsess import checks  # noqa: F401
        from hardsess.lifecycle.group_changes import connect_group_signals

        # In every process (the admin, a shell, a management command), not only in those that
        # load the lifecycle middleware: a membership can change anywhere.
        connect_group_signals()
