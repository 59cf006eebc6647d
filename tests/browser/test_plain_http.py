"""Issue 11, part 4: plain-HTTP development on a host that is not localhost, in a real Chromium.

The site (tests/browser/devsite) is served over plain HTTP and reached as
``http://devbox.test:PORT`` (not localhost, so Chromium keeps no Secure cookie from it). Without
development mode the firewall forces Secure: Chromium drops the CSRF cookie, the login POST
gets Django's CSRF 403, and the server log says why in one HS111 line. With development mode
(and DEBUG) Secure follows the scheme: the cookies are kept, still signed and HttpOnly, and the
login works.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext

from hardsess.firewall.signing import looks_signed
from tests.fleet.servers import Server, running

pytestmark = [pytest.mark.slow]

HOST = "devbox.test"


@dataclass(frozen=True)
class DevSites:
    production_like: Server
    development: Server


@pytest.fixture(scope="module")
def dev_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevSites]:
    logs = tmp_path_factory.mktemp("plain-http-logs")

    def server(name: str, env: dict[str, str]) -> Server:
        return Server(
            app="tests.browser.devsite.wsgi:application",
            settings="tests.browser.devsite.settings",
            env=env,
            log=logs / f"{name}.log",
            threads=2,
        )

    production_like = server("production-like", {})
    development = server("development", {"HARDSESS_DEVSITE_DEVELOPMENT": "1"})
    with running(production_like, development):
        yield DevSites(production_like, development)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context()
    try:
        yield ctx
    finally:
        ctx.close()


def origin(server: Server) -> str:
    assert server.scheme == "http"
    return f"http://{HOST}:{server.port}"


def log_in(context: BrowserContext, server: Server) -> tuple[int, str]:
    """Open the login form, submit it; the POST's status and the page text."""
    page = context.new_page()
    form = page.goto(origin(server) + "/login")
    assert form is not None
    assert form.status == 200
    assert page.url.startswith(f"http://{HOST}:")  # not upgraded to https
    with page.expect_navigation() as navigation:
        page.click("#go")
    response = navigation.value
    assert response is not None
    assert response.request.method == "POST"
    return response.status, page.inner_text("body")


def test_without_development_mode_the_csrf_cookie_is_lost_and_login_fails(
    context: BrowserContext, dev_sites: DevSites, capsys: pytest.CaptureFixture[str]
) -> None:
    server = dev_sites.production_like
    before = len(server.log_text())
    status, _ = log_in(context, server)
    jar = {c["name"]: c for c in context.cookies()}
    log = server.log_text()[before:]
    with capsys.disabled():
        print(f"\n[browser] plain HTTP, no development mode: POST {status}, jar {sorted(jar)}")
    assert "csrftoken" not in jar  # Chromium refused the Secure cookie from http://
    assert status == 403  # Django's CSRF failure: the cookie never came back
    assert "hardsess HS111: cookie 'csrftoken' is Secure but this response goes over plain " in log
    assert log.count("cookie 'csrftoken' is Secure") == 1
    # Once per process: a second attempt adds no line.
    log_in(context, server)
    assert server.log_text()[before:].count("cookie 'csrftoken' is Secure") == 1


def test_with_development_mode_the_login_works_and_nothing_else_weakens(
    context: BrowserContext, dev_sites: DevSites, capsys: pytest.CaptureFixture[str]
) -> None:
    server = dev_sites.development
    before = len(server.log_text())
    status, text = log_in(context, server)
    jar = {c["name"]: c for c in context.cookies()}
    with capsys.disabled():
        print(f"\n[browser] plain HTTP, development mode: POST {status}, jar {sorted(jar)}")
    assert status == 200
    assert "welcome alice" in text
    assert {"csrftoken", "sessionid"} <= set(jar)
    for name in ("csrftoken", "sessionid"):
        assert jar[name]["secure"] is False, name
        assert jar[name]["sameSite"] == "Lax", name
    session = jar["sessionid"]
    assert session["httpOnly"] is True
    assert looks_signed(session["value"])
    page = context.new_page()
    page.goto(origin(server) + "/whoami")
    assert page.inner_text("#user") == "alice"  # the signed session cookie came back, verified
    assert "over plain HTTP" not in server.log_text()[before:]
