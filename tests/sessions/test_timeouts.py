"""Idle and absolute timeouts, judged at request start, on every session engine."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from hardsess import sessions
from tests.sessions import views
from tests.sessions.conftest import (
    COOKIE_ENGINES,
    FakeClock,
    get,
    lifecycle,
    login,
    session_key,
    signed_in,
    stored,
)
from tests.sessions.engines import SAVES

pytestmark = pytest.mark.django_db

IDLE = 600
ABSOLUTE = 8 * 3600


@pytest.fixture
def alice(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice", password="unused-in-these-tests")


def test_idle_timeout_boundary(
    engine: str, clock: FakeClock, settings: Any, alice: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = signed_in(settings, idle_timeout=IDLE, activity_write_interval=60)
    assert stored(session_key(client))[sessions.LAST_ACTIVITY] == int(clock.now)

    clock.advance(IDLE - 1)  # one second before: alive, and the activity stamp moves
    assert get(client)["user"] == "alice"
    last = clock.now
    assert stored(session_key(client))[sessions.LAST_ACTIVITY] == int(last)

    clock.advance(IDLE - 1)  # measured from the new stamp: still alive
    assert get(client)["user"] == "alice"
    old_key = session_key(client)

    clock.now = clock.now + IDLE  # exactly IDLE after the last stamp: ended
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = client.get("/read/")
    assert response.json()["user"] is None
    [record] = [r for r in caplog.records if getattr(r, "hardsess_event", None) == "end"]
    assert record.getMessage() == f"end session (idle) (user {alice.pk}, path /read/)"
    assert old_key is not None
    assert old_key not in caplog.text
    # The session cookie is deleted and the stored session is gone.
    assert response.cookies[django_settings.SESSION_COOKIE_NAME].value == ""
    if engine not in COOKIE_ENGINES:
        assert stored(old_key) == {}
    assert get(client)["user"] is None


def test_absolute_timeout_boundary(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, absolute_timeout=ABSOLUTE, idle_timeout=IDLE)
    start = clock.now
    # Stay active (a request every 5 minutes) right up to the absolute limit.
    while clock.now + 300 < start + ABSOLUTE:
        clock.advance(300)
        assert get(client)["user"] == "alice"
    clock.now = start + ABSOLUTE - 1
    assert get(client)["user"] == "alice"
    clock.now = start + ABSOLUTE
    assert get(client)["user"] is None


def test_login_restarts_the_absolute_timeout(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, absolute_timeout=ABSOLUTE)
    client = Client()
    client.post("/write/?note=cart")  # an anonymous session with data starts the clock
    assert stored(session_key(client))[sessions.CREATED] == int(clock.now)
    clock.advance(ABSOLUTE - 10)
    login(client)  # the authenticated session counts from here
    clock.advance(ABSOLUTE - 1)
    assert get(client) == {"user": "alice", "note": "cart"}
    clock.advance(1)
    assert get(client)["user"] is None


def test_no_write_on_read_only_requests_inside_the_interval(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """The performance promise, as behaviour: backend saves are counted, not timed."""
    client = signed_in(
        settings, idle_timeout=IDLE, activity_write_interval=60, absolute_timeout=ABSOLUTE
    )
    SAVES.clear()
    for _ in range(5):
        clock.advance(11)  # 55 s in all: inside the interval
        response = client.get("/read/")
        assert response.json()["user"] == "alice"
        assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert SAVES[engine] == 0
    clock.advance(5)  # 60 s since the last stamp: exactly one write
    get(client)
    assert SAVES[engine] == 1
    clock.advance(1)
    get(client)
    assert SAVES[engine] == 1


def test_anonymous_request_without_session_writes_nothing(
    engine: str, clock: FakeClock, settings: Any
) -> None:
    lifecycle(settings, idle_timeout=IDLE, absolute_timeout=ABSOLUTE, cycle_key_every=300)
    client = Client()
    response = client.get("/read/")
    assert response.json()["user"] is None
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert SAVES[engine] == 0


def test_a_long_request_does_not_expire_its_own_session(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, idle_timeout=IDLE, activity_write_interval=60)
    clock.advance(IDLE - 1)
    started = clock.now
    views.SLOW_ADVANCE[0] = 3 * IDLE  # the view runs for half an hour
    try:
        assert get(client, "/slow/")["user"] == "alice"
    finally:
        views.SLOW_ADVANCE[0] = 0.0
    # The activity stamp is the request's start, not its end.
    assert stored(session_key(client))[sessions.LAST_ACTIVITY] == int(started)


def test_expired_html_get_is_redirected(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, idle_timeout=IDLE, expired_redirect_url="/expired/")
    clock.advance(IDLE)
    response = client.get("/read/", headers={"accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 302
    assert response["Location"] == "/expired/"
    assert response.cookies[django_settings.SESSION_COOKIE_NAME].value == ""
    assert get(client)["user"] is None


@pytest.mark.parametrize(("method", "accept"), [("get", "application/json"), ("post", "text/html")])
def test_expired_non_page_request_continues_as_anonymous(
    engine: str, clock: FakeClock, settings: Any, alice: Any, method: str, accept: str
) -> None:
    client = signed_in(settings, idle_timeout=IDLE, expired_redirect_url="/expired/")
    client.post("/write/?note=secret")
    clock.advance(IDLE)
    path = "/read/" if method == "get" else "/write/"
    response = getattr(client, method)(path, headers={"accept": accept})
    assert response.status_code == 200
    assert response.json() == {"user": None, "note": None}


def test_everything_off_by_default(engine: str, clock: FakeClock, alice: Any) -> None:
    client = Client()
    login(client)
    assert not any(key.startswith("_hardsess_") for key in stored(session_key(client)))
    clock.advance(10 * 365 * 86400)  # hardsess' clock means nothing when it is off
    assert get(client)["user"] == "alice"


def test_save_every_request_keeps_the_activity_stamp(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """With SESSION_SAVE_EVERY_REQUEST Django saves each request's copy whole: the stamps must
    travel in that copy, or the save would erase them and an active user would time out."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    client = signed_in(settings, idle_timeout=IDLE, activity_write_interval=60)
    for _ in range(4):  # active every 5 minutes for 20 minutes: longer than IDLE in total
        clock.advance(300)
        assert get(client)["user"] == "alice"
    assert stored(session_key(client))[sessions.LAST_ACTIVITY] == int(clock.now)
    clock.advance(IDLE)
    assert get(client)["user"] is None


def test_redirect_by_url_name_and_never_to_itself(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, idle_timeout=IDLE, expired_redirect_url="session-expired")
    clock.advance(IDLE)
    # The expired request is for the redirect target itself: served, not redirected in a loop.
    response = client.get("/expired/", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.content == b"your session has ended"
    login(client)
    clock.advance(IDLE)
    response = client.get("/read/", headers={"accept": "text/html"})
    assert (response.status_code, response["Location"]) == (302, "/expired/")
