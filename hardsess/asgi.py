"""``hardsess.asgi.CookieFirewall``: the cookie firewall and the session lifecycle for WebSockets.

Django Channels authenticates a WebSocket from the ``cookie`` header of the ASGI scope, through
its own CookieMiddleware, SessionMiddleware and AuthMiddleware: no Django middleware runs, so
without this wrapper a forged, unsigned or tossed session cookie reaches the consumer, any site
can open a socket with the visitor's cookies (cross-site WebSocket hijacking), and a session
ended by logout or a timeout keeps its open sockets. Wrap the whole WebSocket stack::

    application = ProtocolTypeRouter({
        "http": django_asgi_app,                      # HardSessMiddleware already runs there
        "websocket": CookieFirewall(AuthMiddlewareStack(URLRouter(websocket_urls))),
    })

For a ``websocket`` scope, before the inner application sees it:

* the Cookie header(s) are verified exactly as the HTTP firewall verifies them
  (:func:`hardsess.firewall.incoming.verify_header`: the same parse, the same signatures, the
  same fail-closed duplicates and disguised names, the same log lines and ``cookie_rejected``
  signals, with ``request=None`` and ``scope``); the scope then carries one ``cookie`` header
  with the verified original values, and ``scope["cookies"]`` holds them too;
* ``Origin`` is checked (``check_origin=True``, the default) as Django's CSRF check does: it
  must be this host's own origin (the Host header allowed by ALLOWED_HOSTS, the scheme that of
  the connection or SECURE_PROXY_SSL_HEADER) or one of CSRF_TRUSTED_ORIGINS. Anything else is
  refused before the handshake completes (HTTP 403). A handshake without Origin is no
  browser's (every browser sends one) and is let through: cookies cross sites only in browsers;
* the session named by the verified session cookie is judged as SessionLifecycleMiddleware
  judges a request (timeouts, revocation marks, generations:
  :func:`hardsess.lifecycle.verdict.judge`);
  an ended session's cookie is taken out of the scope, so the consumer sees an anonymous user.

While the socket is open, an authenticated session is judged again every ``recheck_every``
seconds (default 60; None: only at the handshake), by a timer and before a received message is
passed on once the interval has passed: when it has ended (timed out, revoked, logged out or
cycled elsewhere, the user's password changed) the socket is closed with code
:data:`SESSION_ENDED` (4401) and a reason naming why, and the inner application receives
``websocket.disconnect`` with that code. A client that sees 4401 may reconnect once: with a
live session (a cycled key) it is authenticated again, otherwise it must log in.

The socket is not activity: it never writes the session, so an idle timeout counts from the
last HTTP request. ``REPORT_ONLY`` logs each refusal and end it would make and makes none.
Other scope types (``http``, ``lifespan``) pass through untouched: Django's own stack runs
HardSessMiddleware for HTTP. Contract and examples: docs/asgi.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any, Final
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.sessions.backends.base import SessionBase
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host
from django.utils.crypto import constant_time_compare
from django.utils.http import is_same_domain

from hardsess.firewall.incoming import verify_header
from hardsess.firewall.log import shown
from hardsess.firewall.snapshot import current_snapshot
from hardsess.lifecycle import clock
from hardsess.lifecycle.events import session_ended
from hardsess.lifecycle.options import lifecycle_options
from hardsess.lifecycle.stamps import signed_at
from hardsess.lifecycle.verdict import judge

__all__ = ["SESSION_ENDED", "CookieFirewall"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The close code of a socket whose session ended while it was open (4000-4999: private use,
#: RFC 6455 section 7.4.2; 4401 echoes HTTP 401).
SESSION_ENDED: Final = 4401
#: Why a session ended, as a close reason and a log word, beyond the lifecycle's own.
LOGGED_OUT: Final = "logged out"

logger = logging.getLogger("hardsess.asgi")
_sessions_logger = logging.getLogger("hardsess.sessions")


class CookieFirewall:
    """Verifies the cookies, the Origin and the session of every WebSocket (module doc)."""

    def __init__(
        self,
        application: ASGIApp,
        *,
        check_origin: bool = True,
        recheck_every: float | None = 60.0,
    ) -> None:
        if recheck_every is not None and recheck_every <= 0:
            raise ValueError("recheck_every must be a positive number of seconds or None")
        self.application = application
        self.check_origin = check_origin
        self.recheck_every = recheck_every
        # A bad HARDSESS fails the boot, not the first handshake (as the middleware does).
        current_snapshot()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "websocket":
            await self.application(scope, receive, send)
            return
        snapshot = current_snapshot()
        report_only = snapshot.report_only
        headers = list(scope.get("headers") or ())
        if self.check_origin and not _origin_allowed(scope, headers):
            origin = _header(headers, b"origin")
            logger.warning(
                "hardsess%s: %s WebSocket handshake from origin %r (not this site's, not in "
                "CSRF_TRUSTED_ORIGINS; path %s)",
                " [report-only]" if report_only else "",
                "would refuse" if report_only else "refused",
                shown(origin or ""),
                shown(str(scope.get("path", ""))),
                extra={"hardsess_event": "websocket-origin", "report_only": report_only},
            )
            if not report_only:
                await _refuse(receive, send)
                return
        if "session" in scope and "cookies" in scope:
            # Channels' SessionMiddleware ran first (it needs its CookieMiddleware's "cookies";
            # a Starlette session sets no "cookies"): it read the session from the unverified
            # Cookie header, and nothing the firewall does here can take that back.
            logger.error(
                "hardsess%s: %s WebSocket handshake: the scope already holds a session, so "
                "CookieFirewall must wrap Channels' session middleware (AuthMiddlewareStack, "
                "SessionMiddlewareStack), not sit inside it (docs/asgi.md; path %s)",
                " [report-only]" if report_only else "",
                "would refuse" if report_only else "refused",
                shown(str(scope.get("path", ""))),
                extra={"hardsess_event": "websocket-misplaced", "report_only": report_only},
            )
            if not report_only:
                await _refuse(receive, send, 1011)
                return
        crumbs = [value for name, value in headers if name.lower() == b"cookie"]
        # RFC 9113 section 8.2.3: several cookie fields are one header joined with "; ".
        header = "; ".join(crumb.decode("latin-1") for crumb in crumbs)
        cookies = verify_header(header, snapshot, CookieFirewall, scope)
        user_key: str | None = None
        session_key = cookies.get(snapshot.session_cookie_name)
        if session_key:
            user_key, reason = await _judge_in_thread(session_key, None)
            if reason is not None:
                _log_end(reason, user_key, scope, report_only)
                if not report_only:
                    del cookies[snapshot.session_cookie_name]
                    user_key = None
        inner_scope = dict(scope)
        inner_scope["headers"] = [(n, v) for n, v in headers if n.lower() != b"cookie"]
        if cookies:
            inner_scope["headers"].append((b"cookie", _cookie_header(cookies)))
        inner_scope["cookies"] = cookies
        if user_key is None or session_key is None or self.recheck_every is None:
            await self.application(inner_scope, receive, send)
            return
        watch = _Watch(session_key, user_key, self.recheck_every, scope, receive, send, report_only)
        try:
            await self.application(inner_scope, watch.receive, watch.send)
        finally:
            watch.stop()


async def _refuse(receive: Receive, send: Send, code: int = 1008) -> None:
    """Close before accepting: the server answers the handshake with HTTP 403."""
    message = await receive()
    if message.get("type") == "websocket.connect":
        await send({"type": "websocket.close", "code": code})


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _origin_allowed(scope: Scope, headers: list[tuple[bytes, bytes]]) -> bool:
    """Django's CSRF origin check (CsrfViewMiddleware._origin_verified), for a handshake."""
    origin = _header(headers, b"origin")
    if origin is None:
        return True  # no browser: nothing of the visitor's is carried across sites
    host = _host(headers)
    if host is not None:
        scheme = "https" if _is_secure(scope, headers) else "http"
        if origin == f"{scheme}://{host}":
            return True
    trusted = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", ()))
    if origin in trusted:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    for entry in trusted:
        if "*" not in entry:
            continue
        allowed = urlsplit(entry)
        if allowed.scheme == parsed.scheme and is_same_domain(
            parsed.netloc, allowed.netloc.lstrip("*")
        ):
            return True
    return False


