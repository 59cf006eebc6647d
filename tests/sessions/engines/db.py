from __future__ import annotations

from django.contrib.sessions.backends import db

from tests.sessions.engines import CountingMixin


class SessionStore(CountingMixin, db.SessionStore):
    engine_name = "db"
