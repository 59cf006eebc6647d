"""One class for WSGI and ASGI, under the paths the documentation gives
(hardsess.firewall.middleware)."""

from __future__ import annotations

import asyncio

import pytest
from django.test import AsyncClient

from hardsess.firewall.signing import looks_signed
from hardsess.policy.cookies import MAX_COOKIE_AGE

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_async_stack_hardens_and_verifies() -> None:
    asyncio.run(_async_flow())


async def _async_flow() -> None:
    client = AsyncClient()
    first = await client.get("/rt/async/")
    morsel = first.cookies["from_async"]
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert looks_signed(morsel.value)
    # The expiry given as a datetime is capped at 400 days and bound into the signature.
    assert int(morsel["max-age"]) == MAX_COOKIE_AGE
    client.cookies["bogus"] = "unsigned"
    second = await client.get("/rt/async/")
    # The view saw the verified cookie and not the unsigned one.
    assert second.cookies["seen"].value != ""
    seen = (await client.get("/rt/echo/")).json()["cookies"]
    assert seen["from_async"] == "yes"
    assert "bogus" not in seen


def test_one_class_is_sync_and_async_capable() -> None:
    from asgiref.sync import iscoroutinefunction
    from django.http import HttpRequest, HttpResponse

    from hardsess.firewall.middleware import HardSessMiddleware

    async def async_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    def sync_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    assert HardSessMiddleware.sync_capable
    assert HardSessMiddleware.async_capable
    assert iscoroutinefunction(HardSessMiddleware(async_view))
    assert not iscoroutinefunction(HardSessMiddleware(sync_view))


def test_the_documented_paths_name_the_firewall_itself() -> None:
    """The modules moved into hardsess/firewall/; MIDDLEWARE's dotted path and every old module
    path (documented, or imported by other parts of hardsess) name the same objects."""
    from django.utils.module_loading import import_string

    from hardsess import cookie_header, cookie_policy, cookie_signing, runtime
    from hardsess import middleware as old_middleware
    from hardsess.firewall import header, incoming, middleware, requirements, signing, snapshot

    firewall = import_string("hardsess.middleware.HardSessMiddleware")
    assert firewall is middleware.HardSessMiddleware
    # The class says where it lives; the system checks know that path as well as the public one.
    assert firewall.__module__ == "hardsess.firewall.middleware"
    assert old_middleware.MAX_REPORTED == incoming.MAX_REPORTED
    assert old_middleware.MAX_DELETIONS == incoming.MAX_DELETIONS
    assert cookie_policy.validate_cookie_policies is requirements.validate_cookies_setting
    assert cookie_policy.CookiePolicy is requirements.CookieRequirements
    assert cookie_policy.PolicyResolver is requirements.RequirementsResolver
    assert cookie_signing.verify is signing.verify
    assert cookie_signing.sign is signing.sign
    assert cookie_header.pairs_of is header.pairs_of
    assert runtime.current_runtime is snapshot.current_snapshot
    assert runtime.Runtime is snapshot.SettingsSnapshot
