"""Issue 16: what Chromium does with Partitioned cookies, the ``__Http-`` / ``__Host-Http-``
prefixes, and Clear-Site-Data on logout, as the firewall sends them.

The site is tests/browser/platform_site. What Chromium 156 (headless, Debian) was seen to do:
Playwright's contexts and a fresh profile already block third-party cookies; the profile
preference ``profile.cookie_controls_mode`` (0 allow, 1 block third-party cookies) is what the
CHIPS test sets, both ways, so that the difference is shown rather than assumed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, https_server, origin
from tests.browser.platform_site.urls import PREFIXED, SCRIPT_PREFIXED
from tests.fleet.servers import Server, running
from tests.services import require

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class PlatformSites:
    enforcing: Server
    #: Cookies leave as the views wrote them: what a site without hardsess sends.
    report_only: Server


@pytest.fixture(scope="module")
def platform_sites(
    tls: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PlatformSites]:
    logs = tmp_path_factory.mktemp("platform-logs")

    def server(name: str, env: dict[str, str]) -> Server:
        return https_server("platform_site", name, env, logs, tls)

    enforcing = server("enforcing", {})
    report_only = server("report-only", {"HARDSESS_BROWSER_REPORT_ONLY": "1"})
    with running(enforcing, report_only):
        yield PlatformSites(enforcing, report_only)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM}; apt-get install chromium)")
    with sync_playwright() as running_playwright:
        yield running_playwright


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def profile(playwright: Playwright, folder: Path, cookie_controls_mode: int) -> BrowserContext:
    """A Chromium with a profile of its own: 0 allows third-party cookies, 1 blocks them."""
    (folder / "Default").mkdir(parents=True)
    preferences = {"profile": {"cookie_controls_mode": cookie_controls_mode}}
    (folder / "Default" / "Preferences").write_text(json.dumps(preferences))
    return playwright.chromium.launch_persistent_context(
        str(folder), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, ignore_https_errors=True
    )


def embedded_round_trip(
    context: BrowserContext, server: Server
) -> tuple[dict[str, str], dict[str, str | None]]:
    """site-b.test embeds site-a.test, whose iframe sets both cookies; a second embedding
    shows which came back. Returns (cookies the view received, partition key by name)."""
    page = context.new_page()
    embedding = origin(server, "site-b.test")
    page.goto(embedding + "/embed?frame=frame-set", wait_until="load")
    page.goto(embedding + "/embed?frame=echo", wait_until="load")
    (frame,) = [f for f in page.frames if f.url.startswith(origin(server, "site-a.test"))]
    received: dict[str, str] = json.loads(frame.inner_text("pre"))["cookies"]
    keys = {c["name"]: c.get("partitionKey") for c in context.cookies()}
    page.close()
    return received, keys


def test_partitioned_cookie_survives_third_party_blocking(
    playwright: Playwright,
    platform_sites: PlatformSites,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = {}
    for mode in (1, 0):
        context = profile(playwright, tmp_path / f"mode-{mode}", mode)
        try:
            results[mode] = embedded_round_trip(context, platform_sites.enforcing)
        finally:
            context.close()
    with capsys.disabled():
        for mode, (received, keys) in results.items():
            print(f"\n[browser] CHIPS, cookie_controls_mode={mode}: {received} keys={keys}")
    blocked_received, blocked_keys = results[1]
    # Third-party cookies blocked: only the Partitioned one is kept, in site-b.test's jar,
    # and it arrives verified (the firewall signed it).
    assert blocked_received == {"chips_c": "kept"}
    assert blocked_keys == {"chips_c": "https://site-b.test"}
    # The control: with third-party cookies allowed the unpartitioned one is kept too, so the
    # blocking above is the profile's, and Partitioned is what kept chips_c.
    allowed_received, allowed_keys = results[0]
    assert allowed_received == {"chips_c": "kept", "unpart_c": "blocked"}
    assert allowed_keys["unpart_c"] is None


def prefixed_jar(browser: Browser, server: Server) -> dict[str, bool]:
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(origin(server) + "/prefixed", wait_until="load")
        page.wait_for_selector("#done")
        return {c["name"]: c["httpOnly"] for c in context.cookies()}
    finally:
        context.close()


def test_http_prefixes_in_chromium(
    chromium: Browser, platform_sites: PlatformSites, capsys: pytest.CaptureFixture[str]
) -> None:
    as_written = prefixed_jar(chromium, platform_sites.report_only)
    enforced = prefixed_jar(chromium, platform_sites.enforcing)
    with capsys.disabled():
        print(
            f"\n[browser] prefixes as written: {as_written}\n    through the firewall: {enforced}"
        )
    # Chromium refuses __Http- and __Host-Http- without HttpOnly...
    assert "__Http-script" not in as_written
    assert "__Host-Http-script" not in as_written
    assert as_written["__Http-ok"]
    assert as_written["__Host-Http-ok"]
    # ...the firewall adds HttpOnly to them (HS106), so every server-set one is kept.
    assert {name for name in PREFIXED} <= set(enforced)
    assert all(enforced[name] for name in PREFIXED)
    # document.cookie can never set __Http- / __Host-Http-; __Host- and __Secure- it can.
    for jar in (as_written, enforced):
        assert {n for n in SCRIPT_PREFIXED if n in jar} == {"__Host-js", "__Secure-js"}


def test_clear_site_data_on_logout_removes_script_cookies(
    chromium: Browser, platform_sites: PlatformSites, capsys: pytest.CaptureFixture[str]
) -> None:
    after = {}
    for label, server in (
        ("enforcing", platform_sites.enforcing),
        ("as written", platform_sites.report_only),
    ):
        context = chromium.new_context(ignore_https_errors=True)
        try:
            page = context.new_page()
            page.goto(origin(server) + "/login", wait_until="load")
            page.wait_for_selector("#done")
            before = {c["name"] for c in context.cookies()}
            assert "js_cart" in before  # the page's script set it
            response = page.goto(origin(server) + "/logout", wait_until="load")
            assert response is not None
            header = response.all_headers().get("clear-site-data")
            after[label] = ({c["name"] for c in context.cookies()}, header)
        finally:
            context.close()
    with capsys.disabled():
        print(f"\n[browser] after logout: {after}")
    assert after["enforcing"] == (set(), '"cookies"')
    # Report-only changes nothing: the script's cookie outlives the logout.
    assert "js_cart" in after["as written"][0]


def test_logging_in_again_after_logout_keeps_the_new_session(
    chromium: Browser, platform_sites: PlatformSites
) -> None:
    """A request that logs out and in again (an account switch). Chromium applies
    Clear-Site-Data after the response's own Set-Cookie headers, so with the header the new
    session cookie (and every other cookie of that response) was gone at once: such a response
    carries no Clear-Site-Data."""
    context = chromium.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(origin(platform_sites.enforcing) + "/login", wait_until="load")
        page.wait_for_selector("#done")
        response = page.goto(origin(platform_sites.enforcing) + "/relogin", wait_until="load")
        assert response is not None
        assert "clear-site-data" not in response.all_headers()
        assert {"__Host-Http-session", "fresh"} <= {c["name"] for c in context.cookies()}
    finally:
        context.close()
