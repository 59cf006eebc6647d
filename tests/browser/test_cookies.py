"""Issue 6: what a real browser does with the cookies the firewall sends, and what it sends back.

Each test prints what it observed. The site is tests/browser/site, behind HardSessMiddleware;
the same site in report-only mode stands for a site without the firewall (cookies leave exactly
as the views wrote them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import Sites, origin
from tests.browser.site.urls import BROKEN_COOKIES, BROKEN_HOST_COOKIES
from tests.fleet.servers import Server
from tests.runtime.conftest import flip_last

pytestmark = pytest.mark.slow

SESSION = "__Host-session"
HTTPONLY_BY_POLICY = (SESSION, "lax_c", "strict_c", "none_c")
#: Seconds an expiry may move when a cookie is re-issued: rounding to whole seconds plus the
#: time a request takes. A life reset or dropped would move it by hours or days.
EXPIRY_SLACK = 30


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(ignore_https_errors=True)
    try:
        yield ctx
    finally:
        ctx.close()


def show(capsys: pytest.CaptureFixture[str], title: str, *lines: str) -> None:
    with capsys.disabled():
        print(f"\n[browser] {title}")
        for line in lines:
            print(f"    {line}")


def echo_on_page(page: Page) -> dict[str, Any]:
    """The JSON the echo view rendered as the current document."""
    result: dict[str, Any] = json.loads(page.inner_text("body"))
    return result


def stored(context: BrowserContext) -> dict[str, dict[str, Any]]:
    return {c["name"]: dict(c) for c in context.cookies()}


def new_log(server: Server, before: int) -> list[str]:
    return server.log_text()[before:].splitlines()


def test_httponly_cookies_are_hidden_from_javascript(
    context: BrowserContext, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    site = origin(sites.enforcing)
    page = context.new_page()
    page.goto(site + "/set")
    page.goto(site + "/page")
    document_cookie = page.evaluate("document.cookie")
    visible = {part.split("=", 1)[0].strip() for part in document_cookie.split(";") if part}
    jar = stored(context)
    show(
        capsys,
        "(a) HttpOnly",
        f"document.cookie names: {sorted(visible)}",
        *(
            f"stored {n}: httpOnly={jar[n]['httpOnly']} secure={jar[n]['secure']}"
            for n in sorted(jar)
        ),
    )

    for name in HTTPONLY_BY_POLICY:
        # The browser holds it, and keeps it from JavaScript.
        assert jar[name]["httpOnly"] is True, name
        assert name not in visible, name
    # Exempt by policy (ui_theme) or by Django's setting (CSRF cookie): JavaScript sees them.
    assert jar["ui_theme"]["httpOnly"] is False
    assert {"ui_theme", "csrftoken"} <= visible


def test_host_prefix_broken_cookies_are_dropped_by_the_browser(
    browser: Browser, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """HS106: a __Host- cookie with a Domain, without Secure, or with Path other than / is
    silently dropped by the browser; the firewall corrects it so that it is kept."""
    observed: dict[str, dict[str, dict[str, Any]]] = {}
    logs: dict[str, list[str]] = {}
    for mode, server in (("report-only", sites.report_only), ("enforcing", sites.enforcing)):
        ctx = browser.new_context(ignore_https_errors=True)
        try:
            before = len(server.log_text())
            response = ctx.new_page().goto(origin(server) + "/set")
            assert response is not None
            assert response.ok
            raw = [
                v
                for h in response.headers_array()
                if h["name"].lower() == "set-cookie"
                for v in h["value"].split("\n")
            ]
            observed[mode] = stored(ctx)
            logs[mode] = [
                line
                for line in new_log(server, before)
                if any(repr(name) in line for name in [*BROKEN_COOKIES, SESSION])
            ]
            show(
                capsys,
                f"(b) __Host- cookies (and SameSite=None without Secure), {mode} server",
                *(f"sent: {v[:120]}" for v in raw if v.split("=")[0] in [*BROKEN_COOKIES, SESSION]),
                *(
                    f"kept by the browser: {n} domain={c['domain']} path={c['path']} "
                    f"secure={c['secure']} sameSite={c['sameSite']}"
                    for n, c in sorted(observed[mode].items())
                    if n in [*BROKEN_COOKIES, SESSION]
                ),
                *(f"server log: {line}" for line in logs[mode]),
            )
        finally:
            ctx.close()

    # As written by the view (what HS106 warns about): the browser drops every broken one,
    # and keeps the correct __Host- session cookie.
    assert SESSION in observed["report-only"]
    for name in BROKEN_COOKIES:
        assert name not in observed["report-only"], name
        assert any(repr(name) in line and "would correct" in line for line in logs["report-only"])
    # Through the firewall: corrected (Secure, Path=/, host-only), kept, and logged.
    jar = observed["enforcing"]
    assert SESSION in jar
    for name in BROKEN_HOST_COOKIES:
        assert name in jar, name
        assert jar[name]["secure"] is True
        assert jar[name]["path"] == "/"
        assert jar[name]["domain"] == "site-a.test"  # host-only: no leading dot
    # SameSite=None without Secure: Secure added (and SameSite raised to the Lax minimum).
    assert jar["none_insecure"]["secure"] is True
    assert jar["none_insecure"]["sameSite"] == "Lax"
    # Each broken prefix is logged as a correction (a warning), even where the Secure policy
    # every cookie has would have added the missing Secure anyway.
    for name in BROKEN_HOST_COOKIES:
        assert any(repr(name) in line and "corrected" in line for line in logs["enforcing"])


def test_samesite_lax_and_strict_on_cross_site_requests(
    context: BrowserContext, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """site-b.test -> site-a.test is cross-site (two registrable domains)."""
    site_a = origin(sites.enforcing, "site-a.test")
    site_b = origin(sites.enforcing, "site-b.test")
    page = context.new_page()
    page.goto(site_a + "/set")

    # Same-site control: a link within site a carries every cookie.
    page.goto(site_a + "/page")
    with page.expect_navigation():
        page.click("#link")
    same_site = echo_on_page(page)

    # Cross-site top-level GET (a link on site b): Lax goes, Strict does not.
    page.goto(site_b + "/cross")
    with page.expect_navigation():
        page.click("#link")
    cross_get = echo_on_page(page)

    # Cross-site top-level POST (a form on site b): neither Lax nor Strict.
    page.goto(site_b + "/cross")
    with page.expect_navigation():
        page.click("#post")
    cross_post = echo_on_page(page)

    # Cross-site subresource (fetch with credentials from site b): neither Lax nor Strict.
    page.goto(site_b + "/cross")
    cross_fetch: dict[str, Any] = page.evaluate(
        "fetch(TARGET, {credentials: 'include'}).then(r => r.json())"
    )

    def names(seen: dict[str, Any]) -> list[str]:
        return sorted(n for n in seen["cookies"] if n != "csrftoken")

    show(
        capsys,
        "(c) SameSite, cookies the view on site-a.test received",
        f"same-site link:        {names(same_site)} user={same_site['user']}",
        f"cross-site link (GET): {names(cross_get)} user={cross_get['user']}",
        f"cross-site form POST:  {names(cross_post)} user={cross_post['user']}",
        f"cross-site fetch:      {names(cross_fetch)} user={cross_fetch['user']}",
    )

    assert {"lax_c", "strict_c", "none_c", SESSION} <= set(same_site["cookies"])
    assert same_site["cookies"]["strict_c"] == "strict"  # verified and unwrapped by the firewall
    assert same_site["user"] == "alice"

    assert cross_get["cookies"].get("lax_c") == "lax"
    assert "strict_c" not in cross_get["cookies"]
    assert cross_get["user"] == "alice"  # the session cookie is Lax

    for seen in (cross_post, cross_fetch):
        assert "lax_c" not in seen["cookies"]
        assert "strict_c" not in seen["cookies"]
        assert SESSION not in seen["cookies"]
        assert seen["user"] is None
    assert cross_post["cookies"].get("none_c") == "none"


def test_tampered_cookies_are_refused_by_the_server(
    context: BrowserContext, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    server = sites.enforcing
    site = origin(server)
    page = context.new_page()
    page.goto(site + "/set")
    page.goto(site + "/echo")
    untouched = echo_on_page(page)
    jar = stored(context)

    def replace(name: str, value: str) -> None:
        # As DevTools does: same name, same attributes, another value.
        context.add_cookies(
            [
                {
                    "name": name,
                    "value": value,
                    "url": site + "/",
                    "secure": True,
                    "httpOnly": bool(jar.get(name, {}).get("httpOnly", False)),
                    "sameSite": "Lax",
                }
            ]
        )

    session = jar[SESSION]["value"]
    flipped = flip_last(session)
    theme = jar["ui_theme"]["value"]
    assert theme.endswith(".dark")
    tampering = {
        "session value altered": (SESSION, flipped),
        "ui_theme payload swapped, MAC kept": ("ui_theme", theme[: -len("dark")] + "pink"),
        "unsigned cookie planted": ("forged", "admin"),
    }
    results: dict[str, tuple[dict[str, Any], list[str]]] = {}
    #: Whether the browser still held the tampered cookie after the server's answer.
    kept: dict[str, bool] = {}
    for label, (name, value) in tampering.items():
        replace(name, value)
        before = len(server.log_text())
        page.goto(site + "/echo")
        results[label] = (echo_on_page(page), new_log(server, before))
        kept[label] = name in stored(context)
        replace(name, jar[name]["value"] if name in jar else "")  # restore for the next case

    lines = [f"untouched: user={untouched['user']} cookies={sorted(untouched['cookies'])}"]
    for label, (name, _) in tampering.items():
        seen, log = results[label]
        lines.append(
            f"{label}: the view saw user={seen['user']} {name}={seen['cookies'].get(name)!r}; "
            f"the browser {'still holds' if kept[label] else 'no longer holds'} it"
        )
        lines += [f"    server log: {line}" for line in log if name in line]
    show(capsys, "(d) tampered cookies", *lines)

    assert untouched["user"] == "alice"
    assert untouched["cookies"]["ui_theme"] == "dark"
    for label, (name, _) in tampering.items():
        seen, log = results[label]
        assert name not in seen["cookies"], label
        # A name the site never set, arriving unsigned, is a foreign cookie: dropped too, and
        # logged at INFO once per name instead of a WARNING per request (docs/runtime.md).
        said = "dropped foreign cookie" if name == "forged" else "rejected cookie"
        assert any(said in line and repr(name) in line for line in log), label
    assert results["session value altered"][0]["user"] is None
    # A forged signed cookie is deleted in the browser, and the deletion of a __Host- cookie is
    # only accepted if it carries Secure and Path=/ (deletions keep the cookie's attributes).
    # An unsigned one is left alone on purpose (JavaScript may have set it).
    assert not kept["session value altered"]
    assert not kept["ui_theme payload swapped, MAC kept"]
    assert kept["unsigned cookie planted"]


def test_rotation_reissues_with_the_same_attributes_and_expiry(
    context: BrowserContext, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cookie signed by b1 meets a server where b2 is primary (stage 2): the browser gets it
    back signed by b2, with the same flags and the same expiry (rotation never extends a life).
    Both servers are site-a.test (cookies do not depend on the port)."""
    page = context.new_page()
    page.goto(origin(sites.enforcing) + "/set")
    before = stored(context)
    page.goto(origin(sites.rotated) + "/echo")
    seen = echo_on_page(page)
    after = stored(context)
    page.goto(origin(sites.rotated) + "/page")
    visible = page.evaluate("document.cookie")

    def key_id(value: str) -> str:
        return value.split(".")[1] if value.startswith("hs1") else "?"

    lines = []
    for name in (SESSION, "ui_theme", "lax_c", "strict_c"):
        b, a = before[name], after[name]
        lines.append(
            f"{name}: key {key_id(b['value'])} -> {key_id(a['value'])}, expires "
            f"{b['expires']:.0f} -> {a['expires']:.0f}, httpOnly {b['httpOnly']} -> "
            f"{a['httpOnly']}, sameSite {b['sameSite']} -> {a['sameSite']}"
        )
    show(capsys, "(e) re-issue after a key rotation (stage 2)", *lines, f"user={seen['user']}")

    assert seen["user"] == "alice"
    for name in (SESSION, "ui_theme", "lax_c", "strict_c"):
        b, a = before[name], after[name]
        assert key_id(b["value"]) == "b1", name
        assert key_id(a["value"]) == "b2", name
        for attribute in ("httpOnly", "secure", "sameSite", "path", "domain"):
            assert a[attribute] == b[attribute], (name, attribute)
        # Max-Age is recomputed from the signed expiry, so the expiry is the same up to the
        # rounding to seconds and the time the request took (EXPIRY_SLACK); browser-session
        # cookies (-1) stay browser-session cookies.
        assert abs(a["expires"] - b["expires"]) <= EXPIRY_SLACK, name
    # Persistent cookies with lives of their own (hours, not the defaults), so a re-issue that
    # reset a life (SESSION_COOKIE_AGE, the 400-day cap) or dropped it (-1) would fail above.
    assert before[SESSION]["expires"] > 0
    assert before["lax_c"]["expires"] > 0
    assert "ui_theme=hs1" in visible  # still readable by JavaScript after the re-issue


