from __future__ import annotations

from hardsess.backends import signed_cookies
from tests.sessions.engines import CountingMixin


class SessionStore(CountingMixin, signed_cookies.SessionStore):
    engine_name = "hardsess_cookies"
