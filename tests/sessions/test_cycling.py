"""Session key cycling: every CYCLE_KEY_EVERY seconds of use, and on a privilege change."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from hardsess import sessions
from tests.sessions.conftest import FakeClock, get, lifecycle, login, session_key, stored
from tests.sessions.engines import SAVES

pytestmark = pytest.mark.django_db

EVERY = 300


@pytest.fixture
def alice(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice")


def _assert_cycled(engine: str, old: str | None, client: Client) -> str:
    new = session_key(client)
    assert new is not None
    assert new != old
    if engine != "signed_cookies":  # a cookie session has no stored copy to delete
        assert stored(old) == {}
    return new


def test_periodic_cycle_keeps_data_and_changes_key(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, cycle_key_every=EVERY)
    client = Client()
    login(client)
    client.post("/write/?note=kept")
    first = session_key(client)

    clock.advance(EVERY - 1)
    assert get(client) == {"user": "alice", "note": "kept"}
    assert session_key(client) == first

    clock.advance(1)
    assert get(client) == {"user": "alice", "note": "kept"}
    second = _assert_cycled(engine, first, client)
    assert stored(second)[sessions.CYCLED] == int(clock.now)

    clock.advance(EVERY - 1)  # the period restarts at the cycle
    SAVES.clear()
    assert get(client) == {"user": "alice", "note": "kept"}
    assert session_key(client) == second
    assert SAVES[engine] == 0


@pytest.mark.parametrize("change", ["is_staff", "is_superuser", "group", "demotion"])
def test_privilege_change_cycles_the_key(
    engine: str, clock: FakeClock, settings: Any, alice: Any, change: str
) -> None:
    lifecycle(settings, cycle_on_privilege_change=True)
    if change == "demotion":
        alice.is_staff = True
        alice.save()
    client = Client()
    login(client)
    client.post("/write/?note=kept")
    first = session_key(client)
    clock.advance(1)
    assert get(client)["user"] == "alice"
    assert session_key(client) == first  # nothing changed: nothing cycled

    if change == "group":
        alice.groups.add(Group.objects.create(name="editors"))
    else:
        setattr(alice, "is_staff" if change == "demotion" else change, change != "demotion")
        alice.save()
    clock.advance(1)
    assert get(client) == {"user": "alice", "note": "kept"}
    second = _assert_cycled(engine, first, client)

    clock.advance(1)
    assert get(client)["user"] == "alice"
    assert session_key(client) == second  # the new fingerprint is stored: no second cycle


def test_privilege_changed_api_cycles_now(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, cycle_on_privilege_change=True)
    client = Client()
    login(client)
    client.post("/write/?note=kept")
    first = session_key(client)
    alice.is_superuser = True  # e.g. a sudo-mode view raising the user's rights
    alice.save()
    assert client.post("/sudo/").json() == {"user": "alice", "note": "kept"}
    second = _assert_cycled(engine, first, client)
    clock.advance(1)
    assert get(client)["user"] == "alice"
    assert session_key(client) == second


def test_privilege_changed_works_without_lifecycle_options(
    engine: str, clock: FakeClock, alice: Any
) -> None:
    client = Client()
    login(client)
    client.post("/write/?note=kept")
    first = session_key(client)
    assert client.post("/sudo/").json() == {"user": "alice", "note": "kept"}
    _assert_cycled(engine, first, client)


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
