"""Every Set-Cookie leaves with the flags its requirements demand, or not at all, whatever API
wrote it (through Django's test client; hardsess.firewall.outgoing)."""

from __future__ import annotations

import logging
from http.cookies import Morsel, SimpleCookie

import pytest
from django.test import Client, override_settings

from hardsess.firewall.signing import looks_signed
from hardsess.policy.cookies import MAX_COOKIE_AGE

pytestmark = pytest.mark.django_db

ALL = ("sessionid", "csrftoken", "django_language", "messages", "prefs", "remember")


def test_every_kind_of_cookie_gets_secure_httponly_samesite() -> None:
    client = Client()
    response = client.get("/rt/every/")
    assert response.status_code == 200
    # The test client speaks plain HTTP, as a TLS-terminating proxy's backend does.
    assert not response.wsgi_request.is_secure()
    assert set(ALL) <= set(response.cookies)
    for name in ALL:
        morsel = response.cookies[name]
        assert morsel["secure"] is True, name
        assert morsel["samesite"] == "Lax", name
    for name in set(ALL) - {"csrftoken"}:
        assert response.cookies[name]["httponly"] is True, name
        assert looks_signed(response.cookies[name].value), name


def test_csrf_cookie_stays_readable_by_javascript_and_unsigned() -> None:
    response = Client().get("/rt/every/")
    csrf = response.cookies["csrftoken"]
    assert csrf["httponly"] == ""
    assert not looks_signed(csrf.value)


@override_settings(CSRF_COOKIE_HTTPONLY=True)
def test_httponly_csrf_cookie_is_signed_and_csrf_still_passes() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.get("/rt/every/")
    csrf = response.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert looks_signed(csrf.value)
    # CsrfViewMiddleware reads the verified original value: a POST with the token passes.
    token = client.get("/rt/echo/").json()["cookies"]["csrftoken"]
    assert not looks_signed(token)
    assert client.post("/rt/echo/", {"csrfmiddlewaretoken": token}).status_code == 200
    assert client.post("/rt/echo/", {"csrfmiddlewaretoken": "x" * 32}).status_code == 403


def test_added_flags_are_logged_at_debug_only(caplog: pytest.LogCaptureFixture) -> None:
    """What policy adds is routine: a DEBUG line per cookie, nothing at INFO and above."""
    with caplog.at_level(logging.INFO, logger="hardsess"):
        Client().get("/rt/set/", {"name": "plain"})
    assert "plain" not in caplog.text
    with caplog.at_level(logging.DEBUG, logger="hardsess"):
        Client().get("/rt/set/", {"name": "plain"})
    given = [r for r in caplog.records if r.levelno == logging.DEBUG and "'plain'" in r.message]
    assert [r.message for r in given] == [
        "hardsess HS201: cookie 'plain' given SameSite=Lax, Secure, HttpOnly"
    ]


def test_stricter_samesite_is_kept() -> None:
    response = Client().get("/rt/set/", {"name": "strict_one", "samesite": "Strict"})
    assert response.cookies["strict_one"]["samesite"] == "Strict"


