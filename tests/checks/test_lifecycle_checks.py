"""The lifecycle checks of issue 10: a revocation cache that cannot hold marks (E170) or loses
them (W171), an EXPIRED_REDIRECT_URL that resolves to nothing (E172), and key cycling on
signed_cookies without a mark store (W173). Each judged through Django's check registry on
real settings, and each agreeing with what the runtime does."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import Tags, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test.utils import override_settings

from hardsess import policy
from hardsess.sessions import SessionLifecycleMiddleware

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:6379/15",
}


def _ids(**overrides: Any) -> list[str]:
    with override_settings(**overrides):
        return sorted(
            m.id
            for m in run_checks(tags=[Tags.security])
            if m.id in ("hardsess.E170", "hardsess.W171", "hardsess.E172", "hardsess.W173")
        )


def _marks_on(backend: dict[str, Any]) -> dict[str, Any]:
    return {
        "CACHES": {"default": LOCMEM, "marks": backend},
        "HARDSESS": {"SESSION": {"REVOCATION": "cache", "REVOCATION_CACHE": "marks"}},
    }


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ({"BACKEND": "django.core.cache.backends.dummy.DummyCache"}, ["hardsess.E170"]),
        ({"BACKEND": "tests.checks.caches.QuietDummyCache"}, ["hardsess.E170"]),
        (LOCMEM, ["hardsess.W171"]),
        (
            {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/x"},
            ["hardsess.W171"],
        ),
        (
            {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"},
            ["hardsess.W171"],
        ),
        (
            {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "cache",
                "OPTIONS": {"MAX_ENTRIES": 5_000_000},
            },
            [],
        ),
        (REDIS, []),
        (
            {
                "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": "127.0.0.1:11211",
            },
            [],
        ),
    ],
)
def test_revocation_cache_fitness(backend: dict[str, Any], expected: list[str]) -> None:
    assert _ids(**_marks_on(backend)) == expected


def test_marks_in_the_database_or_no_revocation_say_nothing_of_the_cache() -> None:
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _ids(CACHES=dummy, HARDSESS={"SESSION": {"REVOCATION": "db"}}) == []
    assert _ids(CACHES=dummy, HARDSESS={"SESSION": {"IDLE_TIMEOUT": 60}}) == []


@pytest.mark.django_db
def test_the_runtime_refuses_what_e170_reports_and_runs_on_what_w171_warns() -> None:
    from hardsess.sessions import lifecycle_options

    dummy = _marks_on({"BACKEND": "django.core.cache.backends.dummy.DummyCache"})
    with override_settings(**dummy), pytest.raises(ImproperlyConfigured, match="E170"):
        lifecycle_options()
    with override_settings(**_marks_on(LOCMEM)):
        assert lifecycle_options().revocation == "cache"  # a warning, not a refusal


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("no-such-url-name", ["hardsess.E172"]),
        ("admin:nothing", ["hardsess.E172"]),
        ("session-expired", []),
        ("/login/", []),
        ("https://login.example.com/", []),
        ("../login/", []),
    ],
)
def test_expired_redirect_url_must_resolve(url: str, expected: list[str]) -> None:
    hardsess = {"SESSION": {"IDLE_TIMEOUT": 900, "EXPIRED_REDIRECT_URL": url}}
    assert _ids(ROOT_URLCONF="tests.sessions.urls", HARDSESS=hardsess) == expected


@pytest.mark.parametrize(
    ("engine", "session", "expected"),
    [
        (policy.SIGNED_COOKIES_ENGINE, {"CYCLE_KEY_EVERY": 900}, ["hardsess.W173"]),
        (policy.SIGNED_COOKIES_ENGINE, {"CYCLE_ON_PRIVILEGE_CHANGE": True}, ["hardsess.W173"]),
        ("tests.sessions.engines.signed_cookies", {"CYCLE_KEY_EVERY": 900}, ["hardsess.W173"]),
        (policy.SIGNED_COOKIES_ENGINE, {"CYCLE_KEY_EVERY": 900, "REVOCATION": "db"}, []),
        ("django.contrib.sessions.backends.db", {"CYCLE_KEY_EVERY": 900}, []),
        (policy.SIGNED_COOKIES_ENGINE, {"IDLE_TIMEOUT": 900}, []),
    ],
)
def test_cycling_signed_cookies_needs_a_mark_store(
    engine: str, session: dict[str, Any], expected: list[str]
) -> None:
    assert _ids(SESSION_ENGINE=engine, HARDSESS={"SESSION": session}) == expected


class ProjectLifecycle(SessionLifecycleMiddleware):
    """A project's own lifecycle middleware: recognised by its class, not its name."""


_STACK = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


@pytest.mark.parametrize(
    "lifecycle",
    [
        policy.LIFECYCLE_MIDDLEWARE,
        "hardsess.lifecycle.middleware.SessionLifecycleMiddleware",
        f"{__name__}.ProjectLifecycle",
    ],
)
def test_the_lifecycle_middleware_is_found_by_path_by_home_and_by_subclass(lifecycle: str) -> None:
    """Its documented path is a re-export: a subclass's MRO names the module the class lives in,
    which the checks must know too, or E165 would turn into a wrong W166."""
    session = {"HARDSESS": {"SESSION": {"IDLE_TIMEOUT": 900}}}

    def ids(middleware: list[str]) -> list[str]:
        with override_settings(MIDDLEWARE=middleware, **session):
            found = run_checks(tags=[Tags.security])
        return sorted(m.id for m in found if m.id in ("hardsess.E165", "hardsess.W166"))

    assert ids([lifecycle, *_STACK]) == ["hardsess.E165"]
    assert ids([*_STACK, lifecycle]) == []
    assert ids(_STACK) == ["hardsess.W166"]
