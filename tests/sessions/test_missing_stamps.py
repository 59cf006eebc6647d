"""Issue 10, item 7: a session without hardsess' stamps (issued before the timeouts were on)
does not live forever.

Server-side engines have one copy: hardsess stamps it at first sight and the clock runs from
there for every holder of the key. A signed_cookies session is its cookie, and a stamp written
into the re-issued cookie never reaches the copy someone kept: so a missing stamp counts from
the time Django signed that copy, which replaying it cannot move. (Revocation judges a missing
``_hardsess_issued`` the same way: by what the copy proves, which is nothing against a mark.)

Django's signer reads ``time.time()`` inside ``django.core.signing``; these tests make it read
the fake clock too, so a cookie's signature time and hardsess' clock agree as on a server.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
from django.core import signing
from django.test import Client

from hardsess import sessions
from hardsess.backends import signed_cookies as hardsess_engine
from tests.sessions.conftest import (
    FakeClock,
    get,
    lifecycle,
    login,
    replay,
    session_key,
    stored,
)

pytestmark = pytest.mark.django_db

IDLE = 600
ABSOLUTE = 3600


@pytest.fixture
def signing_clock(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=clock))
    # hardsess's engine stamps its cookie with the time its own module reads.
    monkeypatch.setattr(hardsess_engine, "time", SimpleNamespace(time=clock))
    return clock


def _stampless_login(settings: Any) -> tuple[Client, str]:
    lifecycle(settings)  # everything off: login writes no stamp
    client = Client()
    login(client)
    captured = session_key(client)
    assert captured is not None
    assert not any(key.startswith("_hardsess_") for key in stored(captured))
    return client, captured


def test_a_stampless_cookie_copy_idles_out_from_its_signature(
    signed_cookies: None, signing_clock: FakeClock, settings: Any, alice: Any
) -> None:
    _, captured = _stampless_login(settings)
    lifecycle(settings, idle_timeout=IDLE)
    signing_clock.advance(IDLE - 1)
    assert get(replay(captured))["user"] == "alice"  # within the idle time of its signature
    signing_clock.advance(1)
    # Before: accepted (no stamp, so no age), and stamped afresh by every replay.
    assert get(replay(captured))["user"] is None


def test_replaying_a_stampless_copy_never_restarts_the_absolute_clock(
    signed_cookies: None, signing_clock: FakeClock, settings: Any, alice: Any
) -> None:
    _, captured = _stampless_login(settings)
    lifecycle(settings, absolute_timeout=ABSOLUTE, idle_timeout=IDLE)
    started = signing_clock.now
    holder = replay(captured)
    for _ in range(ABSOLUTE // (IDLE // 2)):
        signing_clock.advance(IDLE // 2)
        if signing_clock.now - started >= ABSOLUTE:
            break
        assert get(holder)["user"] == "alice"  # active use: the re-issued cookie is stamped
        assert stored(session_key(holder))[sessions.CREATED] == int(started)
    signing_clock.now = started + ABSOLUTE
    assert get(holder)["user"] is None  # the re-issued cookie: ended at signature + ABSOLUTE
    assert get(replay(captured))["user"] is None  # and the original copy with it


def test_a_stampless_cookie_is_cycled_from_its_signature(
    signed_cookies: None, signing_clock: FakeClock, settings: Any, alice: Any
) -> None:
    client, captured = _stampless_login(settings)
    lifecycle(settings, cycle_key_every=IDLE)
    signing_clock.advance(IDLE)
    assert get(client)["user"] == "alice"
    assert session_key(client) != captured  # due since the signature: cycled at once
    assert stored(session_key(client))[sessions.CYCLED] == int(signing_clock.now)


def test_a_malformed_stamp_counts_as_missing(
    signed_cookies: None, signing_clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, absolute_timeout=ABSOLUTE)
    copy = CookieStore()
    client = Client()
    login(client)
    copy.update(stored(session_key(client)))
    copy[sessions.CREATED] = "yesterday"
    copy.save()
    signing_clock.advance(ABSOLUTE)
    assert get(replay(copy.session_key or ""))["user"] is None


def test_a_server_side_session_without_stamps_starts_its_clock_at_first_sight(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client, captured = _stampless_login(settings)
    clock.advance(10 * ABSOLUTE)  # however old it is, its age is unknown until now
    lifecycle(settings, idle_timeout=IDLE, absolute_timeout=ABSOLUTE)
    first_sight = clock.now
    assert get(client)["user"] == "alice"
    data = stored(captured)  # the one stored copy: every holder of the key shares the stamps
    assert data[sessions.CREATED] == int(first_sight)
    assert data[sessions.LAST_ACTIVITY] == int(first_sight)
    clock.advance(IDLE)
    assert get(replay(captured))["user"] is None


def test_a_session_without_issue_stamp_is_refused_once_its_user_is_marked(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """A cookie issued while hardsess was off cannot prove it postdates the mark."""
    lifecycle(settings)  # all off: login writes no stamp
    client = Client()
    login(client)
    assert sessions.ISSUED not in stored(session_key(client))
    lifecycle(settings, revocation="db")
    assert get(client)["user"] == "alice"  # no mark yet: accepted
    clock.advance(5)
    sessions.logout_everywhere(alice)
    assert get(client)["user"] is None
