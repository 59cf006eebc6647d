"""The real CLI in a subprocess: exit codes, flags, fixes and diffs, output file, deploy mode."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from hardsess import __version__

from .conftest import FIXABLE, RunCli, write

INSECURE = "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n"
SECURE = "SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {"proj/settings.py": INSECURE, "proj/views.py": "def v():\n    pass\n"})
    return tmp_path


def test_version(run_cli: RunCli) -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"hardsess {__version__}"


def test_exit_0_when_clean(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"settings.py": SECURE})
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings." in done.stdout


def test_exit_1_with_findings_and_default_path_is_the_current_directory(
    project: Path, run_cli: RunCli
) -> None:
    done = run_cli("lint", cwd=project)
    assert done.returncode == 1
    assert "proj/settings.py:1:1: HS101 [*] SESSION_COOKIE_SECURE is False" in done.stdout
    assert "proj/settings.py:2:1: HS111" in done.stdout


def test_exit_zero(project: Path, run_cli: RunCli) -> None:
    done = run_cli("lint", "--exit-zero", cwd=project)
    assert done.returncode == 0
    assert "HS101" in done.stdout


@pytest.mark.parametrize(
    "arguments",
    [
        ("lint", "--format", "xml"),
        ("lint", "--bogus-flag"),
        ("lint", "--select", "XX9"),
        ("lint", "--unsafe-fixes"),
        (),
    ],
)
def test_usage_errors_exit_2(project: Path, run_cli: RunCli, arguments: tuple[str, ...]) -> None:
    assert run_cli(*arguments, cwd=project).returncode == 2


def test_missing_path_exits_2_and_other_files_are_still_linted(
    project: Path, run_cli: RunCli
) -> None:
    done = run_cli("lint", "proj", "nope.py", cwd=project)
    assert done.returncode == 2
    assert "nope.py: cannot read: no such file or directory" in done.stderr
    assert "HS101" in done.stdout


def test_unparsable_file_exits_2_and_other_files_are_still_reported(
    project: Path, run_cli: RunCli
) -> None:
    write(project, {"proj/broken_settings.py": "SESSION_COOKIE_SECURE = (\n"})
    done = run_cli("lint", cwd=project)
    assert done.returncode == 2
    assert "proj/broken_settings.py: cannot parse:" in done.stderr
    assert "proj/settings.py:1:1: HS101" in done.stdout


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_an_empty_select_is_a_usage_error(project: Path, run_cli: RunCli, value: str) -> None:
    # Selecting nothing would pass every file: an error, never a silent green run.
    done = run_cli("lint", "--select", value, "proj", cwd=project)
    assert done.returncode == 2
    assert "--select: no rule selected by" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("views.py", "def broken(:\n"),  # no cookie call: the pre-filter would skip it
        ("notes.py", b"x = 1\n\x00\x01"),
        ("urls.py", b"X = '\xff'\n"),  # not UTF-8 and no coding cookie
    ],
)
def test_a_named_file_that_is_not_python_exits_2_and_the_others_are_linted(
    project: Path, run_cli: RunCli, name: str, content: str | bytes
) -> None:
    write(project, {f"proj/{name}": content})
    done = run_cli("lint", f"proj/{name}", "proj/settings.py", cwd=project)
    assert done.returncode == 2, done.stderr
    assert f"proj/{name}: cannot parse:" in done.stderr
    assert "proj/settings.py:1:1: HS101" in done.stdout


def test_a_named_broken_file_found_again_by_walking_is_reported_once(
    project: Path, run_cli: RunCli
) -> None:
    write(project, {"proj/views.py": "def broken(:\n"})
    done = run_cli("lint", "proj/views.py", "proj", cwd=project)
    assert done.returncode == 2
    assert done.stderr.count("proj/views.py: cannot parse:") == 1


def test_a_named_valid_file_with_nothing_to_lint_exits_0(project: Path, run_cli: RunCli) -> None:
    done = run_cli("lint", "proj/views.py", cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_select_and_ignore(project: Path, run_cli: RunCli) -> None:
    done = run_cli("lint", "--select", "HS111", cwd=project)
    assert "HS101" not in done.stdout
    assert "HS111" in done.stdout
    done = run_cli("lint", "--ignore", "HS101,HS111", cwd=project)
    assert done.returncode == 0
    done = run_cli("lint", "--select", "HS1", "--ignore", "HS11", cwd=project)
    assert "HS101" in done.stdout
    assert "HS111" not in done.stdout


def test_output_file(project: Path, run_cli: RunCli) -> None:
    done = run_cli("lint", "--format", "json", "--output", "report.json", cwd=project)
    assert done.returncode == 1
    assert done.stdout == ""
    report = json.loads((project / "report.json").read_text())
    assert [f["rule_id"] for f in report["findings"]] == ["HS101", "HS111"]


def test_statistics(project: Path, run_cli: RunCli) -> None:
    write(project, {"proj/settings/prod.py": INSECURE})
    done = run_cli("lint", "--statistics", cwd=project)
    assert done.returncode == 1
    rows = done.stdout.splitlines()
    assert rows[0].split()[:3] == ["2", "HS101", "[*]"]
    assert rows[1].split()[:2] == ["2", "HS111"]


def test_show_rules(project: Path, run_cli: RunCli) -> None:
    done = run_cli("lint", "--show-rules", "--ignore", "HS2", cwd=project)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert any(line.startswith("* HS101") for line in lines)
    assert any(line.startswith("  HS201") for line in lines)
    assert any("HS203" in line and "(opt-in)" in line for line in lines)


def test_settings_flag_runs_deploy_mode(project: Path, run_cli: RunCli) -> None:
    # Deploy mode is part of the engine (no optional module behind a seam): the flag works.
    done = run_cli("lint", "--settings", "proj.settings", cwd=project)
    assert done.returncode in (0, 1), done.stderr


def test_github_format_end_to_end(project: Path, run_cli: RunCli) -> None:
    done = run_cli("lint", "--format", "github", cwd=project)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(
        "::error file=proj/settings.py,line=1,col=1,endLine=1,endColumn=30,title=HS101::"
    )


# --------------------------------------------------------------------------- --fix, --diff


@pytest.fixture
def fixable(tmp_path: Path) -> Path:
    write(tmp_path, {"proj/settings.py": FIXABLE})
    return tmp_path


def test_fix_writes_and_reports_what_remains(fixable: Path, run_cli: RunCli) -> None:
    settings = fixable / "proj" / "settings.py"
    settings.chmod(0o640)
    done = run_cli("lint", "--fix", cwd=fixable)
    assert done.returncode == 1  # HS104 and the unsafe HS111 remain
    text = settings.read_text()
    assert "SESSION_COOKIE_SECURE = True  # keep this comment" in text
    assert stat.S_IMODE(settings.stat().st_mode) == 0o640
    assert "HS101" not in done.stdout
    assert "HS104" in done.stdout
    assert "Fixed 2 finding(s) in 1 file(s)." in done.stdout
    assert not [p for p in settings.parent.iterdir() if p.name.endswith(".hardsess-tmp")]
    again = run_cli("lint", "--fix", cwd=fixable)
    assert settings.read_text() == text
    assert "Fixed" not in again.stdout


def test_fix_exits_0_when_everything_was_fixed(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"settings.py": "SESSION_COOKIE_SECURE = False\n"})
    done = run_cli("lint", "--fix", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert (tmp_path / "settings.py").read_text() == "SESSION_COOKIE_SECURE = True\n"


def test_unsafe_fixes_flag(fixable: Path, run_cli: RunCli) -> None:
    run_cli("lint", "--fix", "--unsafe-fixes", cwd=fixable)
    text = (fixable / "proj" / "settings.py").read_text()
    assert 'os.environ.get("CSRF", "True") == "True"' in text


def test_diff_writes_nothing(fixable: Path, run_cli: RunCli) -> None:
    settings = fixable / "proj" / "settings.py"
    before = (settings.read_bytes(), settings.stat().st_mtime_ns)
    done = run_cli("lint", "--diff", cwd=fixable)
    assert (settings.read_bytes(), settings.stat().st_mtime_ns) == before
    assert done.returncode == 1
    assert "--- a/proj/settings.py" in done.stdout
    assert "+++ b/proj/settings.py" in done.stdout
    assert "-SESSION_COOKIE_SECURE = False  # keep this comment" in done.stdout
    assert "+SESSION_COOKIE_SECURE = True  # keep this comment" in done.stdout
    assert "+CSRF_COOKIE_SECURE" not in done.stdout  # the unsafe fix needs --unsafe-fixes
    unsafe = run_cli("lint", "--diff", "--unsafe-fixes", cwd=fixable)
    assert '+CSRF_COOKIE_SECURE = os.environ.get("CSRF", "True") == "True"' in unsafe.stdout
    assert settings.read_bytes() == before[0]
