from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from tests.sessions.engines import CountingMixin


class SessionStore(CountingMixin, cached_db.SessionStore):
    engine_name = "cached_db"