@override_settings(HARDSESS={"COOKIES": {"widget": {"secure": False, "samesite": None}}})
def test_samesite_none_without_secure_is_corrected(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get("/rt/set/", {"name": "widget", "samesite": "None"})
    morsel = response.cookies["widget"]
    assert morsel["samesite"] == "None"
    assert morsel["secure"] is True
    assert "SameSite=None without Secure" in caplog.text


def test_broken_prefix_is_a_warning_even_when_policy_adds_secure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The default policy would add Secure anyway; the site still learns it wrote a cookie
    that browsers drop (what the linter's HS106 reports)."""
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get("/rt/set/", {"name": "__Host-pref"})
    assert response.cookies["__Host-pref"]["secure"] is True
    assert "__Host- without Secure" in caplog.text


@override_settings(HARDSESS={"COOKIES": {"*": {"secure": False}}})
def test_policy_can_leave_secure_off_but_prefixes_still_demand_it() -> None:
    client = Client()
    plain = client.get("/rt/set/", {"name": "plain"}).cookies["plain"]
    assert plain["secure"] == ""
    prefixed = client.get("/rt/set/", {"name": "__Secure-id"}).cookies["__Secure-id"]
    assert prefixed["secure"] is True


def test_host_prefix_is_corrected(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get(
            "/rt/set/", {"name": "__Host-id", "path": "/rt/", "domain": "example.com"}
        )
    morsel = response.cookies["__Host-id"]
    assert morsel["secure"] is True
    assert morsel["path"] == "/"
    assert morsel["domain"] == ""
    assert "__Host- with a Domain" in caplog.text
    assert "__Host-id=" in response.cookies.output()
    assert "Domain" not in response.cookies["__Host-id"].OutputString()


def test_max_age_beyond_400_days_is_capped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get("/rt/set/", {"name": "forever", "max_age": str(500 * 86400)})
    assert response.cookies["forever"]["max-age"] == MAX_COOKIE_AGE
    assert "lifetime capped" in caplog.text


@override_settings(HARDSESS={"COOKIES": {"short": {"max_age": 60}}})
def test_policy_max_age_cap() -> None:
    response = Client().get("/rt/set/", {"name": "short", "max_age": "3600"})
    assert response.cookies["short"]["max-age"] == 60


def test_oversized_cookie_is_refused_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    value = "x" * 4050  # fits on its own; the signature pushes it over 4096 bytes
    with caplog.at_level(logging.ERROR, logger="hardsess"):
        response = Client().get("/rt/set/", {"name": "big", "value": value})
    assert "big" not in response.cookies
    assert "refused cookie 'big'" in caplog.text
    assert value not in caplog.text


def test_deletion_keeps_attributes_and_is_not_signed() -> None:
    response = Client().get("/rt/delete/", {"name": "prefs", "path": "/rt/"})
    morsel: Morsel[str] = response.cookies["prefs"]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
    assert morsel["path"] == "/rt/"
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"


def test_streaming_response_cookies_are_hardened() -> None:
    response = Client().get("/rt/stream/")
    assert b"".join(response.streaming_content) == b"chunk-1\nchunk-2\n"  # type: ignore[arg-type]
    morsel = response.cookies["streamed"]
    assert morsel["secure"] is True
    assert looks_signed(morsel.value)


def test_djangos_set_language_view_and_locale_middleware() -> None:
    """The language cookie from Django's own view is hardened, and LocaleMiddleware (below the
    firewall) reads the verified value."""
    client = Client()
    response = client.post("/rt/i18n/setlang/", {"language": "fr", "next": "/rt/echo/"})
    assert response.status_code == 302
    morsel = response.cookies["django_language"]
    assert looks_signed(morsel.value)
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    follow = client.get("/rt/echo/")
    assert follow.json()["cookies"]["django_language"] == "fr"
    assert follow["Content-Language"] == "fr"
    # An unsigned language cookie never reaches LocaleMiddleware.
    forged = Client()
    forged.cookies["django_language"] = "fr"
    assert forged.get("/rt/echo/")["Content-Language"] != "fr"


def test_expires_without_max_age_is_bound_and_capped() -> None:
    import time

    from django.utils.http import http_date, parse_http_date

    client = Client()
    soon = int(time.time()) + 3600
    morsel = client.get("/rt/set-expires/", {"name": "e", "expires": http_date(soon)}).cookies["e"]
    assert morsel.value.split(".")[2] == str(soon)  # the expiry is inside the signature
    assert morsel["max-age"] == ""
    far = client.get("/rt/set-expires/", {"name": "f", "expires": "Wed, 01 Jan 2070 00:00:00 GMT"})
    capped = parse_http_date(far.cookies["f"]["expires"])
    assert capped <= int(time.time()) + MAX_COOKIE_AGE + 5
    assert far.cookies["f"]["max-age"] == MAX_COOKIE_AGE


def test_deletion_by_past_expires_is_not_signed() -> None:
    response = Client().get(
        "/rt/set-expires/", {"name": "old", "value": "", "expires": "Thu, 01 Jan 1970 00:00:00 GMT"}
    )
    morsel = response.cookies["old"]
    assert morsel.value == ""
    assert morsel["secure"] is True


# -- raw Set-Cookie headers (issue 10, item 8) ----------------------------------------------


def raw_headers(response: object) -> list[str]:
    """Every Set-Cookie line Django's handler would send for ``response``."""
    headers = [v for k, v in response.items() if k.lower() == "set-cookie"]  # type: ignore[attr-defined]
    return headers + [m.OutputString() for m in response.cookies.values()]  # type: ignore[attr-defined]


def test_a_raw_set_cookie_header_is_hardened_and_signed(caplog: pytest.LogCaptureFixture) -> None:
    client = Client()
    with caplog.at_level(logging.INFO, logger="hardsess"):
        response = client.get("/rt/raw-set-cookie/", {"header": "raw=plain-value; Path=/"})
    lines = raw_headers(response)
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("raw=hs1.")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in line
    assert "plain-value" not in caplog.text
    # And it round-trips like any cookie the site set.
    assert client.get("/rt/echo/").json()["cookies"]["raw"] == "plain-value"


@pytest.mark.parametrize(
    "header",
    [
        "a=1; b=2",  # two cookies to Python, one cookie with an odd attribute to a browser
        "a=1, b=2",
        "no equals sign",
        "=nameless",
        "bad name=1",
    ],
)
def test_a_raw_header_that_is_not_one_readable_cookie_is_refused(
    header: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="hardsess"):
        response = Client().get("/rt/raw-set-cookie/", {"header": header})
    assert response.status_code == 200
    assert raw_headers(response) == []
    assert "refuse a Set-Cookie header set directly" in caplog.text
    assert header not in caplog.text


def test_a_raw_header_beside_set_cookie_of_the_same_name_is_dropped() -> None:
    response = Client().get("/rt/raw-set-cookie/", {"header": "dup=raw", "also": "dup"})
    lines = raw_headers(response)
    assert len(lines) == 1
    assert SimpleCookie(lines[0])["dup"].value != "raw"
    assert looks_signed(SimpleCookie(lines[0])["dup"].value)


@override_settings(HARDSESS={"REPORT_ONLY": True})
def test_report_only_leaves_a_raw_header_alone_and_says_what_it_would_do(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="hardsess"):
        response = Client().get("/rt/raw-set-cookie/", {"header": "raw=v"})
    assert raw_headers(response) == ["raw=v"]
    assert "would take over the raw Set-Cookie header of cookie 'raw'" in caplog.text
    assert "would correct cookie 'raw'" in caplog.text


def test_outgoing_plans_are_bounded_and_never_replace_what_the_view_asked() -> None:
    """The per-name plans (hardsess.firewall.outgoing.plan_for) are remembered for at most
    MAX_MATCHED_NAMES names (views can name cookies by id); past the bound a cookie is hardened
    and signed all the same. A plan is what the requirements add to a cookie that asks for no
    flag: the same name set with the view's own stricter SameSite keeps it."""
    from django.http import HttpResponse

    from hardsess.firewall.incoming import NOTHING
    from hardsess.firewall.outgoing import harden_response
    from hardsess.firewall.requirements import MAX_MATCHED_NAMES
    from hardsess.firewall.snapshot import SettingsSnapshot

    snapshot = SettingsSnapshot.from_settings()
    names = [f"remember_{i}" for i in range(MAX_MATCHED_NAMES + 5)]
    response = HttpResponse()
    for name in names:
        response.set_cookie(name, "v")
    harden_response(response, snapshot, NOTHING)
    assert len(snapshot.plans) == MAX_MATCHED_NAMES
    for name in (names[0], names[-1]):  # planned, and past the bound
        morsel = response.cookies[name]
        assert (morsel["secure"], morsel["httponly"], morsel["samesite"]) == (True, True, "Lax")
        assert looks_signed(morsel.value)
    again = HttpResponse()
    again.set_cookie(names[0], "v", samesite="Strict")
    again.set_cookie(names[1], "v")
    harden_response(again, snapshot, NOTHING)
    assert again.cookies[names[0]]["samesite"] == "Strict"
    assert again.cookies[names[0]]["secure"] is True
    assert again.cookies[names[1]]["samesite"] == "Lax"
