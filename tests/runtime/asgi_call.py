"""One request through Django's real ASGI handler with exactly the scope headers a test gives:
what an HTTP/2 server that keeps cookie crumbs apart (the ASGI spec allows it) hands on, which
neither the test client nor the servers the tests run can send."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from django.core.handlers.asgi import ASGIHandler


def asgi_get(path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, Any]:
    """One request through Django's real ASGI handler with exactly these scope headers (as an
    HTTP/2 server that keeps cookie crumbs apart, which the ASGI spec allows, hands them on)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "2",
        "method": "GET",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 443),
    }
    sent: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # no disconnect: Django cancels this once it has answered
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(ASGIHandler()(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body)
