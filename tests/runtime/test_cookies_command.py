"""``manage.py hardsess cookies``: the fleet's observations added up, the policy to paste.

The two-server version of this, through gunicorn, is tests/fleet/test_rollout.py.
"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from hardsess import fleet
from hardsess.firewall import observed
from hardsess.firewall.requirements import RequirementsResolver
from hardsess.models import FleetReport

pytestmark = pytest.mark.django_db

REPORT_ONLY = {"REPORT_ONLY": True}


def run(*args: str) -> str:
    out = StringIO()
    call_command("hardsess", "cookies", *args, stdout=out)
    return out.getvalue()


def as_process(name: str, **updated: Any) -> None:
    """Store what this process observed as the report of process ``name``, then forget it:
    the next requests are another process's."""
    FleetReport.objects.create(
        process=name, kind="cookies", payload=observed.totals(), updated=timezone.now()
    )
    observed.reset()


@override_settings(HARDSESS=REPORT_ONLY)
def test_the_fleets_reports_are_added_up_and_foreign_cookies_offered() -> None:
    # Server A: sets "cart" on a login page; browsers send back cart, _ga and ui_state.
    Client().get("/rt/set/", {"name": "cart", "value": "3"})
    browser = Client()
    for name, value in {"cart": "3", "_ga": "GA1.1.1.2", "ui_state": "open"}.items():
        browser.cookies[name] = value
    browser.get("/rt/echo/")
    as_process("web-a/1/aaaa")
    # Server B never sets cart: only the fleet-wide view knows it is the site's own.
    browser.get("/rt/echo/")
    browser.get("/rt/echo/")
    as_process("web-b/2/bbbb")

    data = json.loads(run("--json"))
    assert data["processes"] == 2
    by_name = {c["name"]: c for c in data["cookies"]}
    assert by_name["cart"]["verdict"] == "site"
    assert by_name["cart"]["counts"] == {"set": 1, "unsigned": 3}
    assert by_name["cart"]["processes"] == 2
    assert by_name["_ga"]["verdict"] == "well-known"
    assert by_name["ui_state"]["verdict"] == "foreign"
    assert by_name["ui_state"]["counts"] == {"unsigned": 3}
    assert data["policy"] == {"ui_state": {"sign": False, "httponly": False}}

    text = run()
    assert "Observed by 2 process(es)" in text
    assert text.index("ui_state") < text.index("cart")  # what needs a decision comes first
    assert "1 foreign cookie(s) would be dropped" in text


@override_settings(HARDSESS=REPORT_ONLY)
def test_the_pasted_fragment_merges_and_lets_the_cookie_through_once_enforcing() -> None:
    browser = Client()
    browser.cookies["ui_state"] = "open"
    browser.cookies["remember-cookie_3f2a9b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c"] = (
        "token"  # an id in the name: offered as a pattern
    )
    browser.get("/rt/echo/")
    browser.get("/rt/echo/")
    as_process("web-a/1/aaaa")
    text = run()
    fragment = text[text.index("HARDSESS = {") :]
    namespace: dict[str, Any] = {"HARDSESS": {"REPORT_ONLY": True, "COOKIES": {"x": {}}}}
    exec(fragment, namespace)  # what the user pastes into the settings module
    pasted = namespace["HARDSESS"]
    assert pasted["REPORT_ONLY"] is True  # merged, not replaced
    assert set(pasted["COOKIES"]) == {"x", "ui_state", "remember-cookie_*"}
    with override_settings(HARDSESS={**pasted, "REPORT_ONLY": False}):
        seen = browser.get("/rt/echo/").json()["cookies"]
    assert seen == {
        "ui_state": "open",
        "remember-cookie_3f2a9b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c": "token",
    }


