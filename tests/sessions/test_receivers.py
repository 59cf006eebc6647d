"""Login and logout (hardsess/lifecycle/receivers.py): a login restarts the lifecycle, a logout
with signed_cookies marks the user so that a copy of the cookie is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from hardsess.models import RevocationMark
from tests.sessions.conftest import (
    FakeClock,
    _assert_cycled,
    _configure_engine,
    get,
    lifecycle,
    login,
    replay,
    session_key,
    signed_in,
)

pytestmark = pytest.mark.django_db

COOKIE = "signed_cookies"
EVERY = 300


@pytest.mark.parametrize("backend", ["cache", "db"])
def test_signed_cookie_replayed_after_logout_is_refused(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any, backend: str
) -> None:
    client = signed_in(settings, revocation=backend)
    captured = session_key(client)
    assert captured is not None
    assert get(replay(captured))["user"] == "alice"  # a copy works while logged in

    clock.advance(5)
    client.post("/logout/")
    assert get(replay(captured))["user"] is None
    if backend == "db":
        assert RevocationMark.objects.get(user_key=str(alice.pk)).valid_after == clock.now

    clock.advance(5)  # logging in again issues a cookie after the mark: accepted
    login(client)
    assert get(client)["user"] == "alice"
    assert get(replay(captured))["user"] is None


def test_without_revocation_a_logged_out_signed_cookie_still_works(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """Django's behaviour, which HS108 warns about and REVOCATION fixes."""
    client = signed_in(settings, idle_timeout=600)
    captured = session_key(client)
    assert captured is not None
    client.post("/logout/")
    assert get(replay(captured))["user"] == "alice"


def test_logout_with_a_server_side_engine_leaves_other_devices_alone(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="db")
    laptop, phone = Client(), Client()
    login(laptop)
    login(phone)
    clock.advance(5)
    phone.post("/logout/")  # Django deletes the phone's session; no mark is needed
    assert not RevocationMark.objects.exists()
    assert get(laptop)["user"] == "alice"


def test_login_cycles_and_restarts_the_period(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, cycle_key_every=EVERY)
    client = Client()
    client.post("/write/?note=anonymous-cart")
    anonymous = session_key(client)
    clock.advance(EVERY - 10)
    login(client)  # Django cycles on login; hardsess restarts its period there
    after_login = _assert_cycled(engine, anonymous, client)
    clock.advance(EVERY - 1)
    assert get(client) == {"user": "alice", "note": "anonymous-cart"}
    assert session_key(client) == after_login


def test_a_typo_in_the_options_does_not_break_login_outside_requests(
    settings: Any, alice: Any, tmp_path: Any
) -> None:
    """Signal receivers skip invalid options (check hardsess.E163 and the middleware report
    them); the middleware itself refuses to run with them."""
    _configure_engine("db", settings, tmp_path)
    lifecycle(settings, idle_timeout=-5)
    client = Client()
    client.force_login(alice)
    with pytest.raises(ImproperlyConfigured, match="IDLE_TIMEOUT"):
        client.get("/read/")
