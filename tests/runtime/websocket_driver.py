"""A WebSocket client played in-process against an ASGI application (no server, no network):
for the tests of hardsess.asgi that need the lifecycle's scripted clock or the test database.
The real-server tests (uvicorn, daphne, the websockets client) are test_asgi_websockets.py."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async

#: A step that sends nothing and waits until the application has closed the socket (bounded
#: by PATIENCE seconds: a failure bound, not a timing assertion).
QUIET: dict[str, Any] = {"type": "test.quiet-until-closed"}
PATIENCE = 20

#: A step of the client: an ASGI message to send, or a callable run (in Django's sync thread)
#: before the next message, to change the world while the socket is open.
Step = dict[str, Any] | Callable[[], object]


class Inner:
    """A WebSocket application that accepts, then echoes until disconnected."""

    def __init__(self) -> None:
        self.scope: dict[str, Any] | None = None
        self.received: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.scope = dict(scope)
        if scope["type"] != "websocket":
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        while True:
            message = await receive()
            self.received.append(message)
            if message["type"] == "websocket.disconnect":
                return
            await send({"type": "websocket.send", "text": message.get("text")})


def run(app: Any, scope: dict[str, Any], steps: Iterable[Step] = ()) -> list[dict[str, Any]]:
    """Drive ``app`` with websocket.connect, then ``steps``, then a disconnect; what it sent.

    Runs in the calling thread's event loop through async_to_sync, so the application's
    thread-sensitive database work runs in the test's thread, inside its transaction.
    """
    sent: list[dict[str, Any]] = []

    async def drive() -> None:
        inbound: list[Step] = [{"type": "websocket.connect"}, *steps]
        closed = asyncio.Event()

        async def receive() -> dict[str, Any]:
            while inbound and callable(inbound[0]):
                await sync_to_async(inbound.pop(0))()  # type: ignore[operator]
            if inbound and inbound[0] == QUIET:
                # The client says nothing until the application closes the socket.
                inbound.pop(0)
                await asyncio.wait_for(closed.wait(), timeout=PATIENCE)
            if inbound:
                message = inbound.pop(0)
                assert isinstance(message, dict)
                return message
            if closed.is_set():
                close = next(m for m in reversed(sent) if m["type"] == "websocket.close")
                return {"type": "websocket.disconnect", "code": close["code"]}
            if sent:  # everything said: the client leaves
                return {"type": "websocket.disconnect", "code": 1000}
            await closed.wait()
            return {"type": "websocket.disconnect", "code": 1006}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "websocket.close":
                closed.set()

        await app(scope, receive, send)

    async_to_sync(drive)()
    return sent


def ws_scope(
    cookie: str | list[str] | None = None,
    origin: str | None = "http://testserver",
    host: str = "testserver",
    scheme: str = "ws",
) -> dict[str, Any]:
    """A WebSocket handshake's scope, with one cookie header per crumb."""
    headers = [(b"host", host.encode())]
    for crumb in [cookie] if isinstance(cookie, str) else cookie or []:
        headers.append((b"cookie", crumb.encode("latin-1")))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "path": "/ws/", "scheme": scheme, "headers": headers}
