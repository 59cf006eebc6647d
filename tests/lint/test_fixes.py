"""Fixes: safe vs unsafe, --diff writes nothing, atomic writes that keep the mode, encoding and
line endings, a file changed meanwhile is not overwritten, and a second run changes nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import libcst as cst
import pytest

from hardsess.lint import runner
from hardsess.lint.api import fix_source, lint_source
from hardsess.lint.config import Config
from hardsess.lint.finding import Rewrite
from hardsess.lint.rewrites import apply_rewrites

from .conftest import RunCli, write

SETTINGS = (
    "import os\n"
    "\n"
    "SESSION_COOKIE_SECURE = False  # keep this comment\n"
    'CSRF_COOKIE_SECURE = os.environ.get("CSRF", "False") == "True"\n'
    "SESSION_COOKIE_SAMESITE = (\n    None  # inner comment\n)\n"
    "SESSION_COOKIE_AGE = 90 * 86400\n"
)


def test_safe_fix_keeps_comments_and_leaves_environment_defaults() -> None:
    fixed = fix_source(SETTINGS, "settings.py")
    assert "SESSION_COOKIE_SECURE = True  # keep this comment\n" in fixed
    assert 'os.environ.get("CSRF", "False") == "True"' in fixed
    assert 'SESSION_COOKIE_SAMESITE = (\n    "Lax"  # inner comment\n)\n' in fixed
    assert "SESSION_COOKIE_AGE = 90 * 86400\n" in fixed


def test_unsafe_fix_replaces_only_the_default() -> None:
    fixed = fix_source(SETTINGS, "settings.py", unsafe=True)
    assert 'CSRF_COOKIE_SECURE = os.environ.get("CSRF", "True") == "True"\n' in fixed
    assert [f.rule_id for f in lint_source(fixed, "settings.py")] == ["HS104"]


def test_fixing_is_idempotent() -> None:
    once = fix_source(SETTINGS, "settings.py", unsafe=True)
    assert fix_source(once, "settings.py", unsafe=True) == once
    cst.parse_module(once)


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    module = cst.parse_module("x = f(g(1))\n")
    statement = module.body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    assign = statement.body[0]
    assert isinstance(assign, cst.Assign)
    outer = assign.value
    assert isinstance(outer, cst.Call)
    inner = outer.args[0].value
    fixes = [
        Rewrite(outer, outer.with_changes(func=cst.Name("F"))),
        Rewrite(inner, cst.Integer("2")),
    ]
    fixed, applied = apply_rewrites(module, fixes)
    assert applied == 1
    assert fixed.code == "x = F(g(1))\n"


def test_code_rule_fixes_in_several_calls_of_one_file() -> None:
    source = (
        "def view(request, response):\n"
        '    response.set_cookie("a", "1")\n'
        '    response.set_signed_cookie("b", "2", secure=True)\n'
    )
    fixed = fix_source(source, "views.py")
    assert 'set_cookie("a", "1", secure=True, httponly=True, samesite="Lax")' in fixed
    assert 'set_signed_cookie("b", "2", secure=True, httponly=True, samesite="Lax")' in fixed
    assert lint_source(fixed, "views.py") == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {"proj/settings.py": SETTINGS})
    return tmp_path


def test_fix_writes_and_reports_what_remains(project: Path, run_cli: RunCli) -> None:
    settings = project / "proj" / "settings.py"
    settings.chmod(0o640)
    done = run_cli("lint", "--fix", cwd=project)
    assert done.returncode == 1  # HS104 and the unsafe HS111 remain
    text = settings.read_text()
    assert "SESSION_COOKIE_SECURE = True  # keep this comment" in text
    assert stat.S_IMODE(settings.stat().st_mode) == 0o640
    assert "HS101" not in done.stdout
    assert "HS104" in done.stdout
    assert "Fixed 2 finding(s) in 1 file(s)." in done.stdout
    assert not [p for p in settings.parent.iterdir() if p.name.endswith(".hardsess-tmp")]
    again = run_cli("lint", "--fix", cwd=project)
    assert settings.read_text() == text
    assert "Fixed" not in again.stdout


def test_fix_exits_0_when_everything_was_fixed(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"settings.py": "SESSION_COOKIE_SECURE = False\n"})
    done = run_cli("lint", "--fix", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert (tmp_path / "settings.py").read_text() == "SESSION_COOKIE_SECURE = True\n"


def test_unsafe_fixes_flag(project: Path, run_cli: RunCli) -> None:
    run_cli("lint", "--fix", "--unsafe-fixes", cwd=project)
    text = (project / "proj" / "settings.py").read_text()
    assert 'os.environ.get("CSRF", "True") == "True"' in text


def test_diff_writes_nothing(project: Path, run_cli: RunCli) -> None:
    settings = project / "proj" / "settings.py"
    before = (settings.read_bytes(), settings.stat().st_mtime_ns)
    done = run_cli("lint", "--diff", cwd=project)
    assert (settings.read_bytes(), settings.stat().st_mtime_ns) == before
    assert done.returncode == 1
    assert "--- a/proj/settings.py" in done.stdout
    assert "+++ b/proj/settings.py" in done.stdout
    assert "-SESSION_COOKIE_SECURE = False  # keep this comment" in done.stdout
    assert "+SESSION_COOKIE_SECURE = True  # keep this comment" in done.stdout
    assert "+CSRF_COOKIE_SECURE" not in done.stdout  # the unsafe fix needs --unsafe-fixes
    unsafe = run_cli("lint", "--diff", "--unsafe-fixes", cwd=project)
    assert '+CSRF_COOKIE_SECURE = os.environ.get("CSRF", "True") == "True"' in unsafe.stdout
    assert settings.read_bytes() == before[0]


def test_a_file_changed_while_being_linted_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = project / "proj" / "settings.py"
    original = runner._lint_one

    def lint_then_edit(arguments):  # type: ignore[no-untyped-def]
        result = original(arguments)
        settings.write_text(SETTINGS + "# edited by someone else meanwhile\n")
        return result

    monkeypatch.setattr(runner, "_lint_one", lint_then_edit)
    run = runner.lint_paths([str(settings)], Config(), fix="safe")
    assert run.not_written == [str(settings)]
    assert run.fixed == []
    assert settings.read_text().endswith("# edited by someone else meanwhile\n")
    assert "HS101" in {f.rule_id for f in run.findings}


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    write(tmp_path, {"real/settings.py": "SESSION_COOKIE_SECURE = False\n"})
    link = tmp_path / "settings.py"
    link.symlink_to(tmp_path / "real" / "settings.py")
    runner.lint_paths([str(link)], Config(), fix="safe")
    assert link.is_symlink()
    assert (tmp_path / "real" / "settings.py").read_text() == "SESSION_COOKIE_SECURE = True\n"


def test_fix_keeps_encoding_and_line_endings(tmp_path: Path) -> None:
    source = (
        "# -*- coding: latin-1 -*-\r\n"
        "SESSION_COOKIE_NAME = 'caf\xe9'\r\n"
        "SESSION_COOKIE_SECURE = False\r\n"
    ).encode("latin-1")
    path = tmp_path / "settings.py"
    path.write_bytes(source)
    run = runner.lint_paths([str(path)], Config(), fix="safe")
    assert run.fixed == [str(path)]
    assert path.read_bytes() == source.replace(b"= False", b"= True")
    assert os.path.exists(path)
