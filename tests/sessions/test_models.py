"""The lifecycle's tables (hardsess/models.py) and their migrations."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_migrations_match_the_models() -> None:
    """A model change without its migration would break every site's ``migrate``."""
    from django.core.management import call_command

    call_command("makemigrations", "hardsess", check=True, dry_run=True, verbosity=0)
