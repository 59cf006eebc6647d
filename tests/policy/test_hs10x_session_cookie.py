"""HS101-HS109: the session cookie family's judges."""

from __future__ import annotations

import pytest

from hardsess import policy
from hardsess.policy import Observed, Origin, by_id, judge


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
        # RFC 6265bis matches prefixes without regard to case, and so do browsers.
        (
            "HS106",
            {
                "SESSION_COOKIE_NAME": Observed("__host-sid"),
                "SESSION_COOKIE_PATH": Observed("/app"),
            },
            1,
        ),
        (
            "HS106",
            {"CSRF_COOKIE_NAME": Observed("__SECURE-csrf"), "CSRF_COOKIE_SECURE": Observed(False)},
            1,
        ),
        (
            "HS106",
            {"CSRF_COOKIE_NAME": Observed("__Secure-csrf"), "CSRF_COOKIE_PATH": Observed("/app")},
            0,
        ),  # only __Host- pins the path
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
