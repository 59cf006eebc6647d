"""A Django DATABASES entry for the suite's PostgreSQL (``HARDSESS_TEST_DATABASE_URL``),
optionally in a schema of the test's own (other test runs share the database). Used by the
servers' settings (tests/runtime/server_settings.py, tests/fleet/site/settings.py) and by
in-process connections (tests/sessions/test_marks.py); no pytest here, so a server process
does not import it."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit


def postgres_database(url: str, schema: str | None = None) -> dict[str, Any]:
    parts = urlsplit(url)
    entry: dict[str, Any] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
    }
    if schema is not None:
        entry["OPTIONS"] = {"options": f"-c search_path={schema}"}
    return entry
