"""Key store fixtures: a settable clock, a KEK, a configured store (database or Redis)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings

from hardsess import keystore
from hardsess.keystore import crypto, schedule
from tests.services import require_redis

KEK = crypto.new_kek()
#: Short timings, consistent with the stated inequalities (hardsess.keystore.options).
TIMINGS = {
    "CACHE_SECONDS": 30,
    "MAX_STALE": 60,
    "MAX_CLOCK_SKEW": 5,
    "PROPAGATION_DELAY": 100,
    "SIGN_FOR": 1000,
    "OVERLAP": 50,
}


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(schedule, "now", c)
    return c


@dataclass
class StoreSetup:
    backend: str
    settings: dict[str, Any]

    def ring(self) -> keystore.StoreKeyring:
        ring = keystore.provider()
        assert ring is not None
        return ring

    def refresh(self) -> None:
        """As if CACHE_SECONDS had passed (the in-process copy re-reads the store)."""
        self.ring().expire()


def store_settings(backend: str, **extra: Any) -> dict[str, Any]:
    return {"KEY_STORE": {"BACKEND": backend, "KEK": KEK, **TIMINGS, **extra}}


@pytest.fixture(params=["database", "cache"])
def store(request: pytest.FixtureRequest, clock: Clock) -> Iterator[StoreSetup]:
    """A configured store: the test database (SQLite here), or Redis through Django's cache."""
    if request.param == "database":
        request.getfixturevalue("db")
        hs = store_settings("database")
        with override_settings(HARDSESS=hs):
            yield StoreSetup("database", hs)
        return
    url = require_redis()
    prefix = "hardsess-test-ks-" + secrets.token_hex(4)
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "keys": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    hs = store_settings("cache", CACHE="keys", PREFIX=prefix)
    request.getfixturevalue("db")  # the fleet reports (old-key counts) live in the database
    with override_settings(HARDSESS=hs, CACHES=caches):
        yield StoreSetup("cache", hs)
        import redis

        client = redis.Redis.from_url(url)
        for name in client.scan_iter(match=f"*{prefix}*"):
            client.delete(name)


from tests.runtime.conftest import (  # noqa: E402
    _fresh_counter,  # noqa: F401 (fixtures used by these tests)
    _fresh_observations,  # noqa: F401
    rejections,  # noqa: F401
)
