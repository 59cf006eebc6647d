"""Renamed and subclassed middleware: the checks must recognise them by class, not by name."""

from __future__ import annotations

from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.csrf import CsrfViewMiddleware

from hardsess.middleware import HardSessMiddleware


class TenantSessions(SessionMiddleware):
    """A project's own session middleware under another name."""


class StrictCsrf(CsrfViewMiddleware):
    """A project's own CSRF middleware under another name."""


class Firewall(HardSessMiddleware):
    """hardsess's firewall, subclassed and renamed."""


def factory_middleware(get_response: object) -> object:
    """A function middleware: not a class, so name matching decides."""
    return get_response
