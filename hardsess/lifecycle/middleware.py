"""Session lifecycle: idle and absolute timeouts, key cycling, logout revocation.

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

and :class:`SessionLifecycleMiddleware` is placed after SessionMiddleware and
AuthenticationMiddleware. The state lives in the session itself, under keys that start with
``_hardsess_`` (seconds since the epoch), so every session engine works the same way.

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

Time comes from :func:`clock`, a module-level function that tests replace.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Final

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase, UpdateError
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal, receiver
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch
from django.utils.functional import LazyObject, empty

from hardsess import conf
from hardsess.lifecycle import marks as revocation
from hardsess.lifecycle import privileges, stored_sessions
from hardsess.lifecycle.group_changes import connect_group_signals
from hardsess.lifecycle.options import LifecycleOptions, lifecycle_options, options_or_none

logger = logging.getLogger("hardsess.sessions")

#: Seconds since the epoch when the session started, or when a user last logged in to it.
CREATED: Final = "_hardsess_created"
#: Request-start time of the latest request that wrote the activity stamp.
LAST_ACTIVITY: Final = "_hardsess_last_activity"
#: When the session key was last cycled (or first seen, if it never was).
CYCLED: Final = "_hardsess_cycled"
#: When the session was bound to its user (login); compared with the user's revocation mark.
ISSUED: Final = "_hardsess_issued"
#: A keyed hash of the user's privileges (is_staff, is_superuser, groups) when last seen.
PRIVILEGE: Final = "_hardsess_privilege"
#: signed_cookies with REVOCATION: a random id of the session, kept across cycles...
SID: Final = "_hardsess_sid"
#: ...and how often it was cycled; a copy below the generation in the mark store is refused.
GENERATION: Final = "_hardsess_generation"

#: Sent when a session is ended (reason "idle", "absolute", "revoked" or "superseded": a
#: signed_cookies copy from before a cycle), also in report-only
#: mode (``report_only=True``: nothing was ended). Arguments: request, reason, report_only.
session_ended = Signal()

_REQUEST_ATTR: Final = "_hardsess_lifecycle"


def clock() -> float:
    """Seconds since the epoch. Every decision of this module reads time through here."""
    return time.time()


# ------------------------------------------------------------------------------ judgements


def _age(data: Mapping[str, Any], key: str, now: float) -> float | None:
    stamp = data.get(key)
    if isinstance(stamp, bool) or not isinstance(stamp, (int, float)):
        return None
    return now - stamp


def _stamp_age(
    data: Mapping[str, Any], key: str, now: float, signed_at: float | None
) -> float | None:
    """The age of a clock stamp; a missing (or malformed) one counts from ``signed_at``.

    What a missing stamp means depends on where the session lives. A server-side session has one
    copy: hardsess writes the stamp into it at first sight, and the clock starts there for
    every holder of the key (``signed_at`` None: no age yet). Every copy of a ``signed_cookies``
    session is the session, and a stamp written into the re-issued cookie does not reach the
    copy an attacker kept: so the clock starts at what the copy itself proves, the time Django
    signed it (``signed_at``), which no replay can move.
    """
    age = _age(data, key, now)
    if age is None and signed_at is not None:
        return now - signed_at
    return age


def signed_at(session: SessionBase) -> float | None:
    """When Django signed this ``signed_cookies`` session (TimestampSigner seconds); None for
    another engine or a cookie without a timestamp.

    Read from the cookie value the session was loaded from: call it once the session has loaded
    (``load()`` has then verified the signature over the timestamp, and its age).
    """
    if not isinstance(session, CookieStore):
        return None
    value = session.session_key
    parts = value.rsplit(":", 2) if value else []
    if len(parts) != 3:
        return None
    try:
        return float(signing.b62_decode(parts[1]))
    except ValueError:
        return None


def end_reason(
    data: Mapping[str, Any], options: LifecycleOptions, now: float, signed: float | None = None
) -> str | None:
    """Why the session ``data`` must end at ``now`` ("idle" / "absolute"), or None.

    The boundary is inclusive: a session idle for exactly IDLE_TIMEOUT seconds has expired, one
    second less is alive. Revocation is judged separately (it needs the mark store). ``signed``:
    the signature time of a cookie session, from which a missing stamp counts (_stamp_age).
    """
    if options.absolute_timeout is not None:
        age = _stamp_age(data, CREATED, now, signed)
        if age is not None and age >= options.absolute_timeout:
            return "absolute"
    if options.idle_timeout is not None:
        idle = _stamp_age(data, LAST_ACTIVITY, now, signed)
        if idle is not None and idle >= options.idle_timeout:
            return "idle"
    return None


def due_stamps(
    data: Mapping[str, Any],
    options: LifecycleOptions,
    now: float,
    *,
    writing: bool,
    signed: float | None = None,
) -> dict[str, Any]:
    """The bookkeeping stamps to write into ``data`` now (``writing``: the session is saved
    anyway, so refreshing the activity stamp is free). A missing or malformed start or cycle
    stamp is written as ``signed`` (a cookie session's signature time) when known, else now:
    re-issuing a cookie must not restart a clock its older copies still run on."""
    stamps: dict[str, Any] = {}
    start = int(signed if signed is not None else now)
    if options.absolute_timeout is not None and _age(data, CREATED, now) is None:
        stamps[CREATED] = start
    if options.idle_timeout is not None:
        idle = _age(data, LAST_ACTIVITY, now)
        if writing or idle is None or idle >= options.activity_write_interval:
            stamps[LAST_ACTIVITY] = int(now)
    if options.cycle_key_every is not None and _age(data, CYCLED, now) is None:
        stamps[CYCLED] = start
    if options.revocation is not None and SESSION_KEY in data and ISSUED not in data:
        stamps[ISSUED] = now
    return stamps


# ------------------------------------------------------------------------------ middleware


@dataclass
class _Pending:
    """What the request phase decided, for the response phase to apply."""

    now: float
    options: LifecycleOptions
    start_key: str | None
    cycle_reason: str | None = None
    stamps: dict[str, Any] = field(default_factory=dict)
    #: The session's data as the request phase read it (None: the session was empty).
    data: dict[str, Any] | None = None
    #: When Django signed the cookie of a signed_cookies session (None: another engine).
    signed: float | None = None


def _log(event: str, request: HttpRequest) -> None:
    # The user's pk and the path identify the case; the session key and cookie never appear.
    user_key = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    report = conf.report_only()
    logger.warning(
        "%s%s (user %s, path %s)",
        "[report-only] would " if report else "",
        event,
        user_key if user_key is not None else "anonymous",
        request.path,
        extra={"hardsess_event": event.split(" ", 1)[0], "report_only": report},
    )


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


def tracks_generations(options: LifecycleOptions, session: SessionBase) -> bool:
    """Whether cycling this session must raise its generation: ``signed_cookies`` (nothing to
    delete on the server) with REVOCATION (a mark store to hold the generation)."""
    return options.revocation is not None and isinstance(session, CookieStore)


def _new_lineage() -> dict[str, Any]:
    return {SID: secrets.token_urlsafe(16), GENERATION: 0}


def _generation(data: Mapping[str, Any]) -> int | None:
    value = data.get(GENERATION)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_superseded(data: Mapping[str, Any], marks: revocation.UserMarks) -> bool:
    """Whether a cookie session is a copy from before its latest cycle (or carries a
    generation it could not have been given)."""
    if marks.generation is None:
        return False
    generation = _generation(data)
    return generation is None or generation < marks.generation


def _raise_generation(session: SessionBase, options: LifecycleOptions) -> None:
    """Before a cookie session is cycled: its copies of the current generation end."""
    if not tracks_generations(options, session):
        return
    if not isinstance(session.get(SID), str):
        # A session from before generations (or one that missed its stamps): it starts a
        # lineage here; copies made before cannot be told apart (docs/sessions.md).
        session.update(_new_lineage())
    sid = str(session[SID])
    generation = (_generation(session) or 0) + 1
    store = revocation.mark_store(options.revocation, options.revocation_cache)
    assert store is not None
    # Written before the new cookie exists: if the write fails, the request fails with it and
    # no new cookie is issued (Django does not save the session of a 5xx).
    store.set_generation(sid, generation, float(settings.SESSION_COOKIE_AGE), clock())
    session[GENERATION] = generation


def _cycle_key(session: SessionBase, options: LifecycleOptions) -> None:
    """``session.cycle_key()`` (new key, same data, old key deleted); the index row follows.
    A ``signed_cookies`` session has no old key to delete: its generation is raised instead."""
    _raise_generation(session, options)
    old_key = session.session_key
    session.cycle_key()
    new_key = session.session_key
    indexed = stored_sessions.index_kept(options.revocation, type(session))
    if indexed and old_key and new_key and old_key != new_key:
        stored_sessions.move_session(old_key, new_key)


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
        now = clock()
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
        now = clock()
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
        pending = _Pending(now=now, options=options, start_key=session.session_key)
        setattr(request, _REQUEST_ATTR, pending)
        if session.is_empty():
            return None  # no cookie: nothing to judge, and no query spent finding that out
        data = pending.data = dict(session.items())
        if not data:
            return None
        pending.signed = signed_at(session)
        reason = end_reason(data, options, now, pending.signed)
        tracked = tracks_generations(options, session)
        sid = data.get(SID) if tracked else None
        sid = sid if isinstance(sid, str) else None
        user_key = (
            str(data[SESSION_KEY])
            if options.revocation is not None and SESSION_KEY in data
            else None
        )
        marks: revocation.UserMarks | None = None
        if reason is None and (user_key is not None or sid is not None):
            # One lookup serves revocation, the generation of a cookie session and, through
            # its "groups changed" time, the privilege hash below.
            store = revocation.mark_store(options.revocation, options.revocation_cache)
            assert store is not None
            marks = store.lookup(user_key, sid)
            issued = data.get(ISSUED)
            issued_at = issued if isinstance(issued, (int, float)) else None
            if user_key is not None and revocation.is_revoked(issued_at, marks.valid_after):
                reason = "revoked"
            elif sid is not None and is_superseded(data, marks):
                reason = "superseded"
        if reason is not None:
            return self._end(request, reason, options)
        if options.cycle_on_privilege_change and SESSION_KEY in data:
            user = _loaded(request.user)
            if user.is_authenticated:
                fingerprint = privileges.fingerprint(user, marks)
                stored = data.get(PRIVILEGE)
                if stored != fingerprint:
                    pending.stamps[PRIVILEGE] = fingerprint
                    if stored is not None:
                        pending.cycle_reason = "privilege change"
        if options.cycle_key_every is not None:
            since = _stamp_age(data, CYCLED, now, pending.signed)
            if since is not None and since >= options.cycle_key_every:
                pending.cycle_reason = pending.cycle_reason or "periodic"
        if tracked and sid is None:
            if pending.cycle_reason is not None:
                # A cookie session from before generations whose cycle is due: its copies
                # cannot be told apart, so none may outlive the cycle. Ended, not cycled.
                return self._end(request, "superseded", options)
            pending.stamps.update(_new_lineage())  # its generations start now
        return None

    def _end(
        self, request: HttpRequest, reason: str, options: LifecycleOptions
    ) -> HttpResponseBase | None:
        report = conf.report_only()
        _log(
            f"end session ({reason})" if reason != "revoked" else "refuse session (revoked)",
            request,
        )
        session_ended.send(type(self), request=request, reason=reason, report_only=report)
        if report:
            return None
        _become_anonymous(request, options)
        setattr(request, _REQUEST_ATTR, None)
        url = options.expired_redirect_url
        if url is not None and _wants_html_page(request):
            target = _redirect_target(url)
            if target is not None and target != request.path:
                return HttpResponseRedirect(target)
        return None

    # -- response phase: stamp and cycle

    def on_response(self, request: HttpRequest, response: HttpResponseBase) -> None:
        """Write due stamps and cycle the key, without a whole-session write of stale data."""
        pending: _Pending | None = getattr(request, _REQUEST_ATTR, None)
        session: SessionBase | None = getattr(request, "session", None)
        if pending is None or session is None or response.status_code >= 500:
            return  # Django does not save the session of a 5xx response either
        same_session = session.session_key == pending.start_key
        if session.modified or settings.SESSION_SAVE_EVERY_REQUEST:
            # Django saves this session whole anyway (the view wrote it, or the site saves on
            # every request): the stamps ride along at no extra cost. A write aside would be
            # overwritten by that save. A view that logged in or out has its own stamps.
            if session.is_empty() or not same_session:
                return
            stamps = due_stamps(
                dict(session.items()),
                pending.options,
                pending.now,
                writing=True,
                signed=pending.signed,
            )
            stamps.update(pending.stamps)
            session.update(stamps)
            self._cycle(request, session, pending)
            return
        if session.is_empty() or not same_session:
            return
        # Not modified since the request phase read it: that copy is the data (no second copy).
        data = pending.data if pending.data is not None else dict(session.items())
        stamps = due_stamps(
            data, pending.options, pending.now, writing=False, signed=pending.signed
        )
        stamps.update(pending.stamps)
        if pending.cycle_reason is not None:
            stamps[CYCLED] = int(pending.now)
        if not stamps:
            return  # the promise: a read-only request inside the interval writes nothing
        if isinstance(session, CookieStore):
            # The data *is* the cookie: there is no stored copy to merge into.
            session.update(stamps)
            self._cycle(request, session, pending)
            return
        self._write_aside(request, session, stamps, pending)

    def _cycle(self, request: HttpRequest, session: SessionBase, pending: _Pending) -> None:
        if pending.cycle_reason is None:
            return
        _log(f"cycle session key ({pending.cycle_reason})", request)
        session[CYCLED] = int(pending.now)
        if not conf.report_only():
            _cycle_key(session, pending.options)

    def _write_aside(
        self,
        request: HttpRequest,
        session: SessionBase,
        stamps: dict[str, Any],
        pending: _Pending,
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
        if pending.cycle_reason is not None:
            self._cycle(request, fresh, pending)
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


# ------------------------------------------------------------------------ signals and API


def _session_engine() -> type[SessionBase]:
    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    return store


@receiver(user_logged_in, dispatch_uid="hardsess.sessions.on_login")
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Login starts a fresh lifecycle: new start, activity, cycle and issue stamps.

    Django has already cycled the key (or flushed, for another user). ISSUED reads the clock now,
    not at request start: a login that completes after a logout-everywhere must survive it.
    """
    options = options_or_none()
    if options is None:
        return
    if request is None or not options.active or not hasattr(request, "session"):
        return
    pending: _Pending | None = getattr(request, _REQUEST_ATTR, None)
    now = pending.now if pending is not None else clock()
    stamps: dict[str, Any] = due_stamps({}, options, now, writing=True)
    if options.absolute_timeout is not None:
        stamps[CREATED] = int(now)
    if options.cycle_key_every is not None:
        stamps[CYCLED] = int(now)
    if options.revocation is not None:
        stamps[ISSUED] = clock()
    if options.cycle_on_privilege_change:
        stamps[PRIVILEGE] = privileges.fingerprint_now(user, options)
    if tracks_generations(options, request.session):
        stamps.update(_new_lineage())  # a login starts a lineage of its own
    request.session.update(stamps)
    session_key = request.session.session_key
    if session_key and stored_sessions.index_kept(options.revocation, type(request.session)):
        # Rows of this user's sessions that expired unseen are older than any live session.
        horizon = max(settings.SESSION_COOKIE_AGE, options.absolute_timeout or 0)
        stored_sessions.record_session(revocation.user_key_of(user), session_key, clock(), horizon)


@receiver(user_logged_out, dispatch_uid="hardsess.sessions.on_logout")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """With ``signed_cookies``, logout marks the user: a copy of the cookie is refused from now.

    Other engines delete the session on logout themselves, so no mark is needed (and a mark
    would end the user's sessions on every other device too). For ``signed_cookies`` that is
    the price: the mark is per user, so logout there ends every session of the user.
    """
    if user is None or request is None:
        return
    options = options_or_none()
    if options is None:
        return
    session = getattr(request, "session", None)
    if options.revocation is None or session is None:
        return
    if not isinstance(session, CookieStore):
        if session.session_key and stored_sessions.index_kept(options.revocation, type(session)):
            stored_sessions.forget_session(session.session_key)  # Django deletes the session itself
        return
    store = revocation.mark_store(options.revocation, options.revocation_cache)
    assert store is not None
    store.set(revocation.user_key_of(user), clock())


def privilege_changed(request: HttpRequest) -> None:
    """Call after changing the privileges of ``request.user`` in this request (sudo mode,
    role switch): the session key is cycled now, data kept, and the fingerprint refreshed so
    the next request does not cycle again. Works whether or not CYCLE_ON_PRIVILEGE_CHANGE is on.
    In report-only mode it logs and does not cycle.
    """
    session: SessionBase = request.session
    now = clock()
    _log("cycle session key (privilege_changed)", request)
    user = getattr(request, "user", None)
    options = lifecycle_options()
    if user is not None and user.is_authenticated:
        session[PRIVILEGE] = privileges.fingerprint_now(user, options)
    if options.cycle_key_every is not None:
        session[CYCLED] = int(now)
    pending: _Pending | None = getattr(request, _REQUEST_ATTR, None)
    if pending is not None and SID in pending.stamps and SID not in session:
        # The request phase gave this session its lineage, due at the response: needed now.
        session.update({SID: pending.stamps.pop(SID), GENERATION: pending.stamps.pop(GENERATION)})
    if not conf.report_only():
        _cycle_key(session, options)


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
    store = revocation.mark_store(options.revocation, options.revocation_cache)
    if store is None and not enumerable:
        raise ImproperlyConfigured(
            f"logout_everywhere cannot end sessions of the {settings.SESSION_ENGINE} engine "
            "without HARDSESS['SESSION']['REVOCATION'] ('cache' or 'db')"
        )
    key = revocation.user_key_of(user)
    if store is not None:
        store.set(key, clock())
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
