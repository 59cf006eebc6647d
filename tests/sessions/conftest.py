"""Fixtures of the lifecycle tests: a controllable clock, one real session engine per test.

The clock replaces :func:`hardsess.sessions.clock` (hardsess' own seam, not Django's). The engines
are Django's own, subclassed only to count saves (tests/sessions/engines); cache and cached_db run
on a real Redis (HARDSESS_TEST_REDIS_URL, required under CI), file on a temporary directory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches
from django.test import Client

from hardsess import sessions
from tests.services import require_redis
from tests.sessions.engines import SAVES

#: The full stack of a typical site, the lifecycle middleware last (after auth). The cookie
#: firewall (hardsess.middleware) is left out here; test_with_firewall.py adds it.
STACK = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hardsess.sessions.SessionLifecycleMiddleware",
]
ENGINES = ["db", "cached_db", "cache", "file", "signed_cookies", "hardsess_cookies"]
#: The engines that keep the whole session in the cookie: Django's, and hardsess's own
#: (hardsess.backends.signed_cookies, signed once with the firewall's keyring).
COOKIE_ENGINES = ("signed_cookies", "hardsess_cookies")
SERVER_ENGINES = ["db", "cached_db", "cache", "file"]
START = 1_800_000_000.0


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


#: The clock of the running test, for views that move time mid-request (tests/sessions/views).
CURRENT_CLOCK: list[FakeClock] = []


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # PBKDF2 at full strength costs seconds per user on a shared 2-core machine; the lifecycle
    # tests never check a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_marks_from_other_tests() -> Iterator[None]:
    # REVOCATION = "cache" keeps marks in the default LocMemCache, which outlives a test, and
    # user pks repeat from test to test: a mark left behind would refuse the next test's user.
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def alice(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice")


@pytest.fixture
def bob(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("bob")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    fake = FakeClock(START)
    monkeypatch.setattr(sessions, "clock", fake)
    CURRENT_CLOCK[:] = [fake]
    yield fake
    CURRENT_CLOCK.clear()


def _configure_engine(name: str, settings: Any, tmp_path: Any) -> None:
    if name in ("cache", "cached_db"):
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "sessions": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": require_redis(),
                "KEY_PREFIX": "hardsess-lifecycle-test",
            },
        }
        settings.SESSION_CACHE_ALIAS = "sessions"
        caches["sessions"].clear()
    if name == "file":
        settings.SESSION_FILE_PATH = str(tmp_path)
    settings.SESSION_ENGINE = f"tests.sessions.engines.{name}"
    settings.MIDDLEWARE = STACK
    settings.ROOT_URLCONF = "tests.sessions.urls"


def _forget_file_path() -> None:
    # Django's file store caches its directory on the class: a new tmp_path needs a reset.
    store = import_module("tests.sessions.engines.file").SessionStore
    if "_storage_path" in store.__dict__:
        del store._storage_path


def _on_engine(name: str, settings: Any, tmp_path: Any) -> Iterator[str]:
    _forget_file_path()
    _configure_engine(name, settings, tmp_path)
    SAVES.clear()
    yield name
    if name in ("cache", "cached_db"):
        caches["sessions"].clear()
    _forget_file_path()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> Iterator[str]:
    """Each test runs on every engine: db (SQLite), cached_db and cache (Redis), file, cookies."""
    yield from _on_engine(request.param, settings, tmp_path)


@pytest.fixture(params=SERVER_ENGINES)
def server_engine(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> Iterator[str]:
    """The engines that keep the session on the server."""
    yield from _on_engine(request.param, settings, tmp_path)


@pytest.fixture
def db_engine(settings: Any, tmp_path: Any) -> Iterator[str]:
    """One engine (db) for a test whose point does not depend on the engine."""
    yield from _on_engine("db", settings, tmp_path)


@pytest.fixture(params=COOKIE_ENGINES)
def signed_cookies(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> None:
    """A cookie engine alone (Django's signed_cookies, then hardsess's), for the tests of what
    only a cookie session needs."""
    _configure_engine(request.param, settings, tmp_path)


def lifecycle(settings: Any, report_only: bool = False, **options: Any) -> None:
    """Set HARDSESS["SESSION"] (keys in upper case) for this test."""
    settings.HARDSESS = {
        "REPORT_ONLY": report_only,
        "SESSION": {key.upper(): value for key, value in options.items()},
    }


def signed_in(settings: Any, report_only: bool = False, **options: Any) -> Client:
    """How most tests here begin: these lifecycle options, a fresh client, alice signed in."""
    lifecycle(settings, report_only, **options)
    client = Client()
    login(client)
    return client


def session_key(client: Client) -> str | None:
    morsel = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel is not None and morsel.value else None


def replay(cookie_value: str) -> Client:
    """A client of its own holding a captured session cookie: an attacker's replayed copy."""
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = cookie_value
    return attacker


def store(key: str | None) -> SessionBase:
    return import_module(django_settings.SESSION_ENGINE).SessionStore(key)  # type: ignore[no-any-return]


def stored(key: str | None) -> dict[str, Any]:
    """The session data the engine holds for ``key`` (for signed_cookies: the cookie decoded)."""
    if key is None:
        return {}
    return dict(store(key).load())


def state(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    data: dict[str, Any] = json.loads(response.content)
    return data


def get(client: Client, path: str = "/read/", **extra: Any) -> dict[str, Any]:
    return state(client.get(path, **extra))


def login(client: Client, username: str = "alice") -> dict[str, Any]:
    return state(client.post(f"/login/?username={username}"))


def _assert_cycled(engine: str, old: str | None, client: Client) -> str:
    """The client's session key is no longer ``old`` (whose stored copy is gone); the new key."""
    new = session_key(client)
    assert new is not None
    assert new != old
    if engine not in COOKIE_ENGINES:  # a cookie session has no stored copy to delete
        assert stored(old) == {}
    return new
