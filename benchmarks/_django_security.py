"""django-security's ``SessionExpiryPolicyMiddleware`` as the peer benchmark runs it.

django-security 1.x (Django 5 support) requires Python 3.12; on Python 3.10/3.11 pip installs
0.12.0, whose ``BaseMiddleware.__init__`` never calls ``MiddlewareMixin.__init__``, so on
Django >= 5.0 every request fails with ``AttributeError: ... no attribute 'async_mode'`` (the
attribute Django 5's MiddlewareMixin.__call__ reads). This subclass sets that one attribute and
changes nothing else: the expiry logic timed is django-security's own.
"""

from __future__ import annotations

from typing import Any

from security.middleware import SessionExpiryPolicyMiddleware


class DjangoSecurityExpiry(SessionExpiryPolicyMiddleware):  # type: ignore[misc]
    def __init__(self, get_response: Any = None) -> None:
        super().__init__(get_response)
        self.async_mode = False
