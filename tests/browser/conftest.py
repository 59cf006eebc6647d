"""A real Chromium against the browser site, served by gunicorn over TLS on 127.0.0.1.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python package; it resolves
``site-a.test`` and ``site-b.test`` to 127.0.0.1 (``--host-resolver-rules``), so it talks to
the local servers only and sees two different sites. The certificate is self-signed for those
names, made by openssl for the run; the contexts ignore the certificate error, which changes
nothing about how cookies are handled on an https origin.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.fleet.servers import Server, running
from tests.services import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every name is this machine: nothing leaves loopback. devbox.test: a development host
    # that is not localhost, reached over plain HTTP (test_plain_http.py).
    "--host-resolver-rules=MAP site-a.test 127.0.0.1, MAP *.site-a.test 127.0.0.1, "
    "MAP site-b.test 127.0.0.1, MAP devbox.test 127.0.0.1",
]


@dataclass(frozen=True)
class Sites:
    """The enforcing site, the same site in report-only mode (cookies sent as written), and the
    same site a rotation further on."""

    enforcing: Server
    report_only: Server
    #: Stage 2 of a rotation from b1 to b2: b2 signs, b1 still verifies.
    rotated: Server
    #: The session cookie named plain "sessionid" (no __Host- prefix).
    plain_name: Server


def origin(server: Server, host: str = "site-a.test") -> str:
    return f"https://{host}:{server.port}"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    require(openssl is not None, "openssl (to make the test certificate)")
    assert openssl is not None
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=site-a.test",
            "-addext",
            "subjectAltName=DNS:site-a.test,DNS:*.site-a.test,DNS:site-b.test,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def https_server(
    site: str, name: str, env: dict[str, str], logs: Path, tls: tuple[Path, Path]
) -> Server:
    """A threaded HTTPS server of one of the browser tests' sites (``tests.browser.<site>``)."""
    cert, key = tls
    return Server(
        app=f"tests.browser.{site}.wsgi:application",
        settings=f"tests.browser.{site}.settings",
        env=env,
        log=logs / f"{name}.log",
        threads=4,
        certfile=cert,
        keyfile=key,
    )


@pytest.fixture(scope="module")
def sites(tls: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    logs = tmp_path_factory.mktemp("browser-logs")

    def server(name: str, env: dict[str, str]) -> Server:
        return https_server("site", name, env, logs, tls)

    enforcing = server("enforcing", {})
    report_only = server("report-only", {"HARDSESS_BROWSER_REPORT_ONLY": "1"})
    b1 = settings_keys()[0]
    b2 = {"id": "b2", "secret": secrets.token_urlsafe(48), "state": "primary"}
    stage2 = [b2, {**b1, "state": "verify"}]
    rotated = server("rotated", {"HARDSESS_BROWSER_KEYS": json.dumps(stage2)})
    plain_name = server("plain-name", {"HARDSESS_BROWSER_SESSION_COOKIE": "sessionid"})
    with running(enforcing, report_only, rotated, plain_name):
        yield Sites(enforcing, report_only, rotated, plain_name)


def settings_keys() -> list[dict[str, str]]:
    """The site's default keyring (b1), as its settings module builds it."""
    from tests.browser.site import settings

    return [dict(key) for key in settings.KEYS]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM}; apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
