"""The lifecycle's functions for application code: ``privilege_changed`` and ``logout_everywhere``.

Documented as importable from ``hardsess.sessions`` (docs/sessions.md, "Application API"),
which re-exports them. Both read the options as the middleware does and raise
ImproperlyConfigured when they are invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from hardsess import conf
from hardsess.lifecycle import clock, marks, stored_sessions
from hardsess.lifecycle.bookkeeping import bookkeeping_of
from hardsess.lifecycle.cycling import cycle_key
from hardsess.lifecycle.events import log_event, logger
from hardsess.lifecycle.generations import GENERATION, SID
from hardsess.lifecycle.options import lifecycle_options
from hardsess.lifecycle.privileges import fingerprint_now
from hardsess.lifecycle.stamps import CYCLED, PRIVILEGE


def privilege_changed(request: HttpRequest) -> None:
    """Call after changing the privileges of ``request.user`` in this request (sudo mode,
    role switch): the session key is cycled now, data kept, and the fingerprint refreshed so
    the next request does not cycle again. Works whether or not CYCLE_ON_PRIVILEGE_CHANGE is on.
    In report-only mode it logs and does not cycle.
    """
    session: SessionBase = request.session
    now = clock.now()
    log_event("cycle session key (privilege_changed)", request)
    user = getattr(request, "user", None)
    options = lifecycle_options()
    if user is not None and user.is_authenticated:
        session[PRIVILEGE] = fingerprint_now(user, options)
    if options.cycle_key_every is not None:
        session[CYCLED] = int(now)
    bookkeeping = bookkeeping_of(request)
    if bookkeeping is not None and SID in bookkeeping.stamps and SID not in session:
        # The request phase gave this session its lineage, due at the response: needed now.
        stamps = bookkeeping.stamps
        session.update({SID: stamps.pop(SID), GENERATION: stamps.pop(GENERATION)})
    if not conf.report_only():
        cycle_key(session, options)


async def aprivilege_changed(request: HttpRequest) -> None:
    """:func:`privilege_changed` for async views (the session stores are synchronous)."""
    await sync_to_async(privilege_changed)(request)


@dataclass(frozen=True)
class LogoutEverywhereResult:
    """What :func:`logout_everywhere` did."""

    #: A "valid after" mark was written (REVOCATION on): every session issued until now is
    #: refused by the middleware, whatever the engine.
    marked: bool
    #: Stored sessions deleted (report-only: that would have been deleted).
    sessions_ended: int
    #: Whether the user's stored sessions could be found at all: through hardsess' index
    #: (REVOCATION = "db", any server-side engine) or a scan (db, cached_db, file).
    enumerable: bool


def _session_engine() -> type[SessionBase]:
    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    return store


def logout_everywhere(user: Any) -> LogoutEverywhereResult:
    """End every session of ``user`` on every device.

    With REVOCATION on, writes the user's mark first (the middleware then refuses any session
    of the user issued until now, on every engine). Then deletes the stored sessions of the user
    where the engine can list them (db, cached_db, file; see
    :mod:`hardsess.lifecycle.stored_sessions`).

    Raises ImproperlyConfigured when neither is possible (``cache`` or ``signed_cookies`` engine
    without REVOCATION): silently doing nothing would leave the user logged in. In report-only
    mode the mark is written (it is bookkeeping; the middleware only logs what it would refuse)
    and the stored sessions are counted, not deleted.
    """
    options = lifecycle_options()
    engine = _session_engine()
    enumerable = stored_sessions.can_enumerate(engine)
    store = marks.mark_store(options.revocation, options.revocation_cache)
    if store is None and not enumerable:
        raise ImproperlyConfigured(
            f"logout_everywhere cannot end sessions of the {settings.SESSION_ENGINE} engine "
            "without HARDSESS['SESSION']['REVOCATION'] ('cache' or 'db')"
        )
    key = marks.user_key_of(user)
    if store is not None:
        store.set(key, clock.now())
    report = conf.report_only()
    if stored_sessions.index_kept(options.revocation, engine):
        # The index reaches every engine that stores sessions (cache included) without a scan;
        # a session it does not know is refused by the mark just written.
        enumerable = True
        ended = stored_sessions.end_indexed_sessions(engine, key, dry_run=report)
    elif enumerable:
        ended = stored_sessions.end_stored_sessions(engine, key, dry_run=report)
    else:
        ended = 0
    logger.warning(
        "%slogout everywhere for user %s: %d stored session(s) %s, mark %s",
        "[report-only] " if report else "",
        key,
        ended,
        "found, none deleted" if report else "deleted",
        "written" if store is not None else "not configured",
        extra={"hardsess_event": "logout-everywhere", "report_only": report},
    )
    return LogoutEverywhereResult(
        marked=store is not None, sessions_ended=ended, enumerable=enumerable
    )


async def alogout_everywhere(user: Any) -> LogoutEverywhereResult:
    """:func:`logout_everywhere` for async code."""
    return await sync_to_async(logout_everywhere)(user)