@override_settings(HARDSESS=REPORT_ONLY)
def test_hostile_names_are_never_offered_as_code() -> None:
    hostile = 'x"]};import os;os.system("id")#'
    browser = Client(HTTP_COOKIE=f"{hostile}=1; ok_name=1; ok_name2=1")
    browser.get("/rt/echo/")
    as_process("web-a/1/aaaa")
    text = run("--min-count", "1")
    fragment = text[text.index("HARDSESS = {") :]
    assert "os.system" not in fragment
    namespace: dict[str, Any] = {"HARDSESS": {}}
    exec(fragment, namespace)
    assert set(namespace["HARDSESS"]["COOKIES"]) <= {"ok_name", "ok_name2"}


@override_settings(HARDSESS=REPORT_ONLY)
def test_min_count_and_since_and_clear() -> None:
    browser = Client()
    browser.cookies["rare"] = "1"
    browser.get("/rt/echo/")
    browser.cookies["often"] = "1"
    del browser.cookies["rare"]
    for _ in range(3):
        browser.get("/rt/echo/")
    as_process("web-a/1/aaaa")
    assert set(json.loads(run("--json", "--min-count", "2"))["policy"]) == {"often"}
    FleetReport.objects.update(updated=timezone.now() - timezone.timedelta(hours=3))
    assert json.loads(run("--json", "--since", "1h"))["cookies"] == []
    assert json.loads(run("--json", "--since", "1d"))["processes"] == 1
    assert "Deleted 1 report(s)" in run("--clear")
    assert "No observations in the fleet store yet" in run()


def test_a_bad_since_is_a_usage_error() -> None:
    with pytest.raises(Exception, match="status 2"):
        run("--since", "yesterday")


def test_classification_by_origin_and_counts() -> None:
    from django.conf import settings

    from hardsess.management.cookies import classify

    origin = RequirementsResolver({}, settings).origin_of
    assert classify(origin("sessionid"), {"unsigned": 5}) == "site"
    assert classify(origin("prefs"), {"unsigned": 5}) == "foreign"
    assert classify(origin("prefs"), {"unsigned": 5, "set": 1}) == "site"
    assert classify(origin("_ga"), {"exempt": 5}) == "well-known"
    assert classify("pattern x_*", {"exempt": 5}) == "exempt"
    assert fleet.reports("cookies") == []


@override_settings(HARDSESS=REPORT_ONLY)
def test_the_fragment_never_offers_a_key_that_exempts_the_sites_cookies() -> None:
    Client().get("/rt/set/", {"name": "cart_total", "value": "3"})  # the site's own
    browser = Client(
        HTTP_COOKIE="1234=x; *=x; c*=x; xy*=x; cart_20261202=x; remember-cookie_20261202=x; ui=1"
    )
    browser.get("/rt/echo/")
    browser.get("/rt/echo/")
    as_process("web-a/1/aaaa")
    policy = json.loads(run("--json"))["policy"]
    # "1234" folds into "*"; "cart_*" would also cover the site's cart_total.
    assert set(policy) == {"remember-cookie_*", "ui"}


@override_settings(HARDSESS=REPORT_ONLY)
def test_the_projects_own_entries_win_over_the_pasted_ones() -> None:
    browser = Client(HTTP_COOKIE="ui=1")
    browser.get("/rt/echo/")
    browser.get("/rt/echo/")
    as_process("web-a/1/aaaa")
    text = run()
    namespace: dict[str, Any] = {"HARDSESS": {"COOKIES": {"ui": {"sign": True}}}}
    exec(text[text.index("HARDSESS = {") :], namespace)
    assert namespace["HARDSESS"]["COOKIES"]["ui"] == {"sign": True}


@override_settings(HARDSESS=REPORT_ONLY)
def test_names_with_control_characters_are_escaped_in_the_table() -> None:
    browser = Client(HTTP_COOKIE="x\x1b[2Jy=1")
    browser.get("/rt/echo/")
    browser.get("/rt/echo/")
    as_process("web-a/1/aaaa")
    text = run()
    assert "\x1b" not in text
    assert "x\\x1b[2Jy" in text
