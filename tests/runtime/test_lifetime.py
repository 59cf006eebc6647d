"""A lifetime leaves in one form, however it was spelled (issue 10, item 10): Expires / Max-Age
values Django cannot parse, and the cap that must hold for them (hardsess.firewall.lifetime)."""

from __future__ import annotations

import logging
import time
from http.cookiejar import http2time  # type: ignore[attr-defined]

import pytest
from django.test import Client, override_settings
from django.utils.http import http_date, parse_http_date
from hypothesis import given, settings
from hypothesis import strategies as st

from hardsess.firewall.signing import looks_signed
from hardsess.policy.cookies import MAX_COOKIE_AGE

pytestmark = pytest.mark.django_db


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

    from hardsess.firewall.middleware import HardSessMiddleware

    def view(request: object) -> HttpResponse:
        response = HttpResponse()
        response.set_cookie("m", "v")
        response.cookies["m"]["max-age"] = raw
        return response

    response = HardSessMiddleware(view)(RequestFactory().get("/"))
    assert response.cookies["m"]["max-age"] == left
