"""The application API (hardsess/lifecycle/api.py), through its documented paths in
hardsess.sessions: privilege_changed() cycles now, logout_everywhere() ends every session."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from hardsess import sessions
from tests.sessions.conftest import (
    COOKIE_ENGINES,
    FakeClock,
    _assert_cycled,
    get,
    lifecycle,
    login,
    session_key,
    signed_in,
    stored,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", ["cache", "db"])
def test_logout_everywhere_on_every_engine(
    engine: str, clock: FakeClock, settings: Any, alice: Any, bob: Any, backend: str
) -> None:
    lifecycle(settings, revocation=backend)
    laptop, phone, other = Client(), Client(), Client()
    login(laptop)
    login(phone)
    login(other, "bob")
    keys = [session_key(laptop), session_key(phone)]
    clock.advance(5)

    result = sessions.logout_everywhere(alice)

    assert result.marked
    # Found through hardsess' index (marks in the db) or a scan of the engine's storage.
    indexed = backend == "db" and engine not in COOKIE_ENGINES
    enumerable = indexed or engine in ("db", "cached_db", "file")
    assert result.enumerable is enumerable
    assert result.sessions_ended == (2 if enumerable else 0)
    if enumerable:
        assert [stored(key) for key in keys] == [{}, {}]
    assert get(laptop)["user"] is None
    assert get(phone)["user"] is None
    assert get(other)["user"] == "bob"
    clock.advance(5)
    login(laptop)
    assert get(laptop)["user"] == "alice"


def test_logout_everywhere_without_revocation_deletes_what_it_can(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, idle_timeout=600)
    if engine == "cache" or engine in COOKIE_ENGINES:
        with pytest.raises(ImproperlyConfigured, match="REVOCATION"):
            sessions.logout_everywhere(alice)
        assert get(client)["user"] == "alice"
        return
    result = sessions.logout_everywhere(alice)
    assert (result.marked, result.sessions_ended) == (False, 1)
    assert get(client)["user"] is None


def test_privilege_changed_api_cycles_now(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, cycle_on_privilege_change=True)
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
