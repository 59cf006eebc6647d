from __future__ import annotations

from django.contrib.sessions.backends import file

from tests.sessions.engines import CountingMixin


class SessionStore(CountingMixin, file.SessionStore):
    engine_name = "file"
