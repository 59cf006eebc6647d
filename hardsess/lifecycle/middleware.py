"""SessionLifecycleMiddleware: enforces ``HARDSESS["SESSION"]`` on every request.

Everything is off until ``HARDSESS["SESSION"]`` turns it on (see docs/sessions.md)::

    HARDSESS = {"SESSION": {
        "IDLE_TIMEOUT": 15 * 60,            # seconds without a request; None = off
        "ABSOLUTE_TIMEOUT": 8 * 3600,       # seconds since the session started or last login
        "ACTIVITY_WRITE_INTERVAL": 60,      # write the activity stamp at most this often
        "CYCLE_KEY_EVERY": 15 * 60,         # new session key every N seconds of use, data kept
        "CYCLE_ON_PRIVILEGE_CHANGE": True,  # new key when is_staff/is_superuser/groups change
        "REVOCATION": "db",                 # "cache" | "db": per-user "valid after" marks
        "REVOCATION_CACHE": "default",      # the cache alias for REVOCATION = "cache"
        "EXPIRED_REDIRECT_URL": None,       # where an HTML GET of an ended session is sent
    }}

and the middleware is placed after SessionMiddleware and AuthenticationMiddleware, by its
documented path ``hardsess.sessions.SessionLifecycleMiddleware``. The state lives in the
session itself (:mod:`hardsess.lifecycle.stamps`), so every session engine works the same way.

Contracts the middleware keeps:

* Expiry and revocation are judged once, at the start of the request, with the time read then: a
  long request never ends the session it started with. An ended session is flushed and the
  request goes on as anonymous (or an HTML GET is redirected to EXPIRED_REDIRECT_URL).
* A read-only request writes nothing, except the bookkeeping stamps when they are due (activity
  at most once per ACTIVITY_WRITE_INTERVAL). That write re-reads the session from the store and
  changes only hardsess' own keys, so it cannot carry stale data over a concurrent request's
  write. A request that writes the session anyway carries the stamps along for free.
* ``REPORT_ONLY`` logs every end, refusal and cycle it would apply and applies none of them.
  It still keeps its stamps (without them there is nothing to judge).
* Nothing is logged that could resume a session: never a session key or a cookie value.

Importing this module connects the login and logout receivers (:mod:`hardsess.lifecycle.receivers`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase, UpdateError
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch
from django.utils.functional import LazyObject, empty

from hardsess import conf
from hardsess.lifecycle import (
    clock,
    receivers,  # noqa: F401  (imported to connect the login and logout receivers)
    stored_sessions,
)
from hardsess.lifecycle.bookkeeping import RequestBookkeeping, bookkeeping_of, keep_bookkeeping
from hardsess.lifecycle.cycling import cycle_key
from hardsess.lifecycle.events import log_event, logger, session_ended
from hardsess.lifecycle.generations import new_lineage
from hardsess.lifecycle.group_changes import connect_group_signals
from hardsess.lifecycle.options import LifecycleOptions, lifecycle_options
from hardsess.lifecycle.privileges import fingerprint
from hardsess.lifecycle.stamps import (
    CYCLED,
    LAST_ACTIVITY,
    PRIVILEGE,
    due_stamps,
    signed_at,
    stamp_age,
)
from hardsess.lifecycle.verdict import judge


def _become_anonymous(request: HttpRequest, options: LifecycleOptions) -> None:
    """Flush the session and make the user anonymous, without Django's logout().

    logout() would send user_logged_out, which with REVOCATION on signed_cookies marks the
    user and so ends their sessions on every device; an expired session is only this one.
    request.user may already be resolved by an earlier middleware, so both user accessors are
    replaced.
    """
    ended_key = request.session.session_key
    request.session.flush()
    if ended_key and stored_sessions.index_kept(options.revocation, type(request.session)):
        stored_sessions.forget_session(ended_key)
    anonymous = AnonymousUser()
    request.user = anonymous

    async def auser() -> AnonymousUser:
        return anonymous

    request.auser = auser


def _loaded(user: Any) -> Any:
    """The user object behind ``request.user``'s lazy wrapper, loading it if need be.

    Every attribute read through a SimpleLazyObject first fails a normal lookup (an exception
    raised and caught) before it is proxied: several microseconds a read on every request.
    The privilege hash reads four attributes, so it reads them from the object itself.
    """
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def _wants_html_page(request: HttpRequest) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("Accept", "")


class SessionLifecycleMiddleware:
    """Enforces HARDSESS["SESSION"]; place it after SessionMiddleware and
    AuthenticationMiddleware. Sync and async (the async path runs the session work, which is
    blocking store I/O, in a thread; with every option off it does nothing at all)."""

    sync_capable = True
    async_capable = True

    def __init__(
        self, get_response: Callable[[HttpRequest], HttpResponseBase | Awaitable[Any]]
    ) -> None:
        self.get_response = get_response
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)
        # Also done by the app's ready(); here for a site that uses the middleware without
        # "hardsess" in INSTALLED_APPS (the connection is made once either way).
        connect_group_signals()

    def __call__(self, request: HttpRequest) -> Any:
        if self._async:
            return self.__acall__(request)
        now = clock.now()
        options = lifecycle_options()
        if not options.active:
            return self.get_response(request)
        early = self.on_request(request, options, now)
        if early is not None:
            return early
        response = self.get_response(request)
        assert isinstance(response, HttpResponseBase)
        self.on_response(request, response)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        now = clock.now()
        options = lifecycle_options()
        if not options.active:
            return await self.get_response(request)  # type: ignore[no-any-return,misc]
        early = await sync_to_async(self.on_request)(request, options, now)
        if early is not None:
            return early
        response = await self.get_response(request)  # type: ignore[misc]
        await sync_to_async(self.on_response)(request, response)
        return response  # type: ignore[no-any-return]

    # -- request phase: judge, at request start only

    def on_request(
        self, request: HttpRequest, options: LifecycleOptions, now: float
    ) -> HttpResponseBase | None:
        """End an expired or revoked session; note what the response phase must stamp/cycle."""
        session = getattr(request, "session", None)
        if session is None:
            raise ImproperlyConfigured(
                f"{conf.LIFECYCLE_MIDDLEWARE_PATH} must come after SessionMiddleware"
            )
        bookkeeping = RequestBookkeeping(now=now, options=options, start_key=session.session_key)
        keep_bookkeeping(request, bookkeeping)
        if session.is_empty():
            return None  # no cookie: nothing to judge, and no query spent finding that out
        data = bookkeeping.data = dict(session.items())
        if not data:
            return None
        bookkeeping.signed = signed_at(session)
        verdict = judge(session, data, options, now, bookkeeping.signed)
        reason, user_marks, sid, tracked = (
            verdict.reason,
            verdict.user_marks,
            verdict.sid,
            verdict.tracked,
        )
        if reason is not None:
            return self._end(request, reason, options)
        if options.cycle_on_privilege_change and SESSION_KEY in data:
            user = _loaded(request.user)
            if user.is_authenticated:
                privilege_hash = fingerprint(user, user_marks)
                stored = data.get(PRIVILEGE)
                if stored != privilege_hash:
                    bookkeeping.stamps[PRIVILEGE] = privilege_hash
                    if stored is not None:
                        bookkeeping.cycle_reason = "privilege change"
        if options.cycle_key_every is not None:
            since = stamp_age(data, CYCLED, now, bookkeeping.signed)
            if since is not None and since >= options.cycle_key_every:
                bookkeeping.cycle_reason = bookkeeping.cycle_reason or "periodic"
        if tracked and sid is None:
            if bookkeeping.cycle_reason is not None:
                # A cookie session from before generations whose cycle is due: its copies
                # cannot be told apart, so none may outlive the cycle. Ended, not cycled.
                return self._end(request, "superseded", options)
            bookkeeping.stamps.update(new_lineage())  # its generations start now
        return None

    def _end(
        self, request: HttpRequest, reason: str, options: LifecycleOptions
    ) -> HttpResponseBase | None:
        report = conf.report_only()
        log_event(
            f"end session ({reason})" if reason != "revoked" else "refuse session (revoked)",
            request,
        )
        session_ended.send(type(self), request=request, reason=reason, report_only=report)
        if report:
            return None
        _become_anonymous(request, options)
        keep_bookkeeping(request, None)
        url = options.expired_redirect_url
        if url is not None and _wants_html_page(request):
            target = _redirect_target(url)
            if target is not None and target != request.path:
                return HttpResponseRedirect(target)
        return None

    # -- response phase: stamp and cycle

    def on_response(self, request: HttpRequest, response: HttpResponseBase) -> None:
        """Write due stamps and cycle the key, without a whole-session write of stale data."""
        bookkeeping = bookkeeping_of(request)
        session: SessionBase | None = getattr(request, "session", None)
        if bookkeeping is None or session is None or response.status_code >= 500:
            return  # Django does not save the session of a 5xx response either
        same_session = session.session_key == bookkeeping.start_key
        if session.modified or settings.SESSION_SAVE_EVERY_REQUEST:
            # Django saves this session whole anyway (the view wrote it, or the site saves on
            # every request): the stamps ride along at no extra cost. A write aside would be
            # overwritten by that save. A view that logged in or out has its own stamps.
            if session.is_empty() or not same_session:
                return
            stamps = due_stamps(
                dict(session.items()),
                bookkeeping.options,
                bookkeeping.now,
                writing=True,
                signed=bookkeeping.signed,
            )
            stamps.update(bookkeeping.stamps)
            session.update(stamps)
            self._cycle(request, session, bookkeeping)
            return
        if session.is_empty() or not same_session:
            return
        # Not modified since the request phase read it: that copy is the data (no second copy).
        data = bookkeeping.data if bookkeeping.data is not None else dict(session.items())
        stamps = due_stamps(
            data, bookkeeping.options, bookkeeping.now, writing=False, signed=bookkeeping.signed
        )
        stamps.update(bookkeeping.stamps)
        if bookkeeping.cycle_reason is not None:
            stamps[CYCLED] = int(bookkeeping.now)
        if not stamps:
            return  # the promise: a read-only request inside the interval writes nothing
        if isinstance(session, CookieStore):
            # The data *is* the cookie: there is no stored copy to merge into.
            session.update(stamps)
            self._cycle(request, session, bookkeeping)
            return
        self._write_aside(request, session, stamps, bookkeeping)

    def _cycle(
        self, request: HttpRequest, session: SessionBase, bookkeeping: RequestBookkeeping
    ) -> None:
        if bookkeeping.cycle_reason is None:
            return
        log_event(f"cycle session key ({bookkeeping.cycle_reason})", request)
        session[CYCLED] = int(bookkeeping.now)
        if not conf.report_only():
            cycle_key(session, bookkeeping.options)

    def _write_aside(
        self,
        request: HttpRequest,
        session: SessionBase,
        stamps: dict[str, Any],
        bookkeeping: RequestBookkeeping,
    ) -> None:
        """Re-read the stored session, add only our stamps, save: a concurrent request's write
        that landed while this one ran is kept (the window left is this re-read-and-save)."""
        fresh = type(session)(session.session_key)
        if not fresh.items() or fresh.session_key is None:
            return  # ended meanwhile (logout elsewhere): never resurrect it
        current = fresh.get(LAST_ACTIVITY)
        new = stamps.get(LAST_ACTIVITY)
        if new is not None and isinstance(current, (int, float)) and current >= new:
            # A request that started after this one has stamped already: never go backwards.
            del stamps[LAST_ACTIVITY]
        fresh.update(stamps)
        if bookkeeping.cycle_reason is not None:
            self._cycle(request, fresh, bookkeeping)
            if fresh.session_key != session.session_key:
                # SessionMiddleware saves request.session and sends its (new) key.
                request.session = fresh
                return
        with contextlib.suppress(UpdateError):
            # UpdateError: deleted between our read and write; as above, it stays ended.
            fresh.save()


#: EXPIRED_REDIRECT_URL values already reported as unresolvable (each logged once a process).
_UNRESOLVABLE: set[str] = set()


def _redirect_target(url: str) -> str | None:
    """Where EXPIRED_REDIRECT_URL points now; None, logged once, when it resolves to nothing.

    A bad setting must never fail the request of an ended session (every expired page view
    would be a 500): the session is ended all the same and the request goes on unredirected.
    System check hardsess.E172 reports the value at start-up.
    """
    try:
        return str(resolve_url(url))
    except NoReverseMatch:
        if url not in _UNRESOLVABLE:
            _UNRESOLVABLE.add(url)
            logger.error(
                "HARDSESS['SESSION']['EXPIRED_REDIRECT_URL'] %r is no URL, path or URL name "
                "(system check hardsess.E172): ended sessions are not redirected",
                url,
                extra={"hardsess_event": "configuration", "report_only": conf.report_only()},
            )
        return None
