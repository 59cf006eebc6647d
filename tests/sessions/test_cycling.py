"""Periodic session key cycling (hardsess/lifecycle/cycling.py): every CYCLE_KEY_EVERY seconds
of use, data kept. Cycling on a privilege change: test_privileges.py."""

from __future__ import annotations

from typing import Any

import pytest

from hardsess import sessions
from tests.sessions.conftest import FakeClock, _assert_cycled, get, session_key, signed_in, stored
from tests.sessions.engines import SAVES

pytestmark = pytest.mark.django_db

EVERY = 300


def test_periodic_cycle_keeps_data_and_changes_key(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, cycle_key_every=EVERY)
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
