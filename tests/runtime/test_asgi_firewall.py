"""hardsess.asgi.CookieFirewall driven in-process as an ASGI application: the scope it passes on,
the Origin rules, the cookie header it rebuilds. The real-server tests with Channels are in
test_asgi_websockets.py; the lifecycle's judgments over a socket in
tests/sessions/test_asgi_lifecycle.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.http.cookie import parse_cookie
from hypothesis import given
from hypothesis import strategies as st

from hardsess.asgi import CookieFirewall, _cookie_header
from hardsess.signals import cookie_rejected
from hardsess.testing import sign_cookie
from tests.runtime.conftest import flip_last
from tests.runtime.websocket_driver import Inner, run, ws_scope


def inner_cookies(inner: Inner) -> dict[str, str]:
    """What Channels' CookieMiddleware would read: the first cookie header, parsed."""
    assert inner.scope is not None
    headers = [v for n, v in inner.scope["headers"] if n == b"cookie"]
    assert len(headers) <= 1
    parsed = parse_cookie(headers[0].decode("latin-1")) if headers else {}
    assert parsed == inner.scope["cookies"]
    return parsed


def test_signed_cookies_reach_the_inner_app_as_their_original_values() -> None:
    inner = Inner()
    cookie = f"prefs={sign_cookie('prefs', 'theme=dark; a b')}; other={sign_cookie('other', 'x')}"
    sent = run(CookieFirewall(inner), ws_scope(cookie))
    assert sent[0] == {"type": "websocket.accept"}
    assert inner_cookies(inner) == {"prefs": "theme=dark; a b", "other": "x"}


def test_tampered_and_unsigned_cookies_are_removed_and_signalled() -> None:
    seen: list[tuple[str, str, Any, Any]] = []

    def receiver(sender: Any, request: Any, name: str, reason: str, **kwargs: Any) -> None:
        seen.append((name, reason, request, kwargs.get("scope")))

    cookie_rejected.connect(receiver)
    try:
        inner = Inner()
        tampered = flip_last(sign_cookie("prefs", "dark"))
        scope = ws_scope(f"prefs={tampered}; sessionid=abcdefgh12345678; js=1")
        run(CookieFirewall(inner), scope)
    finally:
        cookie_rejected.disconnect(receiver)
    assert inner_cookies(inner) == {}
    assert {(name, reason) for name, reason, _, _ in seen} == {
        ("prefs", "bad_signature"),
        ("sessionid", "unsigned"),
        ("js", "foreign"),  # set by JavaScript: dropped too, logged once per name
    }
    assert all(request is None and got is scope for _, _, request, got in seen)


@pytest.mark.django_db
def test_cookie_crumbs_are_joined_and_their_duplicates_fail_closed() -> None:
    """Two cookie fields (HTTP/2 crumbs) are one header: Channels alone reads the first only,
    so a duplicate in the second would pass unseen."""
    inner = Inner()
    first, second = sign_cookie("sessionid", "abcdefgh12345678"), sign_cookie("prefs", "dark")
    run(CookieFirewall(inner), ws_scope([f"sessionid={first}", f"prefs={second}"]))
    assert inner_cookies(inner) == {"sessionid": "abcdefgh12345678", "prefs": "dark"}
    inner = Inner()
    run(CookieFirewall(inner), ws_scope([f"sessionid={first}", f"sessionid={first}"]))
    assert inner_cookies(inner) == {}


def test_report_only_passes_everything_on(settings: Any) -> None:
    settings.HARDSESS = {"REPORT_ONLY": True}
    inner = Inner()
    sent = run(CookieFirewall(inner), ws_scope("prefs=unsigned", origin="https://evil.example"))
    assert sent[0] == {"type": "websocket.accept"}
    assert inner_cookies(inner) == {"prefs": "unsigned"}


@pytest.mark.parametrize(
    ("origin", "scheme", "allowed"),
    [
        ("http://testserver", "ws", True),
        ("https://testserver", "wss", True),
        ("https://testserver", "ws", False),  # the connection is not secure: not this origin
        ("http://testserver", "wss", False),
        ("https://evil.example", "wss", False),
        ("null", "ws", False),  # a sandboxed frame or a file: page
        ("http://testserver.evil.example", "ws", False),
        ("https://trusted.example", "wss", True),  # CSRF_TRUSTED_ORIGINS, exact
        ("https://a.wild.example", "wss", True),  # CSRF_TRUSTED_ORIGINS, https://*.wild.example
        ("http://a.wild.example", "ws", False),  # the wildcard is for https only
        ("https://wild.example.evil", "wss", False),
        (None, "ws", True),  # no browser sends a handshake without Origin
    ],
)
def test_origin_is_judged_as_django_judges_csrf(
    settings: Any, origin: str | None, scheme: str, allowed: bool
) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://trusted.example", "https://*.wild.example"]
    inner = Inner()
    sent = run(CookieFirewall(inner), ws_scope(origin=origin, scheme=scheme))
    if allowed:
        assert sent[0] == {"type": "websocket.accept"}
    else:
        assert sent == [{"type": "websocket.close", "code": 1008}]
        assert inner.scope is None  # the inner application never saw the handshake


def test_origin_of_a_host_outside_allowed_hosts_is_refused(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["example.com"]
    sent = run(CookieFirewall(Inner()), ws_scope(origin="http://testserver"))
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_origin_behind_a_tls_proxy(settings: Any) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    scope = ws_scope(origin="https://testserver")
    scope["headers"].append((b"x-forwarded-proto", b"https"))
    assert run(CookieFirewall(Inner()), scope)[0] == {"type": "websocket.accept"}


def test_origin_check_can_be_turned_off() -> None:
    sent = run(CookieFirewall(Inner(), check_origin=False), ws_scope(origin="https://evil.example"))
    assert sent[0] == {"type": "websocket.accept"}


def test_http_and_lifespan_scopes_pass_through_untouched() -> None:
    for scope in (
        {"type": "http", "headers": [(b"cookie", b"prefs=unsigned")]},
        {"type": "lifespan"},
    ):
        inner = Inner()

        async def call(scope: dict[str, Any] = scope, inner: Inner = inner) -> None:
            await CookieFirewall(inner)(scope, _never, _never)

        async_to_sync(call)()
        assert inner.scope == scope


async def _never(*args: Any) -> Any:
    raise AssertionError("not called")


def test_recheck_every_must_be_positive() -> None:
    with pytest.raises(ValueError):
        CookieFirewall(Inner(), recheck_every=0)


#: Cookie values as a site may set them: any Latin-1 text (what a header can carry as itself).
_values = st.text(st.characters(max_codepoint=255, exclude_characters="\x00"), max_size=40)
_names = st.text("abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)


@given(st.dictionaries(_names, _values, max_size=6))
def test_the_rebuilt_header_parses_back_to_the_verified_cookies(cookies: dict[str, str]) -> None:
    expected = {name: value for name, value in cookies.items() if name or value}
    assert parse_cookie(_cookie_header(cookies).decode("latin-1")) == expected
