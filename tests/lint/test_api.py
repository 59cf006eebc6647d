"""The Python API other parts of hardsess call: lint_source, fix_source, judge_settings."""

from __future__ import annotations

import pytest

from hardsess.lint.api import Location, SourceError, fix_source, judge_settings, lint_source
from hardsess.lint.config import Config
from hardsess.policy import Observed, Origin


def test_lint_source_settings_rules_follow_the_path() -> None:
    source = "SESSION_COOKIE_SECURE = False\n"
    assert [f.rule_id for f in lint_source(source, "proj/settings/prod.py")] == ["HS101"]
    assert lint_source(source, "proj/models.py") == []


def test_lint_source_select_and_ignore() -> None:
    source = "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n"
    assert [f.rule_id for f in lint_source(source, select=["HS111"])] == ["HS111"]
    assert [f.rule_id for f in lint_source(source, ignore=["HS111"])] == ["HS101"]


def test_lint_source_accepts_bytes_in_their_declared_encoding() -> None:
    source = "# coding: latin-1\nSESSION_COOKIE_NAME = 'caf\xe9'\nSESSION_COOKIE_SECURE = 0\n"
    [finding] = lint_source(source.encode("latin-1"), "settings.py")
    assert (finding.rule_id, finding.line) == ("HS101", 3)


def test_invalid_python_raises_source_error() -> None:
    with pytest.raises(SourceError, match=r"settings\.py: cannot parse:"):
        lint_source("SESSION_COOKIE_SECURE = (\n", "settings.py")


def test_irrelevant_invalid_source_is_not_even_parsed() -> None:
    assert lint_source("def broken(:\n", "settings.py") == []


def test_fix_source_unchanged_when_nothing_to_fix() -> None:
    source = "SESSION_COOKIE_AGE = 90 * 86400\n"
    assert fix_source(source) == source
    assert fix_source("SESSION_COOKIE_SECURE = False\n") == "SESSION_COOKIE_SECURE = True\n"


def test_judge_settings_places_verdicts_at_their_locations() -> None:
    values = {
        "SESSION_COOKIE_SECURE": Observed(False, Origin.DJANGO_DEFAULT),
        "CSRF_COOKIE_SECURE": Observed(False),
        "SESSION_ENGINE": Observed("django.contrib.sessions.backends.file"),
    }
    locations = {"CSRF_COOKIE_SECURE": Location("proj/settings/base.py", 7, 1, 7, 26, "x")}
    default = Location("proj/settings/prod.py")
    findings = judge_settings(values, locations, default, config=Config())
    where = {f.rule_id: (f.path, f.line) for f in findings}
    assert where["HS101"] == ("proj/settings/prod.py", 1)
    assert where["HS111"] == ("proj/settings/base.py", 7)
    assert where["HS109"] == ("proj/settings/prod.py", 1)
    dropped = judge_settings(
        values, locations, default, config=Config(), unknown=frozenset({"SESSION_FILE_PATH"})
    )
    assert "HS109" not in {f.rule_id for f in dropped}
    selected = judge_settings(values, locations, default, select=["HS111"])
    assert [f.rule_id for f in selected] == ["HS111"]
