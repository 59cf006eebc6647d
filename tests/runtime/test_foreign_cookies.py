"""Cookies the site does not set itself: patterns, well-known families, foreign cookies.

docs/runtime.md, "Which requirements a cookie gets"; docs/adopting.md#foreign-cookies.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from django.conf import settings
from django.test import Client, override_settings

from hardsess.firewall import requirements as requirements_module
from hardsess.firewall.requirements import DEFAULT_ORIGIN, RequirementsResolver
from hardsess.firewall.signing import looks_signed
from tests.runtime.conftest import Rejections

pytestmark = pytest.mark.django_db


def resolver(policy: dict[str, dict[str, object]]) -> RequirementsResolver:
    return RequirementsResolver(policy, settings)


def test_exact_names_then_patterns_in_written_order_then_families_then_star() -> None:
    r = resolver(
        {
            "*": {"samesite": "Strict"},
            "remember-cookie_*": {"sign": False},
            "remember-*": {"httponly": False},
            "_ga": {"sign": True},  # an exact entry beats the Google Analytics family
            "_hj*": {"max_age": 60},  # a pattern of the policy beats the Hotjar family
        }
    )
    assert r.origin_of("sessionid") == "django"
    assert r.origin_of("_ga") == "policy"
    assert r.for_name("_ga").sign
    remember = f"remember-cookie_{uuid.uuid4()}"
    assert r.origin_of(remember) == "pattern remember-cookie_*"
    assert not r.for_name(remember).sign
    assert r.for_name(remember).httponly
    assert r.origin_of("remember-me") == "pattern remember-*"
    assert r.for_name("_hjSession_123").max_age == 60
    assert r.origin_of("_ga_ABC123") == "well-known: Google Analytics"
    assert r.origin_of("g_csrf_token") == "well-known: Google Sign-In"
    family = r.for_name("_ga_ABC123")
    assert not family.sign
    assert not family.httponly
    assert family.samesite == "Strict"  # what a family does not say comes from "*"
    assert r.origin_of("prefs") == DEFAULT_ORIGIN
    assert r.for_name("prefs") is r.default


def test_a_pattern_is_a_glob_with_star_only() -> None:
    r = resolver({"a.b[1]*": {"sign": False}})
    assert r.origin_of("a.b[1]-x") == "pattern a.b[1]*"
    assert r.origin_of("aXb[1]-x") == DEFAULT_ORIGIN  # "." is a dot, not any character
    assert r.origin_of("a.b1-x") == DEFAULT_ORIGIN  # "[1]" is literal, not a class
    assert r.origin_of("xa.b[1]") == DEFAULT_ORIGIN  # a pattern matches the whole name


def test_remembered_matches_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(requirements_module, "MAX_MATCHED_NAMES", 8)
    r = resolver({"x_*": {"sign": False}})
    for i in range(100):
        assert not r.for_name(f"x_{i}").sign
        assert r.for_name(f"junk{i}") is r.default
    assert len(r.matched) == 8
    assert not r.for_name("x_99").sign  # matched afresh past the bound, still right


def test_well_known_cookies_set_by_javascript_reach_the_view() -> None:
    client = Client()
    client.cookies["_ga"] = "GA1.1.1234.5678"
    client.cookies["g_csrf_token"] = "abc123"
    client.cookies["OptanonConsent"] = "isGpcEnabled=0"
    assert client.get("/rt/echo/").json()["cookies"] == {
        "_ga": "GA1.1.1234.5678",
        "g_csrf_token": "abc123",
        "OptanonConsent": "isGpcEnabled=0",
    }


@override_settings(HARDSESS={"COOKIES": {"remember-cookie_*": {"sign": False}}})
def test_a_pattern_exempts_names_that_carry_an_id() -> None:
    name = f"remember-cookie_{uuid.uuid4().hex}"
    client = Client()
    client.cookies[name] = "token"
    client.cookies["remember-other"] = "token"
    assert client.get("/rt/echo/").json()["cookies"] == {name: "token"}


def test_a_foreign_cookie_is_dropped_and_logged_once_per_name(
    rejections: Rejections, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.cookies["ui_state"] = "collapsed"
    with caplog.at_level(logging.INFO, logger="hardsess"):
        for _ in range(3):
            assert client.get("/rt/echo/").json()["cookies"] == {}
    assert rejections.reasons() == {"ui_state": "foreign"}
    lines = [r for r in caplog.records if "ui_state" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].levelno == logging.INFO
    assert "dropped foreign cookie 'ui_state'" in lines[0].getMessage()
    assert "docs/adopting.md#foreign-cookies" in lines[0].getMessage()
    assert "collapsed" not in caplog.text


def test_an_unsigned_copy_of_a_cookie_the_site_sets_is_not_foreign(
    rejections: Rejections, caplog: pytest.LogCaptureFixture
) -> None:
    Client().get("/rt/set/", {"name": "cart", "value": "3"})  # the site sets it, signed
    client = Client()
    client.cookies["cart"] = "999"  # forged, or from before hardsess
    with caplog.at_level(logging.INFO, logger="hardsess"):
        assert client.get("/rt/echo/").json()["cookies"] == {}
        client.get("/rt/echo/")
    assert rejections.reasons() == {"cart": "unsigned"}
    warnings = [r for r in caplog.records if "rejected cookie 'cart'" in r.getMessage()]
    assert len(warnings) == 2
    assert all(r.levelno == logging.WARNING for r in warnings)


@override_settings(HARDSESS={"REPORT_ONLY": True})
def test_report_only_tells_the_sites_cookies_from_foreign_ones(
    caplog: pytest.LogCaptureFixture,
) -> None:
    Client().get("/rt/set/", {"name": "cart", "value": "3"})
    client = Client()
    client.cookies["cart"] = "3"
    client.cookies["ui_state"] = "collapsed"
    with caplog.at_level(logging.INFO, logger="hardsess"):
        for _ in range(2):
            seen = client.get("/rt/echo/").json()["cookies"]
    assert seen == {"cart": "3", "ui_state": "collapsed"}  # report-only changes nothing
    messages = [r.getMessage() for r in caplog.records]
    assert (
        sum(
            "'cart' arrives unsigned: the site's own, signed from enforcement" in m
            for m in messages
        )
        == 1
    )
    assert sum("would drop foreign cookie 'ui_state'" in m for m in messages) == 1


def test_a_well_known_cookie_the_site_sets_leaves_readable_and_unsigned() -> None:
    response = Client().get("/rt/set/", {"name": "_ga", "value": "GA1.1.1.2"}, secure=True)
    morsel = response.cookies["_ga"]
    assert morsel.value == "GA1.1.1.2"
    assert not looks_signed(morsel.value)
    assert not morsel["httponly"]  # the analytics script must read it
    assert morsel["secure"]
    assert morsel["samesite"] == "Lax"


def test_the_firewalls_own_deletions_do_not_make_a_name_the_sites(
    rejections: Rejections,
) -> None:
    # A forged signed value: the firewall deletes it in the browser, under the client's name.
    forged = Client()
    forged.cookies["zzz"] = "hs1.k1.0.bm90aGluZw.AAAA"
    response = forged.get("/rt/echo/")
    assert response.cookies["zzz"]["max-age"] == 0
    client = Client()
    client.cookies["zzz"] = "plain"
    client.get("/rt/echo/")
    assert rejections[-1][:2] == ("zzz", "foreign")


def test_a_pattern_with_more_than_two_stars_is_refused() -> None:
    from hardsess.firewall.requirements import validate_cookies_setting

    assert validate_cookies_setting({"a*b*c": {"sign": False}}) == []
    (problem,) = validate_cookies_setting({"*_*_*_id": {"sign": False}})
    assert "at most 2" in problem


def test_a_long_name_matches_no_pattern_and_costs_nothing() -> None:
    r = resolver({"*_*id": {"sign": False}})
    assert r.origin_of("x_" + "_" * 4000 + "id") == DEFAULT_ORIGIN  # strict: "*" applies
    assert r.origin_of("x_id") == "pattern *_*id"


def test_short_prefixes_of_the_sites_own_names_are_no_family() -> None:
    r = resolver({})
    for name in ("mp_cart", "ajs_account", "_hjadmin", "intercom-session", "_pk_x"):
        assert r.origin_of(name) == DEFAULT_ORIGIN, name
    for name in ("mp_0123abcd_mixpanel", "ajs_user_id", "_hjSession_123", "_pk_id.1.ab12"):
        assert r.origin_of(name).startswith("well-known: "), name


def test_a_family_cookie_the_site_sets_is_said_once(caplog: pytest.LogCaptureFixture) -> None:
    from hardsess.firewall.outgoing import family_warnings

    family_warnings.clear()
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        for _ in range(2):
            Client().get("/rt/set/", {"name": "_ga", "value": "GA1.1.1.2"})
    lines = [r.getMessage() for r in caplog.records if "Google Analytics family" in r.getMessage()]
    assert len(lines) == 1
    assert "leaves unsigned and readable by JavaScript" in lines[0]
