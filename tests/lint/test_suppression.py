"""Suppression comments: forms, placement on the statement, and what they do not silence."""

from __future__ import annotations

import pytest

from hardsess.lint.api import lint_source
from hardsess.lint.suppression import suppressed_ids


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("X = 1  # hardsess: ignore[HS101]", {"HS101"}),
        ("X = 1  # hardsess: ignore[HS101, hs102]", {"HS101", "HS102"}),
        ("X = 1  # hardsess: ignore", {"*"}),
        ("X = 1  # noqa: HS101", {"HS101"}),
        ("X = 1  # noqa: E501, HS101", {"E501", "HS101"}),
        ("X = 1  # noqa", {"*"}),
        ("X = 1  # NOQA:HS101", {"HS101"}),
        ("X = 1  # a comment", set()),
        ("X = 1", set()),
    ],
)
def test_forms(line: str, expected: set[str]) -> None:
    assert suppressed_ids(line) == expected


@pytest.mark.parametrize(
    "source",
    [
        "SESSION_COOKIE_SECURE = False  # hardsess: ignore[HS101]\n",
        "SESSION_COOKIE_SECURE = False  # noqa: HS101\n",
        "SESSION_COOKIE_SECURE = False  # noqa\n",
        "SESSION_COOKIE_SECURE = False  # hardsess: ignore\n",
        "SESSION_COOKIE_SECURE = (  # noqa: HS101\n    False\n)\n",
        "SESSION_COOKIE_SECURE = (\n    False\n)  # hardsess: ignore[HS101]\n",
        "if True:\n    SESSION_COOKIE_SECURE = False  # noqa: HS101\n",
    ],
)
def test_suppressed_settings_findings(source: str) -> None:
    assert lint_source(source, "settings.py") == []


@pytest.mark.parametrize(
    "source",
    [
        "SESSION_COOKIE_SECURE = False  # noqa: E501\n",
        "SESSION_COOKIE_SECURE = False  # hardsess: ignore[HS102]\n",
        "# noqa: HS101\nSESSION_COOKIE_SECURE = False\n",
        "SESSION_COOKIE_SECURE = False\n# hardsess: ignore[HS101]\n",
    ],
)
def test_not_suppressed(source: str) -> None:
    assert [f.rule_id for f in lint_source(source, "settings.py")] == ["HS101"]


def test_code_finding_suppressed_on_the_last_line_of_a_multiline_call() -> None:
    source = 'def v(r):\n    r.set_cookie(\n        "k",\n        "v",\n    )  # noqa: HS201\n'
    assert lint_source(source, "views.py") == []
    unsuppressed = source.replace("  # noqa: HS201", "")
    assert [f.rule_id for f in lint_source(unsuppressed, "views.py")] == ["HS201"]


def test_suppressing_one_rule_keeps_the_others() -> None:
    source = "SESSION_COOKIE_SECURE = False  # noqa: HS101\nCSRF_COOKIE_SECURE = False\n"
    assert [f.rule_id for f in lint_source(source, "settings.py")] == ["HS111"]
