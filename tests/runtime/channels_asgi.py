"""ASGI entry point with Django Channels for the WebSocket tests (test_asgi_websockets.py).

HTTP goes to Django (HardSessMiddleware runs there); WebSockets go through
``hardsess.asgi.CookieFirewall`` around Channels' AuthMiddlewareStack, as docs/asgi.md shows.
HARDSESS_RT_WS_RECHECK (seconds) and HARDSESS_RT_WS_ORIGIN ("0" turns the Origin check off)
configure the wrapper.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.runtime.server_settings")
django_asgi_app = get_asgi_application()

# Channels' auth stack imports models: only once the app registry is ready.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from hardsess.asgi import CookieFirewall  # noqa: E402


class WhoAmI(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """Says who the socket belongs to on connect and on every message."""

    async def connect(self) -> None:
        await self.accept()
        await self.send_json(self._state("connect"))

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json(self._state(str(content)))

    def _state(self, event: str) -> dict[str, Any]:
        user = self.scope["user"]
        return {
            "event": event,
            "user": user.get_username() if user.is_authenticated else None,
            "cookies": sorted(self.scope["cookies"]),
        }


_recheck = os.environ.get("HARDSESS_RT_WS_RECHECK")
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": CookieFirewall(
            AuthMiddlewareStack(URLRouter([path("ws/whoami/", WhoAmI.as_asgi())])),
            check_origin=os.environ.get("HARDSESS_RT_WS_ORIGIN", "1") != "0",
            recheck_every=float(_recheck) if _recheck else 60.0,
        ),
    }
)