def test_cookie_tossing_from_a_sibling_subdomain(
    browser: Browser, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """JavaScript on evil.site-a.test plants the attacker's own valid session cookie for
    Domain=site-a.test. With a plain name the browser then sends two session cookies and
    Django would keep the attacker's: the firewall drops the session instead (fails closed).
    With the __Host- name the browser refuses the planted cookie outright."""
    observed: dict[str, tuple[dict[str, Any], list[str], str]] = {}
    for label, server, cookie in (
        ("plain name", sites.plain_name, "sessionid"),
        ("__Host- name", sites.enforcing, SESSION),
    ):
        # The attacker signs in on the real site and takes their own valid session cookie.
        attacker = browser.new_context(ignore_https_errors=True)
        try:
            attacker.new_page().goto(origin(server) + "/set?user=mallory")
            planted = stored(attacker)[cookie]["value"]
        finally:
            attacker.close()
        victim = browser.new_context(ignore_https_errors=True)
        try:
            page = victim.new_page()
            page.goto(origin(server) + "/set")
            page.goto(origin(server, "evil.site-a.test") + "/page")
            page.evaluate(
                "([name, value]) => { document.cookie ="
                " `${name}=${value}; Domain=site-a.test; Path=/; Secure; SameSite=Lax`; }",
                [cookie, planted],
            )
            before = len(server.log_text())
            with page.expect_request(lambda r: r.url.endswith("/echo")) as echo_request:
                page.goto(origin(server) + "/echo")
            header = echo_request.value.all_headers().get("cookie", "")
            count = sum(1 for part in header.split(";") if part.strip().startswith(f"{cookie}="))
            seen = echo_on_page(page)
            observed[label] = (seen, new_log(server, before), f"{count} x {cookie} sent")
        finally:
            victim.close()

    lines = []
    for label, (seen, log, copies) in observed.items():
        lines.append(f"{label}: {copies}; the view saw user={seen['user']}")
        lines += [f"    server log: {line}" for line in log if "reject" in line]
    show(capsys, "(f) cookie tossing from evil.site-a.test", *lines)

    seen, log, copies = observed["plain name"]
    assert copies == "2 x sessionid sent"
    assert seen["user"] is None  # neither alice nor mallory: the session is dropped
    assert any("'sessionid' (duplicate)" in line for line in log)
    seen, log, copies = observed["__Host- name"]
    assert copies == f"1 x {SESSION} sent"
    assert seen["user"] == "alice"


def test_javascript_cookies_survive_under_the_foreign_cookie_policy(
    context: BrowserContext, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: a social-login button's CSRF cookie and a widget's cookie, both set by
    JavaScript, reach the view through an enforcing firewall; a cookie nothing names is
    dropped, logged once (not once per request)."""
    server = sites.enforcing
    site = origin(server)
    before = len(server.log_text())
    page = context.new_page()
    page.goto(site + "/js-cookies")
    page.click("#signin")
    signed_in = page.inner_text("body")
    seen = []
    for _ in range(3):
        page.goto(site + "/echo")
        seen.append(echo_on_page(page)["cookies"])
    jar = stored(context)
    log = [line for line in new_log(server, before) if "stray" in line]
    show(
        capsys,
        "(g) cookies set by JavaScript",
        f"browser holds: {sorted(jar)}",
        f"sign-in callback answered: {signed_in!r}",
        f"the view saw: {sorted(seen[0])}",
        *log,
    )

    assert {"widget_4f2a9c", "g_csrf_token", "stray"} <= set(jar)  # the browser sends all three
    assert signed_in == "signed in"  # cookie and form field agreed: the login works
    assert seen[0]["widget_4f2a9c"] == "open"  # the policy's pattern lets it through
    assert seen[0]["g_csrf_token"] == jar["g_csrf_token"]["value"]  # the well-known family
    assert all("stray" not in cookies for cookies in seen)  # foreign: dropped
    assert len(log) == 1, log
    assert "INFO" in log[0]
    assert "dropped foreign cookie 'stray'" in log[0]
