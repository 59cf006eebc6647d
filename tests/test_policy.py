"""The catalogue itself: IDs unique and well formed, and each judge decides as RULES.md says."""

from __future__ import annotations

import re

import pytest

from hardsess import policy
from hardsess.policy import CATALOGUE, Observed, Options, Origin, by_id, judge


def test_ids_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"HS[1-9]\d\d", i) for i in ids)
    names = [rule.name for rule in CATALOGUE]
    assert len(names) == len(set(names))


def test_check_ids_follow_severity() -> None:
    assert by_id("HS101").check_id == "hardsess.E101"
    assert by_id("HS103").check_id == "hardsess.W103"


def test_every_rule_has_help_summary_and_judge_or_lint_logic() -> None:
    for rule in CATALOGUE:
        assert rule.summary.endswith(".")
        assert len(rule.help) > 40
        assert rule.judge is not None or rule.opt_in, rule.id


@pytest.mark.parametrize(
    ("rule_id", "values", "expected"),
    [
        ("HS101", {"SESSION_COOKIE_SECURE": Observed(False)}, 1),
        ("HS101", {"SESSION_COOKIE_SECURE": Observed(True)}, 0),
        ("HS101", {"SESSION_COOKIE_SECURE": Observed("False", Origin.LIVE)}, 0),  # truthy str
        ("HS101", {}, 0),
        ("HS103", {"SESSION_COOKIE_SAMESITE": Observed("none")}, 1),
        ("HS103", {"SESSION_COOKIE_SAMESITE": Observed("Strict")}, 0),
        ("HS103", {"SESSION_COOKIE_SAMESITE": Observed("Loose")}, 1),
        ("HS104", {"SESSION_COOKIE_AGE": Observed(30 * 86400)}, 1),
        ("HS104", {"SESSION_COOKIE_AGE": Observed(3600)}, 0),
        ("HS104", {"SESSION_COOKIE_AGE": Observed(0)}, 1),
        ("HS121", {"LANGUAGE_COOKIE_SECURE": Observed(False, Origin.DJANGO_DEFAULT)}, 0),
        ("HS121", {"LANGUAGE_COOKIE_SECURE": Observed(False)}, 1),
        ("HS132", {"SECRET_KEY": Observed("django-insecure-" + "x1y2z3" * 10)}, 1),
        ("HS131", {"SECRET_KEY": Observed("django-insecure-" + "x1y2z3" * 10)}, 0),
        ("HS131", {"SECRET_KEY": Observed("Zq8-mW4p" * 8, Origin.LITERAL)}, 1),
        ("HS131", {"SECRET_KEY": Observed("Zq8-mW4p" * 8, Origin.LIVE)}, 0),
    ],
)
def test_judges(rule_id: str, values: dict[str, Observed], expected: int) -> None:
    assert len(judge(by_id(rule_id), values)) == expected


def test_env_default_is_worded() -> None:
    [verdict] = judge(
        by_id("HS101"),
        {"SESSION_COOKIE_SECURE": Observed(False, Origin.ENV_DEFAULT, env_var="DJANGO_SECURE")},
    )
    assert "SESSION_COOKIE_SECURE is False unless DJANGO_SECURE is set" in verdict.message


def test_signed_cookies_with_pickle_is_high_and_revocation_silences() -> None:
    engine = Observed(policy.SIGNED_COOKIES_ENGINE)
    pickle = Observed("myproj.serializers.PickleSerializer")
    [verdict] = judge(by_id("HS108"), {"SESSION_ENGINE": engine, "SESSION_SERIALIZER": pickle})
    assert verdict.severity is policy.Severity.HIGH
    configured = Observed({"SESSION": {"REVOCATION": "cache"}})
    assert judge(by_id("HS108"), {"SESSION_ENGINE": engine, "HARDSESS": configured}) == []


def test_middleware_order_uses_the_classifier() -> None:
    stack = Observed(["django.contrib.sessions.middleware.SessionMiddleware", policy.MIDDLEWARE])
    assert len(judge(by_id("HS152"), {"MIDDLEWARE": stack})) == 1
    blind = Options(classify_middleware=lambda path: None)
    assert judge(by_id("HS152"), {"MIDDLEWARE": stack}, blind) == []
