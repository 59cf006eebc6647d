"""The async path of the middleware (ASGI stack through Django's AsyncClient)."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as django_settings
from django.test import AsyncClient

from tests.sessions.conftest import FakeClock, lifecycle

pytestmark = pytest.mark.django_db


def test_idle_timeout_and_revocation_on_asgi(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, idle_timeout=600, activity_write_interval=60, revocation="db")
    client = AsyncClient()

    def call(method: str, path: str) -> dict[str, Any]:
        response = async_to_sync(getattr(client, method))(path)
        assert response.status_code == 200
        data: dict[str, Any] = response.json()
        return data

    assert call("post", "/login/?username=alice")["user"] == "alice"
    clock.advance(599)
    assert call("get", "/read/")["user"] == "alice"
    clock.advance(600)
    assert call("get", "/read/")["user"] is None

    # Revocation on the same path: a copy of the cookie taken before a logout is refused.
    clock.advance(1)
    call("post", "/login/?username=alice")
    captured = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    clock.advance(1)
    call("post", "/logout/")
    attacker = AsyncClient()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = captured
    response = async_to_sync(attacker.get)("/read/")
    assert response.json()["user"] is None


def test_middleware_is_a_coroutine_below_an_async_handler() -> None:
    from asgiref.sync import iscoroutinefunction

    from hardsess.sessions import SessionLifecycleMiddleware

    async def get_response(request: Any) -> Any:
        raise AssertionError("not called")

    assert iscoroutinefunction(SessionLifecycleMiddleware(get_response))
    assert not iscoroutinefunction(SessionLifecycleMiddleware(lambda request: None))


def test_async_api_wrappers(engine: str, clock: FakeClock, settings: Any, alice: Any) -> None:
    from django.test import Client

    from hardsess import sessions

    lifecycle(settings, revocation="db")
    client = Client()
    client.post("/login/?username=alice")
    clock.advance(5)
    result = async_to_sync(sessions.alogout_everywhere)(alice)
    assert result.marked
    assert client.get("/read/").json()["user"] is None
