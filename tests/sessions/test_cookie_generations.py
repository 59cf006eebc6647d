"""Issue 10, item 5: a cycle of a signed_cookies session ends the copies issued before it.

A cookie session has no stored copy to delete, so before this every copy of the pre-cycle
cookie kept working (with the user's new privileges). Each test captures the cookie, lets the
middleware cycle it (periodically, on a privilege change, through privilege_changed()), and
replays the captured copy through the test client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
from django.core.cache import caches
from django.test import Client

from hardsess import sessions
from hardsess.models import SessionGeneration
from tests.services import require_redis
from tests.sessions.conftest import (
    FakeClock,
    get,
    replay,
    session_key,
    signed_in,
    stored,
)

pytestmark = pytest.mark.django_db

EVERY = 300


@pytest.fixture(params=["db", "cache"])
def marks(request: pytest.FixtureRequest, settings: Any) -> Iterator[dict[str, Any]]:
    """REVOCATION on the database, or on a real Redis (the cache fit for marks)."""
    if request.param == "db":
        yield {"revocation": "db"}
        return
    settings.CACHES = {
        **settings.CACHES,
        "marks": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": require_redis(),
            "KEY_PREFIX": "hardsess-generation-test",
        },
    }
    caches["marks"].clear()
    yield {"revocation": "cache", "revocation_cache": "marks"}
    caches["marks"].clear()


def _cookie(client: Client) -> str:
    value = session_key(client)
    assert value is not None
    return value


def test_periodic_cycle_ends_the_pre_cycle_cookie(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any, marks: dict[str, Any]
) -> None:
    client = signed_in(settings, cycle_key_every=EVERY, **marks)
    client.post("/write/?note=kept")
    captured = _cookie(client)
    assert get(replay(captured))["user"] == "alice"  # a copy works before the cycle

    clock.advance(EVERY)
    assert get(client) == {"user": "alice", "note": "kept"}  # the owner's request cycles
    cycled = _cookie(client)
    assert cycled != captured
    assert stored(cycled)[sessions.GENERATION] == stored(captured)[sessions.GENERATION] + 1

    assert get(replay(captured)) == {"user": None, "note": None}  # the old copy is refused
    assert get(client) == {"user": "alice", "note": "kept"}  # the new one is not

    clock.advance(EVERY)  # a second cycle ends the first cycle's copy too
    assert get(client)["user"] == "alice"
    assert get(replay(cycled))["user"] is None
    assert get(client)["user"] == "alice"


def test_privilege_change_ends_the_pre_change_cookie(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any, marks: dict[str, Any]
) -> None:
    client = signed_in(settings, cycle_on_privilege_change=True, **marks)
    captured = _cookie(client)
    alice.is_staff = True
    alice.save()

    clock.advance(1)
    assert get(client)["user"] == "alice"  # cycles: the privileges changed
    assert _cookie(client) != captured
    # The copy from before would now carry staff rights: refused.
    assert get(replay(captured))["user"] is None
    assert get(client)["user"] == "alice"


def test_privilege_changed_api_ends_the_pre_change_cookie(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any, marks: dict[str, Any]
) -> None:
    client = signed_in(settings, **marks)  # no cycling option: the API cycles on its own
    captured = _cookie(client)
    clock.advance(1)
    client.post("/sudo/")
    assert _cookie(client) != captured
    assert get(replay(captured))["user"] is None
    assert get(client)["user"] == "alice"


def test_report_only_logs_and_keeps_the_old_copy(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, report_only=True, cycle_key_every=EVERY, revocation="db")
    captured = _cookie(client)
    clock.advance(EVERY)
    assert get(client)["user"] == "alice"
    assert get(replay(captured))["user"] == "alice"  # nothing cycled, nothing refused
    assert not SessionGeneration.objects.exists()


def test_a_forged_or_missing_generation_is_refused_once_the_session_cycled(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """A copy that is not of the current generation cannot prove it postdates the cycle."""
    client = signed_in(settings, cycle_key_every=EVERY, revocation="db")
    clock.advance(EVERY)
    get(client)
    data = stored(_cookie(client))
    for generation in (None, "1", True, 0):
        copy = CookieStore()
        copy.update({k: v for k, v in data.items() if k != sessions.GENERATION})
        if generation is not None:
            copy[sessions.GENERATION] = generation
        copy.save()
        assert get(replay(copy.session_key or ""))["user"] is None, generation


def test_generation_rows_expire_with_the_copies_they_refuse(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, cycle_key_every=EVERY, revocation="db")
    clock.advance(EVERY)
    get(client)
    (row,) = SessionGeneration.objects.all()
    assert row.generation == 1
    # Kept while a pre-cycle copy can still pass Django's signature age.
    assert row.expires >= clock.now + django_settings.SESSION_COOKIE_AGE
    # Another session's cycle long after prunes it (its copies have all expired by then).
    clock.advance(django_settings.SESSION_COOKIE_AGE + 120)
    other = signed_in(settings, cycle_key_every=EVERY, revocation="db")
    clock.advance(EVERY)
    get(other)
    assert SessionGeneration.objects.get().session_id != row.session_id


def test_a_session_from_before_generations_is_ended_when_its_cycle_is_due(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """Its copies carry no session id: none can be told from another, so none may survive a
    cycle. Until a cycle is due it goes on, and it is given a lineage of its own."""
    client = signed_in(settings, cycle_on_privilege_change=True)  # no REVOCATION: no lineage
    captured = _cookie(client)
    assert sessions.SID not in stored(captured)
    settings.HARDSESS = {"SESSION": {"CYCLE_ON_PRIVILEGE_CHANGE": True, "REVOCATION": "db"}}
    alice.is_staff = True
    alice.save()
    assert get(client)["user"] is None
    assert get(replay(captured))["user"] is None


def test_server_side_engines_still_delete_the_old_key(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, cycle_key_every=EVERY, revocation="db")
    captured = _cookie(client)
    clock.advance(EVERY)
    assert get(client)["user"] == "alice"
    assert _cookie(client) != captured
    assert get(replay(captured))["user"] is None
    assert get(client)["user"] == "alice"
    # No generations for them: the deletion is the invalidation.
    assert sessions.SID not in stored(_cookie(client))
    assert not SessionGeneration.objects.exists()