def _host(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The Host the handshake names, when ALLOWED_HOSTS allows it (HttpRequest.get_host)."""
    host = None
    if settings.USE_X_FORWARDED_HOST:
        host = _header(headers, b"x-forwarded-host")
    if host is None:
        host = _header(headers, b"host")
    if not host:
        return None
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return host if domain and validate_host(domain, allowed) else None


def _is_secure(scope: Scope, headers: list[tuple[bytes, bytes]]) -> bool:
    """HttpRequest.is_secure for a handshake: SECURE_PROXY_SSL_HEADER, else the scheme."""
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy:
        meta_name, secure_value = proxy
        name = meta_name.removeprefix("HTTP_").lower().replace("_", "-").encode("latin-1")
        value = _header(headers, name)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return scope.get("scheme") in ("wss", "https")


def _cookie_header(cookies: dict[str, str]) -> bytes:
    """One Cookie header that :func:`django.http.cookie.parse_cookie` reads back as ``cookies``.

    A value that would not survive the parse as it is (``;``, surrounding white space, a
    leading quote) is quoted with http.cookies' own escapes, which the parse undoes. A value
    with characters beyond Latin-1 (an ``hs1b`` cookie's) travels as its UTF-8 bytes: what
    Django and Channels make of such a cookie without hardsess (they decode the header as
    Latin-1).
    """
    parts = []
    for name, value in cookies.items():
        if not value.isascii() and max(map(ord, value)) > 255:
            value = value.encode("utf-8", "surrogatepass").decode("latin-1")
        if ";" in value or value != value.strip() or value.startswith('"'):
            value = _quoted(value)
        parts.append(f"{name}={value}")
    return "; ".join(parts).encode("latin-1")


def _quoted(value: str) -> str:
    """``value`` in double quotes with the escapes http.cookies' ``_unquote`` reverses
    (``\\`` before ``"`` and ``\\``, three octal digits for ``;``, controls and non-ASCII)."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == ";" or code < 32 or code > 126:
            out.append(f"\\{code:03o}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _judge_session(session_key: str, expected_user: str | None) -> tuple[str | None, str | None]:
    """(the session's user key, why the session has ended or None) for ``session_key``.

    ``expected_user``: while a socket is open, the user it was opened for; the session then
    also ends when it no longer exists or no longer authenticates that user (logout, a key
    cycled by an HTTP request, a password change: Django's own session hash check).
    """
    engine: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    session = engine(session_key)
    data = dict(session.items())
    if not data:
        return None, (LOGGED_OUT if expected_user is not None else None)
    raw_user = data.get(SESSION_KEY)
    user_key = None if raw_user is None else str(raw_user)
    if expected_user is not None and user_key != expected_user:
        return user_key, LOGGED_OUT
    options = lifecycle_options()
    if options.active:
        verdict = judge(session, data, options, clock.now(), signed_at(session))
        if verdict.reason is not None:
            return user_key, verdict.reason
    if expected_user is not None and not _authenticates(data, expected_user):
        return user_key, LOGGED_OUT
    return user_key, None


def _authenticates(data: Mapping[str, Any], expected_user: str) -> bool:
    """Whether the session ``data`` still authenticates ``expected_user``: Django's
    :func:`~django.contrib.auth.get_user` without its writes.

    get_user flushes a session whose hash no longer matches and cycles the key of one whose
    hash matches only a SECRET_KEY_FALLBACKS key; done here, no response would carry the new
    key and the browser's session would be deleted. The HTTP request that follows does both,
    as Django does.
    """
    backend_path = data.get(BACKEND_SESSION_KEY)
    if (
        SESSION_KEY not in data
        or not isinstance(backend_path, str)
        or backend_path not in settings.AUTHENTICATION_BACKENDS
    ):
        return False
    user_id = get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    user = load_backend(backend_path).get_user(user_id)
    if user is None or str(user.pk) != expected_user:
        return False
    if not hasattr(user, "get_session_auth_hash"):
        return True
    session_hash = data.get(HASH_SESSION_KEY)
    if not isinstance(session_hash, str) or not session_hash:
        return False
    if constant_time_compare(session_hash, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    )


def _judge_with_connections(
    session_key: str, expected_user: str | None
) -> tuple[str | None, str | None]:
    # As Channels' database_sync_to_async: no stale connection outlives a long-lived socket.
    close_old_connections()
    try:
        return _judge_session(session_key, expected_user)
    finally:
        close_old_connections()


async def _judge_in_thread(
    session_key: str, expected_user: str | None
) -> tuple[str | None, str | None]:
    """:func:`_judge_session` off the event loop (session stores and marks are blocking I/O)."""
    return await sync_to_async(_judge_with_connections)(session_key, expected_user)


def _log_end(reason: str, user_key: str | None, scope: Scope, report_only: bool) -> None:
    """The lifecycle's line and signal for a WebSocket session that ended (never the key)."""
    _sessions_logger.warning(
        "%send websocket session (%s) (user %s, path %s)",
        "[report-only] would " if report_only else "",
        reason,
        user_key if user_key is not None else "anonymous",
        shown(str(scope.get("path", ""))),
        extra={"hardsess_event": "end", "report_only": report_only},
    )
    session_ended.send(
        CookieFirewall, request=None, scope=scope, reason=reason, report_only=report_only
    )


class _Watch:
    """Re-judges an open socket's session; closes the socket when the session has ended."""

    def __init__(
        self,
        session_key: str,
        user_key: str,
        every: float,
        scope: Scope,
        receive: Receive,
        send: Send,
        report_only: bool,
    ) -> None:
        self.session_key = session_key
        self.user_key = user_key
        self.every = every
        self.scope = scope
        self._receive = receive
        self._send = send
        self.report_only = report_only
        self.next_check = time.monotonic() + every
        #: The websocket.disconnect the inner application gets once the socket was closed here.
        self.ended: Message | None = None
        self._ended_event = asyncio.Event()
        self._pending: asyncio.Future[Message] | None = None
        self._timer: asyncio.Task[None] | None = None
        #: Stop judging: the inner application closed the socket, or report-only has spoken.
        self.done = False
        self._lock = asyncio.Lock()

    async def send(self, message: Message) -> None:
        if self.ended is not None:
            return  # closed here: the inner application's late messages go nowhere
        await self._send(message)
        kind = message.get("type")
        if kind == "websocket.accept" and self._timer is None and not self.done:
            self._timer = asyncio.ensure_future(self._tick())
        elif kind == "websocket.close":
            self.done = True

    async def receive(self) -> Message:
        if self.ended is not None:
            return self.ended
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._receive())
        ended_wait: asyncio.Future[Any] = asyncio.ensure_future(self._ended_event.wait())
        waiters: set[asyncio.Future[Any]] = {self._pending, ended_wait}
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended_wait.cancel()
        if self.ended is not None:
            return self.ended
        message = self._pending.result()
        self._pending = None
        if message.get("type") == "websocket.disconnect":
            self.done = True
        elif (
            message.get("type") == "websocket.receive"
            and not self.done
            and time.monotonic() >= self.next_check
        ):
            await self._check()
            if self.ended is not None:
                return self.ended
        return message

    async def _tick(self) -> None:
        while not self.done and self.ended is None:
            await asyncio.sleep(max(0.0, self.next_check - time.monotonic()))
            if self.done or self.ended is not None:
                return
            if time.monotonic() >= self.next_check:
                try:
                    await self._check()
                except Exception:
                    # A store that cannot answer cannot vouch for the session: fail closed,
                    # as an HTTP request would (a 500, and no page).
                    logger.exception("hardsess: could not judge a WebSocket's session; closing")
                    await self._close(1011, "session could not be judged")
                    return

    async def _check(self) -> None:
        async with self._lock:  # the timer and a received message never judge twice at once
            if self.done or self.ended is not None or time.monotonic() < self.next_check:
                return
            _, reason = await _judge_in_thread(self.session_key, self.user_key)
            self.next_check = time.monotonic() + self.every
            if reason is None:
                return
            _log_end(reason, self.user_key, self.scope, self.report_only)
            if self.report_only:
                self.done = True  # said once; the socket stays open
                return
            await self._close(SESSION_ENDED, f"session ended ({reason})")

    async def _close(self, code: int, reason: str) -> None:
        """Close the socket here; the inner application receives websocket.disconnect."""
        self.ended = {"type": "websocket.disconnect", "code": code}
        self._ended_event.set()
        with contextlib.suppress(Exception):  # the client may be gone already
            await self._send({"type": "websocket.close", "code": code, "reason": reason})

    def stop(self) -> None:
        self.done = True
        for task in (self._timer, self._pending):
            if task is not None and not task.done():
                task.cancel()
