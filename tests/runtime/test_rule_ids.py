"""Every correction, refusal and rejection carries the catalogue rule it answers to
(hardsess.firewall.rule_ids), in the log line and in the cookie_rejected signal."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings

from hardsess import policy
from hardsess.firewall import rule_ids
from hardsess.signals import cookie_rejected

pytestmark = pytest.mark.django_db

FIREWALL = Path(rule_ids.__file__).parent


def test_every_id_the_firewall_can_log_is_in_the_catalogue() -> None:
    catalogue = {rule.id for rule in policy.CATALOGUE}
    written = set(re.findall(r"\bHS\d{3}\b", "".join(p.read_text() for p in FIREWALL.glob("*.py"))))
    assert set(rule_ids.LOGGED) <= catalogue
    assert written <= catalogue, sorted(written - catalogue)
    assert written <= set(rule_ids.LOGGED), sorted(written - set(rule_ids.LOGGED))


def test_djangos_cookies_answer_to_their_own_rules() -> None:
    """Read from the catalogue (the rule judging SESSION_COOKIE_SECURE...), never copied."""
    assert rule_ids.FLAG_RULES_BY_PREFIX == {
        "SESSION_COOKIE": {"secure": "HS101", "httponly": "HS102", "samesite": "HS103"},
        "CSRF_COOKIE": {"secure": "HS111", "httponly": "HS201", "samesite": "HS112"},
        "LANGUAGE_COOKIE": {"secure": "HS121", "httponly": "HS122", "samesite": "HS123"},
    }


def rules_of(caplog: pytest.LogCaptureFixture, name: str) -> list[tuple[int, str, str]]:
    """(level, hardsess_rule, message) of every hardsess record naming cookie ``name``."""
    return [
        (r.levelno, getattr(r, "hardsess_rule", None), r.getMessage())
        for r in caplog.records
        if r.name == "hardsess" and repr(name) in r.getMessage()
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sessionid", ["HS103", "HS101", "HS102"]),
        ("csrftoken", ["HS112", "HS111"]),  # readable by JavaScript: no HttpOnly to add
        ("django_language", ["HS123", "HS121", "HS122"]),
        ("messages", ["HS201"]),
        ("prefs", ["HS201"]),
    ],
)
def test_added_flags_carry_the_cookies_own_rule(
    name: str, expected: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="hardsess"):
        Client().get("/rt/set/", {"name": name})
    records = rules_of(caplog, name)
    assert [rule for _, rule, _ in records] == expected
    for level, rule, message in records:
        assert level == logging.DEBUG
        assert message.startswith(f"hardsess {rule}: cookie {name!r} given ")


@pytest.mark.parametrize(
    ("query", "rule", "text"),
    [
        ({"name": "widget", "samesite": "None"}, "HS141", "SameSite=None without Secure"),
        ({"name": "__Host-id", "domain": "example.com"}, "HS106", "__Host- with a Domain"),
        ({"name": "__Secure-id"}, "HS106", "__Secure- without Secure"),
        ({"name": "forever", "max_age": str(500 * 86400)}, "HS202", "lifetime capped at"),
    ],
)
@override_settings(HARDSESS={"COOKIES": {"widget": {"secure": False, "samesite": None}}})
def test_a_correction_is_logged_with_its_rule(
    query: dict[str, str], rule: str, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        Client().get("/rt/set/", query)
    records = rules_of(caplog, query["name"])
    assert (logging.WARNING, rule) in {(level, r) for level, r, _ in records}
    (message,) = [m for _, r, m in records if r == rule]
    assert message.startswith(f"hardsess {rule}: corrected cookie {query['name']!r}: ")
    assert text in message


def test_flags_added_beside_a_correction_keep_their_own_rule(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One record per rule: the prefix fix under HS106, what the requirements add under HS201."""
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        Client().get("/rt/set/", {"name": "__Host-id", "domain": "example.com"})
    assert [(rule, message) for _, rule, message in rules_of(caplog, "__Host-id")] == [
        (
            "HS106",
            "hardsess HS106: corrected cookie '__Host-id': __Host- without Secure: Secure added; "
            "__Host- with a Domain: Domain removed",
        ),
        ("HS201", "hardsess HS201: corrected cookie '__Host-id': SameSite=Lax; Secure; HttpOnly"),
    ]


