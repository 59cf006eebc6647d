"""The lifecycle middleware below the cookie firewall (hardsess.middleware.HardSessMiddleware).

The firewall signs every cookie on the way out and verifies it on the way in, so what the
client holds is the firewall's wire format around the session key; the lifecycle middleware
sees the verified inner value. Both must hold their promises together.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from hardsess.conf import LIFECYCLE_MIDDLEWARE_PATH, MIDDLEWARE_PATH
from tests.sessions.conftest import STACK, FakeClock, _configure_engine, get, signed_in

pytestmark = pytest.mark.django_db

FULL_STACK = [STACK[0], MIDDLEWARE_PATH, *STACK[1:]]


@pytest.fixture(params=["db", "signed_cookies", "hardsess_cookies"])
def firewalled(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> str:
    name: str = request.param
    _configure_engine(name, settings, tmp_path)
    settings.MIDDLEWARE = FULL_STACK
    assert settings.MIDDLEWARE[-1] == LIFECYCLE_MIDDLEWARE_PATH
    return name


def _cookie(client: Client) -> str:
    return str(client.cookies[django_settings.SESSION_COOKIE_NAME].value)


def test_idle_timeout_behind_the_firewall(
    firewalled: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, idle_timeout=600, activity_write_interval=60)
    clock.advance(599)
    assert get(client)["user"] == "alice"
    clock.advance(600)
    response = client.get("/read/")
    assert response.json()["user"] is None
    assert response.cookies[django_settings.SESSION_COOKIE_NAME].value == ""


def test_replay_after_logout_refused_behind_the_firewall(
    firewalled: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, revocation="db")
    captured = _cookie(client)  # the firewall's signed wrapper: valid, so it passes the firewall
    clock.advance(5)
    client.post("/logout/")
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = captured
    assert get(attacker)["user"] is None


def test_cycled_key_leaves_signed_by_the_firewall(
    firewalled: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, cycle_key_every=300)
    client.post("/write/?note=kept")
    before = _cookie(client)
    clock.advance(300)
    response = client.get("/read/")
    assert response.json() == {"user": "alice", "note": "kept"}
    after = _cookie(client)
    assert after != before
    # The client got a cookie that the firewall accepts on the next request.
    assert get(client) == {"user": "alice", "note": "kept"}
