from __future__ import annotations

from django.contrib.sessions.backends import cache

from tests.sessions.engines import CountingMixin


class SessionStore(CountingMixin, cache.SessionStore):
    engine_name = "cache"
