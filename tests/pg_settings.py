"""A Django DATABASES entry for the suite's PostgreSQL (``HARDSESS_TEST_DATABASE_URL``), in a
schema of the test's own: other test runs share the database. Used by the servers' settings
(tests/runtime/server_settings.py) and by in-process connections (tests/sessions/test_marks.py);
no pytest here, so a server process does not import it."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit


def postgres_database(url: str, schema: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": {"options": f"-c search_path={schema}"},
    }