def test_a_lifetime_rewrite_is_hs202(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        Client().get("/rt/set-expires/", {"name": "e", "expires": "in 2099 or so"})
    assert [r for _, r, m in rules_of(caplog, "e") if "unreadable Expires removed" in m] == [
        "HS202"
    ]


def test_a_refusal_for_size_is_hs204(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="hardsess"):
        Client().get("/rt/set/", {"name": "big", "value": "x" * 4050})
    ((level, rule, message),) = rules_of(caplog, "big")
    assert (level, rule) == (logging.ERROR, "HS204")
    assert re.fullmatch(
        r"hardsess HS204: refused cookie 'big': name and value are \d+ bytes, over 4096", message
    )


def test_a_raw_set_cookie_header_is_hs201(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="hardsess"):
        Client().get("/rt/raw-set-cookie/", {"header": "raw=v"})
        Client().get("/rt/raw-set-cookie/", {"header": "a=1; b=2"})
    raw = [
        (r.levelno, r.getMessage())
        for r in caplog.records
        if getattr(r, "hardsess_rule", None) == "HS201" and "Set-Cookie header" in r.getMessage()
    ]
    assert [level for level, _ in raw] == [logging.INFO, logging.ERROR]
    assert raw[0][1].startswith(
        "hardsess HS201: took over the raw Set-Cookie header of cookie 'raw'"
    )
    assert raw[1][1].startswith("hardsess HS201: refuse a Set-Cookie header set directly")


class Signals(list[dict[str, Any]]):
    """The keyword arguments of every cookie_rejected signal."""


@pytest.fixture
def signals() -> Any:
    seen = Signals()

    def receiver(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
        seen.append(kwargs)

    cookie_rejected.connect(receiver)
    yield seen
    cookie_rejected.disconnect(receiver)


@pytest.mark.parametrize("report_only", [False, True])
def test_a_rejection_signals_and_logs_hs203(
    report_only: bool, signals: Signals, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.cookies["prefs"] = "unsigned"
    # The policy names prefs, so an unsigned copy is the site's own, not a foreign cookie.
    with (
        override_settings(HARDSESS={"REPORT_ONLY": report_only, "COOKIES": {"prefs": {}}}),
        caplog.at_level(logging.INFO, logger="hardsess"),
    ):
        client.get("/rt/echo/")
    assert signals == [
        {
            "signal": cookie_rejected,
            "name": "prefs",
            "reason": "unsigned",
            "rule_id": "HS203",
            "report_only": report_only,
        }
    ]
    if report_only:  # expected before enforcement signs it: said once per name, at INFO
        [(level, rule, message)] = rules_of(caplog, "prefs")
        assert (level, rule) == (logging.INFO, "HS203")
        assert message.startswith("hardsess HS203 [report-only]: cookie 'prefs' arrives unsigned")
    else:
        assert rules_of(caplog, "prefs") == [
            (logging.WARNING, "HS203", "hardsess HS203: rejected cookie 'prefs' (unsigned)")
        ]


def test_the_count_of_further_rejections_is_hs203(caplog: pytest.LogCaptureFixture) -> None:
    header = "; ".join(f"j{i}=hs1." for i in range(20))
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        Client(HTTP_COOKIE=header).get("/rt/echo/")
    last = caplog.records[-1]
    assert last.getMessage() == (
        "hardsess HS203: rejected 12 more cookie(s) in this request (malformed: 12)"
    )
    assert last.hardsess_rule == "HS203"  # type: ignore[attr-defined]


def test_docs_runtime_shows_every_id_beside_its_behaviour() -> None:
    page = (FIREWALL.parents[1] / "docs" / "runtime.md").read_text()
    table = page[page.index("| runtime behaviour | rule |") :].split("\n\n")[0]
    linked = set(re.findall(r"\[(HS\d{3})\]\(rules\.md#(hs\d{3})\)", table))
    assert {rule_id for rule_id, anchor in linked if anchor == rule_id.lower()} == set(
        rule_ids.LOGGED
    )
