"""What leaves, whatever API wrote it and however its lifetime was spelled (issue 10, items 8
and 10): raw ``Set-Cookie`` headers, and Expires / Max-Age values Django cannot parse."""

from __future__ import annotations

import logging
import time
from http.cookiejar import http2time  # type: ignore[attr-defined]
from http.cookies import SimpleCookie

import pytest
from django.test import Client, override_settings
from django.utils.http import http_date, parse_http_date
from hypothesis import given, settings
from hypothesis import strategies as st

from hardsess.cookie_policy import MAX_COOKIE_AGE
from hardsess.cookie_signing import looks_signed

pytestmark = pytest.mark.django_db


def raw_headers(response: object) -> list[str]:
    """Every Set-Cookie line Django's handler would send for ``response``."""
    headers = [v for k, v in response.items() if k.lower() == "set-cookie"]  # type: ignore[attr-defined]
    return headers + [m.OutputString() for m in response.cookies.values()]  # type: ignore[attr-defined]


# -- item 8: raw Set-Cookie headers ------------------------------------------------------------


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


# -- item 10: lifetimes the policy's cap must hold for ------------------------------------------


HOUR = {"HARDSESS": {"COOKIES": {"hour": {"max_age": 3600}}}}


@override_settings(**HOUR)
def test_an_expires_django_cannot_parse_is_still_capped() -> None:
    """The reported case: a one-hour policy, Expires in 2099 in a form only browsers read."""
    client = Client()
    response = client.get(
        "/rt/set-expires/", {"name": "hour", "expires": "Thu, 01-Jan-2099 00:00:00 GMT"}
    )
    morsel = response.cookies["hour"]
    now = int(time.time())
    assert int(morsel["max-age"]) == 3600
    assert parse_http_date(morsel["expires"]) <= now + 3600 + 5
    assert int(morsel.value.split(".")[2]) <= now + 3600 + 5  # inside the MAC as well


@override_settings(**HOUR)
def test_an_unreadable_expires_leaves_a_browser_session_cookie(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get("/rt/set-expires/", {"name": "hour", "expires": "in 2099 or so"})
    morsel = response.cookies["hour"]
    assert morsel["expires"] == ""
    assert morsel["max-age"] == ""
    assert morsel.value.split(".")[2] == "0"
    assert "unreadable Expires removed" in caplog.text


#: Expires spellings: strict HTTP dates, what browsers also read, and junk.
expires_text = st.one_of(
    st.integers(0, 2**35).map(http_date),
    st.builds(
        lambda day, month, year, hms, sep: f"{day:02d}{sep}{month}{sep}{year} {hms}",
        st.integers(1, 31),
        st.sampled_from(["Jan", "Feb", "Jun", "Dec", "jan", "DEC"]),
        st.integers(1601, 9999) | st.integers(0, 99),
        st.sampled_from(["00:00:00", "23:59:59", "12:00:00 GMT"]),
        st.sampled_from(["-", " "]),
    ),
    st.text(max_size=40),
)


@settings(max_examples=400, deadline=None)
@given(expires_text, st.sampled_from([None, 60, 3600, MAX_COOKIE_AGE]))
def test_the_cap_holds_for_any_expires(expires: str, cap: int | None) -> None:
    """Whatever the site wrote, what leaves is readable the same way by Django and a client,
    and never lives past the policy's cap, in the attributes or in the signed expiry."""
    policy = {"hour": {"max_age": cap}} if cap is not None else {}
    limit = cap or MAX_COOKIE_AGE
    with override_settings(HARDSESS={"COOKIES": policy}):
        response = Client().get("/rt/set-expires/", {"name": "hour", "expires": expires})
    morsel = response.cookies["hour"]
    now = int(time.time())
    left = morsel["expires"]
    if left:
        assert parse_http_date(left) == http2time(left)  # one reading for everyone
        deleted = parse_http_date(left) <= now
        assert deleted or parse_http_date(left) <= now + limit + 5
    if morsel["max-age"] != "":
        assert int(morsel["max-age"]) <= limit
    if looks_signed(morsel.value):
        signed_expiry = int(morsel.value.split(".")[2])
        assert signed_expiry <= now + limit + 5
        assert signed_expiry == 0 or left or morsel["max-age"] != ""


@pytest.mark.parametrize(("raw", "left"), [("+60", 60), (" 60", 60), ("sixty", ""), ("6e1", "")])
def test_a_max_age_is_left_an_integer_or_nothing(raw: str, left: int | str) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from hardsess.middleware import HardSessMiddleware

    def view(request: object) -> HttpResponse:
        response = HttpResponse()
        response.set_cookie("m", "v")
        response.cookies["m"]["max-age"] = raw
        return response

    response = HardSessMiddleware(view)(RequestFactory().get("/"))
    assert response.cookies["m"]["max-age"] == left
