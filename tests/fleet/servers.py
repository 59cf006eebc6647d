"""Gunicorn servers on loopback for the tests that need a real server (fleet and browser).

Each server is one gunicorn process group started by the test, on 127.0.0.1 and a free port,
and always ended by the test that started it (``Server.stop`` in a ``finally``). The test binds
the listening socket itself and hands it to gunicorn (``--bind fd://N``): a port only chosen
here and bound by gunicorn seconds later could be taken meanwhile, by another server of the same
test among others, which would then answer for both. Its stderr goes
to a file so a test can read what the server logged (hardsess rejections, tracebacks).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Long enough for Django to import on a busy 2-core machine; a server that is not up by then
#: is broken, not slow.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


class ServerError(RuntimeError):
    """A server did not start or did not stop; carries the tail of its log."""


@dataclass
class Server:
    """One gunicorn master (plus its worker) serving ``app`` on 127.0.0.1:``port``."""

    app: str
    settings: str
    env: Mapping[str, str]
    log: Path
    #: Chosen by the kernel when the server is made (see ``_listen``); fixed from then on.
    port: int = 0
    threads: int = 8
    #: "gthread" for a WSGI app; "uvicorn.workers.UvicornWorker" for an ASGI app.
    worker_class: str = "gthread"
    certfile: Path | None = None
    keyfile: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    #: The bound socket until gunicorn inherits it at ``start``.
    _socket: socket.socket | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._listen()

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        self._socket = sock

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def command(self, fd: int) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"fd://{fd}",
            "--workers",
            "1",
            "--worker-class",
            self.worker_class,
            *(["--threads", str(self.threads)] if self.worker_class == "gthread" else []),
            # Idle keep-alive connections of the load client must survive a round-robin cycle.
            "--keep-alive",
            "60",
            "--graceful-timeout",
            "15",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        if self.certfile and self.keyfile:
            cmd += ["--certfile", str(self.certfile), "--keyfile", str(self.keyfile)]
        return [*cmd, self.app]

    def start(self) -> None:
        """Start the process on this server's port; returns at once (see ``wait_ready``)."""
        if self._socket is None:  # started again after a stop: the same port
            self._listen()
        assert self._socket is not None
        sock, self._socket = self._socket, None
        env = {
            **os.environ,
            **self.env,
            "DJANGO_SETTINGS_MODULE": self.settings,
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
        }
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            log.write(f"--- start {self.app} on port {self.port}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(sock.fileno()),
                pass_fds=(sock.fileno(),),
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own process group: stop() ends master and worker
            )
        sock.close()  # gunicorn holds it now: the port is freed when gunicorn exits

    def wait_ready(self, path: str = "/health") -> None:
        """Poll until the server answers ``path`` with 200 (plain HTTP or TLS)."""
        import http.client
        import ssl

        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise ServerError(f"server exited while starting:\n{self.log_tail()}")
            conn: http.client.HTTPConnection
            if self.certfile:
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=5, context=ctx)
            else:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            time.sleep(0.05)
        raise ServerError(f"server not ready after {START_TIMEOUT}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Graceful stop (SIGTERM to the group, in-flight requests finish), then SIGKILL."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(STOP_TIMEOUT)
            raise ServerError(f"server ignored SIGTERM:\n{self.log_tail()}") from None
        wait_port_free(self.port)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def wait_port_free(port: int) -> None:
    """After the master exits its listening socket is closed; make sure before re-binding."""
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
                return
            except OSError:
                time.sleep(0.05)


@contextmanager
def running(*servers: Server) -> Iterator[tuple[Server, ...]]:
    """Start servers together (their imports overlap), wait for each, always stop them all."""
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        # Stopped together: each waits for its own graceful shutdown.
        with ThreadPoolExecutor(max_workers=max(1, len(servers))) as pool:
            for server in servers:
                pool.submit(suppress_errors(server.stop))


def suppress_errors(stop: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        with suppress(ServerError):
            stop()

    return run
