"""Issue 10, item 4: REVOCATION = "cache" only on a cache that can hold the marks.

DummyCache stores nothing: refused at start-up (hardsess.E170, tests/checks) and at runtime,
where every request the lifecycle serves fails instead of a logout silently doing nothing.
A culling cache loses marks (shown here on LocMemCache, the reason for hardsess.W171); a real
Redis keeps them however many other users log out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from hardsess import sessions
from tests.services import require_redis
from tests.sessions.conftest import (
    FakeClock,
    get,
    replay,
    session_key,
    signed_in,
)

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
OTHER_USERS = 400  # more than the 300 entries Django's culling caches keep by default


def _marks_cache(settings: Any, backend: dict[str, Any]) -> None:
    settings.CACHES = {"default": {"BACKEND": LOCMEM}, "marks": backend}
    caches["marks"].clear()


@pytest.fixture
def redis_marks(settings: Any) -> Iterator[None]:
    _marks_cache(
        settings,
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": require_redis(),
            "KEY_PREFIX": "hardsess-marks-test",
        },
    )
    yield
    caches["marks"].clear()


def _logged_out_copy(settings: Any, clock: FakeClock) -> str:
    """Alice signs in with marks in the "marks" cache; a copy of her cookie is taken; she logs
    out, and the copy is refused. The copy is returned for the test to replay again."""
    client = signed_in(settings, revocation="cache", revocation_cache="marks")
    captured = session_key(client)
    assert captured is not None
    clock.advance(1)
    client.post("/logout/")
    assert get(replay(captured))["user"] is None
    return captured


def _others_log_out(django_user_model: Any) -> None:
    users = django_user_model.objects.bulk_create(
        [django_user_model(username=f"user{i}") for i in range(OTHER_USERS)]
    )
    for user in users:
        sessions.logout_everywhere(user)


def test_dummy_cache_fails_closed_at_runtime(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, revocation="db")
    captured = session_key(client)
    assert captured is not None
    _marks_cache(settings, {"BACKEND": "django.core.cache.backends.dummy.DummyCache"})
    settings.HARDSESS = {"SESSION": {"REVOCATION": "cache", "REVOCATION_CACHE": "marks"}}
    # Before: the logout "worked" and the stolen copy stayed valid. Now nothing runs on it.
    with pytest.raises(ImproperlyConfigured, match=r"DummyCache stores nothing.*E170"):
        client.post("/logout/")
    with pytest.raises(ImproperlyConfigured, match="E170"):
        get(replay(captured))
    with pytest.raises(ImproperlyConfigured, match="E170"):
        sessions.logout_everywhere(alice)


def test_a_missing_revocation_cache_fails_closed_too(settings: Any, clock: FakeClock) -> None:
    settings.HARDSESS = {"SESSION": {"REVOCATION": "cache", "REVOCATION_CACHE": "marks"}}
    with pytest.raises(ImproperlyConfigured, match="not in CACHES"):
        sessions.lifecycle_options()


def test_redis_keeps_a_mark_however_many_others_log_out(
    signed_cookies: None,
    redis_marks: None,
    clock: FakeClock,
    settings: Any,
    alice: Any,
    django_user_model: Any,
) -> None:
    captured = _logged_out_copy(settings, clock)
    _others_log_out(django_user_model)
    assert get(replay(captured))["user"] is None


def test_a_culling_cache_revives_a_stolen_cookie(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any, django_user_model: Any
) -> None:
    """Why LocMemCache (and the other culling caches) are hardsess.W171: Django's own culling
    drops the mark once other users' marks fill it, and the logged-out copy works again."""
    _marks_cache(settings, {"BACKEND": LOCMEM, "LOCATION": "marks"})
    captured = _logged_out_copy(settings, clock)
    _others_log_out(django_user_model)
    assert get(replay(captured))["user"] == "alice"
