"""HS151-HS152: hardsess's own middleware, present and in its place."""

from __future__ import annotations

import pytest

from hardsess import policy
from hardsess.policy import Observed, Options, by_id, judge


def test_middleware_order_uses_the_classifier() -> None:
    stack = Observed(["django.contrib.sessions.middleware.SessionMiddleware", policy.MIDDLEWARE])
    assert len(judge(by_id("HS152"), {"MIDDLEWARE": stack})) == 1
    blind = Options(classify_middleware=lambda path: None)
    assert judge(by_id("HS152"), {"MIDDLEWARE": stack}, blind) == []


SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
UPDATE = "django.middleware.cache.UpdateCacheMiddleware"
FETCH = "django.middleware.cache.FetchFromCacheMiddleware"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("middleware", "leaks"),
    [
        ([SESSION, UPDATE, FETCH], True),  # HS153's order: the cache stores before Vary: Cookie
        ([UPDATE, SESSION, FETCH], False),  # Django's documented order
    ],
)
def test_hs153_judges_what_the_cache_really_does(middleware: list[str], leaks: bool) -> None:
    """Real request cycles through Django's cache middleware: in the order HS153 reports, the
    second user is served the first user's page; in the order it accepts, never."""
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    cache.clear()
    with override_settings(
        MIDDLEWARE=middleware,
        ROOT_URLCONF="tests.policy.cache_urls",
        CACHE_MIDDLEWARE_SECONDS=60,
    ):
        alice = Client()
        alice.get("/whoami/", {"name": "alice"})
        assert alice.get("/whoami/").content == b"hello alice"
        bob = Client()
        bob.get("/whoami/", {"name": "bob"})
        served = bob.get("/whoami/").content
    cache.clear()
    assert (served == b"hello alice") is leaks
    reported = judge(by_id("HS153"), {"MIDDLEWARE": Observed(middleware)})
    assert bool(reported) is leaks
