"""The bandit plugin through the real bandit CLI: IDs, severities, CWE, lines, -t, nosec.

Every expectation is checked against ``hardsess lint --format json`` on the same files: the
plugin must report exactly what the linter reports (one engine, no second implementation).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from hardsess import policy

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]

SETTINGS = """\
import os

SECRET_KEY = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz"
SESSION_COOKIE_SECURE = os.environ.get("SECURE", "False") == "True"
SESSION_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "None"
SESSION_SERIALIZER = "legacy.PickleSerializer"
CSRF_COOKIE_SECURE = False
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hardsess.middleware.HardSessMiddleware",
]
"""

VIEWS = """\
def view(request, response):
    response.set_cookie("a", "1", secure=False, httponly=False); response.set_cookie("b", "2")
    response.set_cookie(
        "c",
        "3",
        max_age=10**10,
    )
    return response
"""


def bandit(*args: str, cwd: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(BIN / "bandit"), "-q", "-f", "json", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    assert report["errors"] == [], report["errors"]
    return report


def hs_results(report: dict[str, Any]) -> list[tuple[str, str, int, int, str, int | None]]:
    """(file, test_id, line, column, severity, cwe) of the HS results, sorted."""
    return sorted(
        (
            Path(r["filename"]).name,
            r["test_id"],
            r["line_number"],
            r["col_offset"] + 1,
            r["issue_severity"],
            r["issue_cwe"].get("id"),
        )
        for r in report["results"]
        if r["test_id"].startswith("HS")
    )


def hardsess_lint(*paths: str, cwd: Path) -> list[tuple[str, str, int, int, str, int | None]]:
    done = subprocess.run(
        [str(BIN / "hardsess"), "lint", "--format", "json", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return sorted(
        (
            Path(f["path"]).name,
            f["rule_id"],
            f["line"],
            f["column"],
            f["severity"].upper(),
            policy.by_id(f["rule_id"]).cwe,
        )
        for f in json.loads(done.stdout)["findings"]
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "settings.py").write_text(SETTINGS)
    (tmp_path / "views.py").write_text(VIEWS)
    return tmp_path


def test_every_rule_has_an_entry_point() -> None:
    plugins = {ep.name: ep for ep in entry_points(group="bandit.plugins")}
    for rule in policy.CATALOGUE:
        assert rule.id in plugins, f"{rule.id} missing from pyproject's bandit.plugins"
        test = plugins[rule.id].load()
        assert test._test_id == rule.id
        assert "File" in test._checks


def test_the_tests_are_made_from_the_catalogue() -> None:
    from hardsess import bandit_plugin

    made = sorted(name for name in vars(bandit_plugin) if name.startswith("hs"))
    assert made == sorted(rule.id.lower() for rule in policy.CATALOGUE)
    for rule_id, target in bandit_plugin.plugin_entry_points().items():
        module, _, attribute = target.partition(":")
        assert module == "hardsess.bandit_plugin"
        assert attribute == "hs" + rule_id[2:]
        assert getattr(bandit_plugin, attribute)._test_id == rule_id
    # What pyproject declares (the installed metadata) is what the module provides.
    declared = {ep.name: ep.value for ep in entry_points(group="bandit.plugins")}
    hardsess = {k: v for k, v in declared.items() if v.startswith("hardsess.")}
    assert hardsess == bandit_plugin.plugin_entry_points()


def test_bandit_reports_what_hardsess_lint_reports(project: Path) -> None:
    report = bandit("-r", ".", cwd=project)
    expected = hardsess_lint(".", cwd=project)
    assert hs_results(report) == expected
    ids = {e[1] for e in expected}
    # The fixture really exercises many rules, several findings on one line, and CWE numbers.
    assert {"HS101", "HS102", "HS103", "HS107", "HS111", "HS132", "HS141", "HS152"} <= ids
    assert {"HS201", "HS202"} <= ids
    assert sum(1 for e in expected if e[:3] == ("views.py", "HS201", 2)) == 4
    by_id = {(r["test_id"], r["line_number"]): r for r in report["results"]}
    secure = by_id[("HS101", 4)]
    assert secure["issue_severity"] == "HIGH"
    assert secure["issue_cwe"]["id"] == 614
    assert secure["issue_text"].startswith("SESSION_COOKIE_SECURE is False unless SECURE is set")
    assert by_id[("HS107", 7)]["issue_cwe"]["id"] == 502
    assert by_id[("HS132", 3)]["issue_cwe"]["id"] == 798
    assert by_id[("HS103", 6)]["issue_cwe"]["id"] == 1275
    assert by_id[("HS102", 5)]["issue_cwe"]["id"] == 1004
    assert by_id[("HS202", 6)]["issue_severity"] == "LOW"
    # bandit's own tests still run beside ours (B105: the literal SECRET_KEY).
    assert any(r["test_id"] == "B105" for r in report["results"])


def test_select_one_test(project: Path) -> None:
    report = bandit("-t", "HS101", "-r", ".", cwd=project)
    assert [(r["test_id"], r["line_number"]) for r in report["results"]] == [("HS101", 4)]


def test_skip_a_test(project: Path) -> None:
    report = bandit("-s", "HS201", "-r", ".", cwd=project)
    ids = {r["test_id"] for r in report["results"]}
    assert "HS201" not in ids
    assert "HS202" in ids


def test_nosec_with_the_id(project: Path) -> None:
    settings = project / "settings.py"
    settings.write_text(
        SETTINGS.replace(
            "SESSION_COOKIE_HTTPONLY = False",
            "SESSION_COOKIE_HTTPONLY = False  # nosec HS102",
        ).replace("CSRF_COOKIE_SECURE = False", "CSRF_COOKIE_SECURE = False  # nosec B105")
    )
    report = bandit("settings.py", cwd=project)
    found = {(r["test_id"], r["line_number"]) for r in report["results"]}
    assert ("HS102", 5) not in found  # silenced by its ID
    assert ("HS111", 8) in found  # a nosec for another test does not silence it
    assert ("HS103", 6) in found
    assert report["metrics"]["_totals"]["skipped_tests"] >= 1


def test_blanket_nosec_and_hardsess_ignore(project: Path) -> None:
    settings = project / "settings.py"
    text = SETTINGS.replace("HTTPONLY = False", "HTTPONLY = False  # nosec")
    text = text.replace('SAMESITE = "None"', 'SAMESITE = "None"  # hardsess: ignore[HS103]')
    settings.write_text(text)
    report = bandit("settings.py", cwd=project)
    found = {(r["test_id"], r["line_number"]) for r in report["results"]}
    assert ("HS102", 5) not in found
    assert ("HS103", 6) not in found  # the engine's own suppression applies inside bandit too
    assert ("HS141", 6) in found  # only HS103 was ignored on that line


def test_project_configuration_applies(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.hardsess]\nignore = ["HS2"]\nper-file-ignores = {"settings.py" = ["HS132"]}\n'
    )
    report = bandit("-r", ".", cwd=project)
    ids = {r["test_id"] for r in report["results"]}
    assert not ids & {"HS201", "HS202", "HS132"}
    assert "HS101" in ids
    assert hs_results(report) == hardsess_lint(".", cwd=project)


def test_settings_rules_only_on_settings_files(tmp_path: Path) -> None:
    # Two Django setting names do not make a settings module (an app's own flags) ...
    (tmp_path / "constants.py").write_text(
        "SESSION_COOKIE_HTTPONLY = False\nCSRF_COOKIE_SECURE = False\n"
    )
    assert hs_results(bandit("constants.py", cwd=tmp_path)) == []
    # ... a module that assigns many is one, whatever its name (config/production.py).
    (tmp_path / "constants.py").write_text(textwrap.dedent(SETTINGS))
    report = bandit("constants.py", cwd=tmp_path)
    assert hs_results(report) == hardsess_lint("constants.py", cwd=tmp_path) != []


def test_several_findings_on_the_last_line_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "cookies.py").write_text(
        'response.set_cookie("a", "1", secure=False, httponly=False, max_age=10**10)\n'
    )
    report = bandit("cookies.py", cwd=tmp_path)
    expected = hardsess_lint("cookies.py", cwd=tmp_path)
    assert len(expected) == 4  # missing samesite, secure=False, httponly=False, max_age
    assert hs_results(report) == expected
    assert not any("more HS" in r["issue_text"] for r in report["results"])
