"""Issue 16 on the way out: Partitioned written on this Python, the __Http- prefixes, and what a
logout response clears (the browser's side: tests/browser/test_platform.py)."""

from __future__ import annotations

import logging
import pickle

import pytest
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from hardsess.firewall.incoming import NOTHING
from hardsess.firewall.logout import logged_out, parse_on_logout
from hardsess.firewall.outgoing import harden_response
from hardsess.firewall.partitioned import PartitionedMorsel, is_partitioned
from hardsess.firewall.snapshot import current_snapshot

WIDGET = {"COOKIES": {"widget": {"samesite": "None", "partitioned": True}}}


def hardened(response: HttpResponse, request: object = None) -> list[str]:
    harden_response(response, current_snapshot(), NOTHING, request)  # type: ignore[arg-type]
    return [m.output(header="").strip() for m in response.cookies.values()]


@override_settings(HARDSESS=WIDGET)
def test_partitioned_cookie_is_written_with_the_attribute_others_are_not() -> None:
    response = HttpResponse()
    response.set_cookie("widget", "v", samesite="None")
    response.set_cookie("other", "v", samesite="None")
    widget, other = hardened(response)
    assert widget.endswith("; Partitioned")
    assert "Secure" in widget
    assert "SameSite=None" in widget
    assert "Partitioned" not in other
    assert is_partitioned(response.cookies["widget"])
    # The cache middleware pickles responses: the attribute survives.
    copy = pickle.loads(pickle.dumps(response.cookies))
    assert copy["widget"].output().endswith("; Partitioned")


@override_settings(HARDSESS=WIDGET)
def test_deleting_a_partitioned_cookie_targets_the_partitioned_jar() -> None:
    response = HttpResponse()
    response.delete_cookie("widget", samesite="None")
    (line,) = hardened(response)
    assert "Max-Age=0" in line
    assert line.endswith("; Partitioned")


@override_settings(HARDSESS={"COOKIES": {"widget": {"partitioned": True, "secure": False}}})
def test_partitioned_without_secure_gets_secure_logged_hs142(
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = HttpResponse()
    # (With SameSite=None, HS141 adds Secure first and says so.)
    response.set_cookie("widget", "v")
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        (line,) = hardened(response)
    assert "Secure" in line
    assert any("HS142" in r.getMessage() for r in caplog.records)


def test_the_partitioned_morsel_keeps_morsel_behaviour() -> None:
    morsel = PartitionedMorsel()
    morsel.set("a", "b", "b")
    morsel["path"] = "/"
    assert morsel.OutputString() == "a=b; Path=/; Partitioned"
    assert morsel.OutputString(attrs=["path"]) == "a=b; Path=/"


@pytest.mark.parametrize("name", ["__Http-csrf", "__Host-Http-csrf"])
@override_settings(CSRF_COOKIE_HTTPONLY=False)
def test_http_prefixes_always_leave_httponly_and_secure(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    with override_settings(CSRF_COOKIE_NAME=name):
        response = HttpResponse()
        response.set_cookie(name, "v", path="/sub/")
        with caplog.at_level(logging.WARNING, logger="hardsess"):
            hardened(response)
    morsel = response.cookies[name]
    assert morsel["httponly"] is True
    assert morsel["secure"] is True
    if name.startswith("__Host-"):
        assert morsel["path"] == "/"
    assert any("HS106" in r.getMessage() and "HttpOnly" in r.getMessage() for r in caplog.records)


def test_a_deletion_of_an_http_prefixed_cookie_is_no_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = HttpResponse()
    response.delete_cookie("__Host-Http-session")  # Django's delete_cookie asks no HttpOnly
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        hardened(response)
    assert response.cookies["__Host-Http-session"]["httponly"] is True
    assert caplog.records == []


def logout_request() -> object:
    request = RequestFactory().get("/")
    user_logged_out.send(sender=None, request=request, user=None)
    assert logged_out(request)
    return request


@override_settings(HARDSESS={"ON_LOGOUT": {"CLEAR_SITE_DATA": ["cookies", "storage"]}})
def test_logout_response_carries_clear_site_data() -> None:
    response = HttpResponse()
    hardened(response, logout_request())
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    other = HttpResponse()
    hardened(other, RequestFactory().get("/"))
    assert "Clear-Site-Data" not in other.headers


class _JustLoggedIn:
    """What user_logged_in's receivers touch of a user (Django's update_last_login)."""

    pk = 1
    last_login = None

    def save(self, **kwargs: object) -> None:
        pass


@override_settings(
    HARDSESS={"ON_LOGOUT": {"CLEAR_SITE_DATA": ["cookies"], "EXPIRE_COOKIES": ["cart"]}}
)
def test_a_login_after_the_logout_keeps_its_cookies() -> None:
    """Logout, then login in the same request: Clear-Site-Data would wipe the new session
    cookie (browsers apply it after the response's Set-Cookie), so it is not sent; the listed
    cookies are still expired."""
    request = logout_request()
    user_logged_in.send(sender=None, request=request, user=_JustLoggedIn())
    response = HttpResponse()
    hardened(response, request)
    assert "Clear-Site-Data" not in response.headers
    assert response.cookies["cart"]["max-age"] == 0


@override_settings(
    HARDSESS={"ON_LOGOUT": {"EXPIRE_COOKIES": ["cart", "widget"]}, **WIDGET},
)
def test_logout_expires_the_listed_cookies_with_their_attributes() -> None:
    response = HttpResponse()
    response.set_cookie("cart", "fresh")  # the view's own wins
    hardened(response, logout_request())
    assert "Clear-Site-Data" not in response.headers
    assert response.cookies["cart"]["max-age"] != 0
    assert response.cookies["widget"]["max-age"] == 0
    assert response.cookies["widget"].output().endswith("; Partitioned")


@override_settings(HARDSESS={"ON_LOGOUT": {"CLEAR_SITE_DATA": ["cookies"]}, "REPORT_ONLY": True})
def test_report_only_clears_nothing() -> None:
    response = HttpResponse()
    hardened(response, logout_request())
    assert "Clear-Site-Data" not in response.headers


@pytest.mark.parametrize(
    "raw",
    [
        "cookies",
        {"CLEAR_SITE_DATA": "cookies"},
        {"CLEAR_SITE_DATA": ["everything"]},
        {"EXPIRE_COOKIES": [""]},
        {"EXPIRE_COOKIES": [f"c{i}" for i in range(65)]},
        {"ON": ["cookies"]},
    ],
)
def test_malformed_on_logout_is_refused(raw: object) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_on_logout(raw)


@pytest.mark.parametrize(
    "raw",
    ["id=1; Secure; Partitioned", "id=1; partitioned ; Path=/", "id=1;Partitioned;Secure"],
)
def test_a_raw_partitioned_header_is_taken_over_not_refused(raw: str) -> None:
    response = HttpResponse()
    response.headers["Set-Cookie"] = raw
    (line,) = hardened(response)
    assert "Set-Cookie" not in response.headers  # taken over into response.cookies
    assert line.startswith("id=hs1")  # hardened and signed
    assert line.endswith("; Partitioned")
    assert "Secure" in line


def test_a_raw_header_with_a_quoted_value_keeps_its_partitioned_text() -> None:
    response = HttpResponse()
    response.headers["Set-Cookie"] = 'id="a; Partitioned"; Secure'
    (line,) = hardened(response)
    # The text is the (quoted) value, not an attribute: the cookie is taken over unpartitioned.
    assert not is_partitioned(response.cookies["id"])
    assert not line.endswith("; Partitioned")
