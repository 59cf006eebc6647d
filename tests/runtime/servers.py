"""Real servers for the runtime tests on loopback ports: gunicorn and waitress (WSGI), uvicorn
and hypercorn (ASGI; hypercorn also speaks HTTP/2).

:func:`serve` migrates (when a database is used), starts the server as a subprocess, waits
until it answers, and always terminates it. :class:`Browserish` is a minimal cookie jar over
http.client that keeps raw Set-Cookie headers, so tests see exactly what left the server.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import Morsel, SimpleCookie
from pathlib import Path
from typing import Any

from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Server:
    kind: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def server_env(tmp: Path, extra: Mapping[str, str]) -> dict[str, str]:
    env = {**os.environ, **extra}
    env["DJANGO_SETTINGS_MODULE"] = "tests.runtime.server_settings"
    env["PYTHONPATH"] = str(ROOT)
    env.setdefault("HARDSESS_RT_TMP", str(tmp))
    if "HARDSESS_RT_DATABASE_URL" not in extra:
        env.setdefault("HARDSESS_RT_SQLITE", str(tmp / "db.sqlite3"))
    return env


def migrate(env: Mapping[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v", "0"],
        cwd=ROOT,
        env=dict(env),
        check=True,
        timeout=120,
    )


#: Request header bytes every server accepts: large enough that the hostile headers of the
#: security tests (16-24 KB) reach Django instead of being refused by the server itself, as
#: they would be on a server configured that generously in production.
HEADER_LIMIT = 65536


def _command(kind: str, port: int, tmp: Path) -> list[str]:
    if kind == "gunicorn":
        return [
            str(BIN / "gunicorn"),
            "--bind", f"127.0.0.1:{port}",
            "--workers", "1",
            "--threads", "2",
            "--limit-request-field_size", str(HEADER_LIMIT),
            "--limit-request-line", "8190",
            "tests.runtime.wsgi:application",
        ]  # fmt: skip
    if kind == "waitress":
        return [
            str(BIN / "waitress-serve"),
            f"--listen=127.0.0.1:{port}",
            "--threads=2",
            f"--max-request-header-size={HEADER_LIMIT}",
            "tests.runtime.wsgi:application",
        ]  # fmt: skip
    if kind == "hypercorn":
        # Speaks HTTP/1.1 and, with prior knowledge, cleartext HTTP/2 (h2c) on the same port.
        config = tmp / f"hypercorn-{port}.toml"
        config.write_text(
            f'bind = ["127.0.0.1:{port}"]\n'
            f"h11_max_incomplete_size = {HEADER_LIMIT}\n"
            f"h2_max_header_list_size = {HEADER_LIMIT}\n"
        )
        return [str(BIN / "hypercorn"), "--config", str(config), "tests.runtime.asgi:application"]
    if kind == "daphne":
        return [
            str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port),
            "tests.runtime.channels_asgi:application",
        ]  # fmt: skip
    if kind == "uvicorn-channels":
        # WebSockets through the websockets library's protocol implementation.
        return [
            str(BIN / "uvicorn"), "tests.runtime.channels_asgi:application",
            "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off",
            "--ws", "websockets",
        ]  # fmt: skip
    return [
        str(BIN / "uvicorn"),
        "tests.runtime.asgi:application",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--lifespan", "off",
        "--http", "h11",
        "--h11-max-incomplete-event-size", str(HEADER_LIMIT),
    ]  # fmt: skip


@contextmanager
def serve(kind: str, tmp: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """Run ``kind`` until the block ends: "gunicorn", "waitress", "uvicorn", "hypercorn", or
    with Django Channels' WebSocket stack (tests/runtime/channels_asgi.py) "uvicorn-channels"
    and "daphne"."""
    full_env = server_env(tmp, env or {})
    port = free_port()
    command = _command(kind, port, tmp)
    log_path = tmp / f"{kind}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(kind, port, process, log_path)
    try:
        _wait_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextmanager
def migrated_server(
    kind: str, tmp_path_factory: Any, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """A ``kind`` server on a fresh migrated SQLite database of its own (a module fixture's
    body: ``tmp_path_factory`` is pytest's)."""
    tmp = tmp_path_factory.mktemp(kind)
    migrate(server_env(tmp, env or {}))
    with serve(kind, tmp, env) as running:
        yield running


def _wait_ready(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.kind} exited early:\n{server.log()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{server.kind} not ready after {timeout} s:\n{server.log()}")


@dataclass
class Reply:
    status: int
    body: bytes
    set_cookies: list[str]

    @property
    def cookies(self) -> dict[str, Morsel[str]]:
        parsed: dict[str, Morsel[str]] = {}
        for header in self.set_cookies:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            parsed.update(jar)
        return parsed

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Browserish:
    """Keeps cookies by name (no domain/path matching: one site on one host)."""

    port: int
    jar: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, *, cookie_header: str | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-Proto": "https"}
        header = (
            cookie_header
            if cookie_header is not None
            else "; ".join(f"{k}={v}" for k, v in self.jar.items())
        )
        if header:
            headers["Cookie"] = header
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        reply = Reply(
            response.status, response.read(), response.headers.get_all("Set-Cookie") or []
        )
        connection.close()
        for name, morsel in reply.cookies.items():
            if morsel["max-age"] in ("0", 0):
                self.jar.pop(name, None)
            else:
                self.jar[name] = morsel.coded_value
        return reply

    def switch(self, port: int) -> Browserish:
        """The same browser talking to another server of the fleet."""
        self.port = port
        return self
