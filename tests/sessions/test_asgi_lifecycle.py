"""The lifecycle over a WebSocket (hardsess.asgi.CookieFirewall): timeouts and revocation judged
at the handshake and while the socket is open, on the scripted clock.

The session is made by a real login through the HTTP stack (the test client); the socket then
carries that session's cookie signed as the firewall signs it, as a browser would hold it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from hardsess.asgi import SESSION_ENDED, CookieFirewall
from hardsess.sessions import logout_everywhere
from hardsess.testing import sign_cookie
from tests.runtime.websocket_driver import QUIET, Inner, run, ws_scope
from tests.sessions.conftest import FakeClock, lifecycle, login, session_key

pytestmark = pytest.mark.django_db

IDLE = 600


@pytest.fixture(params=["db", "signed_cookies"])
def engine_name(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> str:
    from tests.sessions.conftest import _configure_engine

    name: str = request.param
    _configure_engine(name, settings, tmp_path)
    return name


def _socket_cookie(client: Client) -> str:
    key = session_key(client)
    assert key is not None
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={sign_cookie(name, key)}"


def _signed_in(settings: Any, report_only: bool = False, **options: Any) -> str:
    lifecycle(settings, report_only, **options)
    client = Client()
    login(client)
    return _socket_cookie(client)


def _firewall(inner: Inner) -> CookieFirewall:
    # Due at every received message: the judgment never waits for the timer.
    return CookieFirewall(inner, recheck_every=1e-6)


def _has_session(inner: Inner) -> bool:
    assert inner.scope is not None
    return django_settings.SESSION_COOKIE_NAME in inner.scope["cookies"]


def _message(text: str) -> dict[str, Any]:
    return {"type": "websocket.receive", "text": text}


def test_a_live_session_reaches_the_consumer(
    engine_name: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    cookie = _signed_in(settings, idle_timeout=IDLE)
    clock.advance(IDLE - 1)
    inner = Inner()
    sent = run(_firewall(inner), ws_scope(cookie), [_message("hi")])
    assert _has_session(inner)
    assert sent[:2] == [{"type": "websocket.accept"}, {"type": "websocket.send", "text": "hi"}]


def test_an_idle_session_is_ended_at_the_handshake(
    engine_name: str,
    clock: FakeClock,
    settings: Any,
    alice: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cookie = _signed_in(settings, idle_timeout=IDLE)
    clock.advance(IDLE)
    inner = Inner()
    run(_firewall(inner), ws_scope(cookie))
    assert not _has_session(inner)  # the consumer sees an anonymous user
    assert "end websocket session (idle) (user " in caplog.text


def test_a_session_that_times_out_while_open_closes_the_socket(
    engine_name: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    cookie = _signed_in(settings, absolute_timeout=3600)
    inner = Inner()
    sent = run(
        _firewall(inner),
        ws_scope(cookie),
        [_message("one"), lambda: clock.advance(3600), _message("two")],
    )
    assert {"type": "websocket.send", "text": "one"} in sent
    assert sent[-1] == {
        "type": "websocket.close",
        "code": SESSION_ENDED,
        "reason": "session ended (absolute)",
    }
    assert {"type": "websocket.send", "text": "two"} not in sent  # never passed on
    assert inner.received[-1] == {"type": "websocket.disconnect", "code": SESSION_ENDED}


def test_logout_everywhere_closes_the_socket(
    engine_name: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    cookie = _signed_in(settings, revocation="db")

    def elsewhere() -> None:
        clock.advance(5)
        logout_everywhere(alice)

    sent = run(_firewall(Inner()), ws_scope(cookie), [_message("one"), elsewhere, _message("x")])
    assert sent[-1]["code"] == SESSION_ENDED
    # db: the stored session is deleted (logged out); signed_cookies: the mark refuses it.
    why = "revoked" if engine_name == "signed_cookies" else "logged out"
    assert sent[-1]["reason"] == f"session ended ({why})"


def test_a_password_change_elsewhere_closes_the_socket(
    clock: FakeClock, settings: Any, alice: Any, tmp_path: Any
) -> None:
    from tests.sessions.conftest import _configure_engine

    _configure_engine("db", settings, tmp_path)
    cookie = _signed_in(settings, idle_timeout=IDLE)

    def new_password() -> None:
        alice.set_password("another one")
        alice.save()

    sent = run(_firewall(Inner()), ws_scope(cookie), [new_password, _message("x")])
    assert sent[-1] == {
        "type": "websocket.close",
        "code": SESSION_ENDED,
        "reason": "session ended (logged out)",
    }


def test_report_only_logs_and_keeps_the_session(
    clock: FakeClock,
    settings: Any,
    alice: Any,
    tmp_path: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.sessions.conftest import _configure_engine

    _configure_engine("db", settings, tmp_path)
    cookie = _signed_in(settings, report_only=True, absolute_timeout=3600)
    clock.advance(3600)
    inner = Inner()
    sent = run(_firewall(inner), ws_scope(cookie), [_message("one"), _message("two")])
    assert _has_session(inner)
    assert all(message["type"] != "websocket.close" for message in sent)
    assert "[report-only] would end websocket session (absolute)" in caplog.text


def test_a_quiet_socket_is_closed_by_the_timer(
    clock: FakeClock, settings: Any, alice: Any, tmp_path: Any
) -> None:
    """No message arrives after the revocation: the timer's judgment closes the socket."""
    from tests.sessions.conftest import _configure_engine

    _configure_engine("signed_cookies", settings, tmp_path)
    cookie = _signed_in(settings, revocation="db")

    def elsewhere() -> None:
        clock.advance(5)
        logout_everywhere(alice)

    inner = Inner()
    sent = run(_firewall(inner), ws_scope(cookie), [elsewhere, QUIET])
    assert sent[-1] == {
        "type": "websocket.close",
        "code": SESSION_ENDED,
        "reason": "session ended (revoked)",
    }
    assert inner.received == [{"type": "websocket.disconnect", "code": SESSION_ENDED}]


