"""Finding a user's stored sessions (hardsess/lifecycle/stored_sessions.py): the index of
session keys kept with REVOCATION = "db", and where it is not kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hardsess import sessions
from hardsess.models import SessionRecord
from tests.sessions.conftest import (
    COOKIE_ENGINES,
    FakeClock,
    get,
    lifecycle,
    login,
    session_key,
    stored,
)

pytestmark = pytest.mark.django_db


def test_session_index_follows_login_cycle_logout_and_expiry(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="db", cycle_key_every=300, idle_timeout=600)

    def indexed() -> list[str]:
        return list(SessionRecord.objects.filter(user_key=str(alice.pk)).values_list(
            "session_key", flat=True))  # fmt: skip

    laptop, phone = Client(), Client()
    login(laptop)
    login(phone)
    assert sorted(indexed()) == sorted([session_key(laptop), session_key(phone)])

    clock.advance(300)  # the laptop's key cycles: its row follows
    before = session_key(laptop)
    assert get(laptop)["user"] == "alice"
    assert session_key(laptop) != before
    assert sorted(indexed()) == sorted([session_key(laptop), session_key(phone)])

    laptop.post("/logout/")
    assert indexed() == [session_key(phone)]
    clock.advance(600)  # the phone's session idles out
    assert get(phone)["user"] is None
    assert indexed() == []


def test_index_reaches_the_cache_engine_and_prunes_old_rows(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="db")
    SessionRecord.objects.create(user_key=str(alice.pk), session_key="x" * 32, created=0.0)
    client = Client()
    login(client)  # prunes the row of a session that expired long ago
    key = session_key(client)
    if engine in COOKIE_ENGINES:
        # Nothing on the server to index, so the index is not touched at all.
        assert list(SessionRecord.objects.values_list("session_key", flat=True)) == ["x" * 32]
        return
    assert list(SessionRecord.objects.values_list("session_key", flat=True)) == [key]
    clock.advance(5)
    assert sessions.logout_everywhere(alice).sessions_ended == 1
    assert stored(key) == {}
    assert not SessionRecord.objects.exists()


def test_no_index_with_marks_in_the_cache(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="cache")
    login(Client())
    assert not SessionRecord.objects.exists()
