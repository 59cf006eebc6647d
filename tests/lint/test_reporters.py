"""Reporters: text (colour only on a TTY, NO_COLOR), json v1, SARIF 2.1.0 for GitHub, github."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from hardsess.lint.config import Config
from hardsess.lint.reporters import render
from hardsess.lint.reporters.sarif import sarif_document
from hardsess.lint.runner import RunResult, lint_paths
from hardsess.policy import CATALOGUE, by_id

from .conftest import RunCli, write

SETTINGS = (
    "import os\n"
    "SESSION_COOKIE_SECURE = False\n"
    'CSRF_COOKIE_SECURE = os.environ.get("CSRF", "False") == "True"\n'
    "SESSION_COOKIE_SAMESITE = 'None'  # comma, colon: and % in a line\n"
)
VIEWS = 'def view(request, response):\n    response.set_cookie("k", "v")\n'
SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0-subset.schema.json").read_text())


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        {
            "proj/settings.py": SETTINGS,
            "proj/views.py": VIEWS,
            "proj/broken_settings.py": "SESSION_COOKIE_SECURE = (\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run(project: Path) -> RunResult:
    return lint_paths(["proj"], Config())


def test_text_lines(run: RunResult) -> None:
    out = render("text", run)
    lines = out.splitlines()
    assert "proj/settings.py:2:1: HS101 [*] SESSION_COOKIE_SECURE is False" in lines[0]
    pattern = re.compile(r"^proj/(settings|views)\.py:\d+:\d+: HS\d{3}( \[\*\])? .+$")
    findings = [line for line in lines if line.startswith("proj/")]
    assert len(findings) == len(run.findings)
    assert all(pattern.match(line) for line in findings)
    assert "\x1b[" not in out
    assert "1 file(s) could not be linted." in out


def test_text_colour_only_when_asked(run: RunResult, project: Path, run_cli: RunCli) -> None:
    assert "\x1b[" in render("text", run, color=True)
    piped = run_cli("lint", "proj", cwd=project)  # stdout is a pipe: no colour
    assert "\x1b[" not in piped.stdout
    forced = run_cli("lint", "proj", cwd=project, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    no_color = run_cli("lint", "proj", cwd=project, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in no_color.stdout


def test_json_document(run: RunResult) -> None:
    document = json.loads(render("json", run))
    assert document["version"] == 1
    assert document["tool"]["name"] == "hardsess"
    first = document["findings"][0]
    assert set(first) == {
        "rule_id", "name", "severity", "message", "path", "line", "column", "end_line",
        "end_column", "setting", "fix", "cwe", "url",
    }  # fmt: skip
    assert first["rule_id"] == "HS101"
    assert first["path"] == "proj/settings.py"
    assert (first["line"], first["column"], first["end_line"]) == (2, 1, 2)
    assert first["end_column"] == len("SESSION_COOKIE_SECURE = False") + 1
    assert first["fix"] == {"applicability": "safe", "description": "set True"}
    assert first["cwe"] == 614
    assert first["setting"] == "SESSION_COOKIE_SECURE"
    unsafe = next(f for f in document["findings"] if f["rule_id"] == "HS111")
    assert unsafe["fix"]["applicability"] == "unsafe"
    assert document["errors"] == [
        {
            "path": "proj/broken_settings.py",
            "message": document["errors"][0]["message"],
            "line": 1,
            "column": 25,
        }
    ]
    assert document["errors"][0]["message"].endswith("(line 1, column 25)")
    assert document["errors"][0]["message"].startswith("cannot parse:")
    assert document["summary"]["findings"] == len(document["findings"])
    assert document["summary"]["errors"] == 1


def test_sarif_validates_against_the_schema(run: RunResult) -> None:
    document = json.loads(render("sarif", run))
    jsonschema.validate(document, SCHEMA)


def test_sarif_has_what_github_code_scanning_reads(run: RunResult) -> None:
    document = sarif_document(run)
    assert document["version"] == "2.1.0"
    [sarif_run] = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in CATALOGUE]
    for descriptor in rules:
        rule = by_id(descriptor["id"])
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.help
        assert descriptor["help"]["text"]
        assert rule.url in descriptor["help"]["markdown"]
        assert descriptor["helpUri"] == rule.url
        severity = float(descriptor["properties"]["security-severity"])
        assert 0.0 < severity <= 10.0
        assert "security" in descriptor["properties"]["tags"]
        if rule.cwe is not None:
            assert f"external/cwe/cwe-{rule.cwe}" in descriptor["properties"]["tags"]
    results = sarif_run["results"]
    assert len(results) == len(run.findings)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        [location] = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith("/")
        assert uri in ("proj/settings.py", "proj/views.py")
        region = physical["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )
        assert re.fullmatch(r"[0-9a-f]{64}", result["partialFingerprints"]["hardsess/v1"])
    high = next(r for r in results if r["ruleId"] == "HS101")
    assert high["level"] == "error"
    assert sarif_run["invocations"][0]["executionSuccessful"] is False


def test_sarif_fingerprints_survive_moved_lines_and_tell_duplicates_apart(
    project: Path,
) -> None:
    def prints() -> dict[str, str]:
        document = sarif_document(lint_paths(["proj/settings.py"], Config()))
        return {
            r["ruleId"]
            + ":"
            + str(r["locations"][0]["physicalLocation"]["region"]["startLine"]): r[
                "partialFingerprints"
            ]["hardsess/v1"]
            for r in document["runs"][0]["results"]
        }

    before = prints()
    settings = project / "proj" / "settings.py"
    settings.write_text("# a new first line\n\n" + SETTINGS)
    after = prints()
    assert sorted(before.values()) == sorted(after.values())
    assert before["HS101:2"] == after["HS101:4"]
    # Two findings of one rule on identical lines differ by their occurrence index.
    from hardsess.lint.finding import Finding
    from hardsess.lint.reporters.sarif import fingerprint

    twin = Finding("proj/views.py", 3, 5, "HS201", "m", 3, 9, "n", "medium", source_line="x")
    assert fingerprint(twin, 0) != fingerprint(twin, 1)
    assert fingerprint(twin, 0) == fingerprint(twin._replace(line=30, end_line=30), 0)


def test_github_annotations(run: RunResult) -> None:
    out = render("github", run)
    lines = out.splitlines()
    first = lines[0]
    assert first.startswith("::error file=proj/settings.py,line=2,col=1,")
    assert ",title=HS101::SESSION_COOKIE_SECURE is False" in first
    assert all(line.startswith("::error ") for line in lines)
    assert any("file=proj/broken_settings.py" in line for line in lines)
    assert len(lines) == len(run.findings) + len(run.errors)


def test_github_escaping() -> None:
    from hardsess.lint.finding import Finding
    from hardsess.lint.reporters.github import render as github

    finding = Finding("a,b:c.py", 1, 1, "HS101", "50% bad\nsecond", 1, 2, "n", "high")
    [line] = github(RunResult(findings=[finding])).splitlines()
    assert line.startswith("::error file=a%2Cb%3Ac.py,")
    assert line.endswith(",title=HS101::50%25 bad%0Asecond")
