"""HS121-HS123: the language cookie family judges only what is written."""

from __future__ import annotations

import pytest

from hardsess.policy import Observed, Origin, by_id, judge


@pytest.mark.parametrize(
    ("rule_id", "values", "expected"),
    [
        ("HS121", {"LANGUAGE_COOKIE_SECURE": Observed(False, Origin.DJANGO_DEFAULT)}, 0),
        ("HS121", {"LANGUAGE_COOKIE_SECURE": Observed(False)}, 1),
        ("HS123", {"LANGUAGE_COOKIE_SAMESITE": Observed(None, Origin.DJANGO_DEFAULT)}, 0),
        ("HS123", {"LANGUAGE_COOKIE_SAMESITE": Observed("None")}, 1),
    ],
)
def test_judges(rule_id: str, values: dict[str, Observed], expected: int) -> None:
    assert len(judge(by_id(rule_id), values)) == expected