def test_a_session_that_cannot_be_judged_closes_the_socket(
    clock: FakeClock,
    settings: Any,
    alice: Any,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The store fails while the socket is open: fail closed (1011), as HTTP would fail."""
    from hardsess import asgi
    from tests.sessions.conftest import _configure_engine

    _configure_engine("db", settings, tmp_path)
    cookie = _signed_in(settings, idle_timeout=IDLE)

    def store_down(*args: Any) -> Any:
        raise ConnectionError("session store unreachable")

    sent = run(
        _firewall(Inner()),
        ws_scope(cookie),
        [lambda: monkeypatch.setattr(asgi, "_judge_session", store_down), QUIET],
    )
    assert sent[-1] == {
        "type": "websocket.close",
        "code": 1011,
        "reason": "session could not be judged",
    }
    assert "could not judge a WebSocket's session" in caplog.text


def test_a_secret_key_rotation_leaves_the_stored_session_alone(
    clock: FakeClock, settings: Any, alice: Any, tmp_path: Any
) -> None:
    """The session hash was made with a key now in SECRET_KEY_FALLBACKS. Django's get_user
    would cycle the session key there (a new stored session no browser holds, the old one
    deleted): judging an open socket's session must never write it, so the browser's session
    stays live for its next HTTP request (which cycles it, as Django does) and the socket stays
    open."""
    from django.contrib.sessions.models import Session

    from tests.sessions.conftest import _configure_engine

    _configure_engine("db", settings, tmp_path)
    cookie = _signed_in(settings, idle_timeout=IDLE)
    stored = set(Session.objects.values_list("session_key", flat=True))
    assert len(stored) == 1

    def rotate() -> None:
        settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
        settings.SECRET_KEY = "a new secret key, " + "x" * 50

    sent = run(_firewall(Inner()), ws_scope(cookie), [rotate, _message("one"), _message("two")])
    assert set(Session.objects.values_list("session_key", flat=True)) == stored
    assert {"type": "websocket.send", "text": "two"} in sent
    assert all(message.get("code") != SESSION_ENDED for message in sent)


def test_a_firewall_placed_inside_channels_session_middleware_refuses_the_socket(
    settings: Any, alice: Any, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Channels' SessionMiddleware outside the firewall has loaded scope["session"] from the
    unverified Cookie header: a raw, unsigned session key authenticates there. The firewall
    cannot take that back, so it refuses the handshake and says where it belongs."""
    from channels.sessions import SessionMiddlewareStack  # type: ignore[import-untyped]

    from tests.sessions.conftest import _configure_engine

    _configure_engine("db", settings, tmp_path)
    client = Client()
    login(client)
    raw_key = session_key(client)
    inner = Inner()
    misplaced = SessionMiddlewareStack(_firewall(inner))
    name = django_settings.SESSION_COOKIE_NAME
    sent = run(misplaced, ws_scope(f"{name}={raw_key}"))
    assert inner.scope is None  # the inner application never ran
    assert sent == [{"type": "websocket.close", "code": 1011}]
    assert "CookieFirewall must wrap Channels' session middleware" in caplog.text
