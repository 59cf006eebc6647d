"""The runner (hardsess.lint.runner): many files (in worker processes past a threshold, with the
same findings), deploy mode decided per file, fixes written or left when a file changed."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from hardsess.lint import runner
from hardsess.lint.config import Config

from .conftest import FIXABLE, write

BASE = """\
import os

DEBUG = False
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_HTTPONLY = False
SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False
CSRF_COOKIE_SECURE = True
"""
PROD = "from .base import *\n\nSESSION_COOKIE_SECURE = not DEBUG\n"
VIEWS = "def view(request, response):\n    response.set_cookie('k', 'v')\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = {
        "proj/__init__.py": "",
        "proj/settings/__init__.py": "",
        "proj/settings/base.py": BASE,
        "proj/settings/prod.py": PROD,
        "proj/settings/views.py": VIEWS,
        "proj/settings/alone_settings.py": "SESSION_COOKIE_SECURE = False\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def found(run: runner.RunResult) -> list[tuple[str, str]]:
    return [(Path(f.path).name, f.rule_id) for f in run.findings]


def test_each_file_is_judged_by_one_mode(project: Path) -> None:
    files = runner.lint_paths(["proj"], Config())
    deployed = runner.lint_paths(["proj"], Config(), settings_modules=["proj.settings.prod"])
    # File mode alone: base.py's HS101 is reported (it cannot know prod overrides it).
    assert ("base.py", "HS101") in found(files)
    # Deploy mode judges base.py and prod.py: HS101 is overridden there. alone_settings.py
    # is not part of the deployment: file mode still judges it; views.py's code rule stays.
    assert found(deployed) == [
        ("alone_settings.py", "HS101"),
        ("base.py", "HS102"),
        ("views.py", "HS201"),
    ]
    assert deployed.files_linted == files.files_linted
    assert deployed.errors == []


def test_findings_use_the_path_as_given_whichever_mode(project: Path) -> None:
    given = str(project / "proj")
    run = runner.lint_paths([given], Config(), settings_modules=["proj.settings.prod"])
    assert {f.path for f in run.findings} == {
        f"{given}/settings/alone_settings.py",
        f"{given}/settings/base.py",
        f"{given}/settings/views.py",
    }


def test_fix_in_deploy_mode_writes_deploy_and_code_rewrites(project: Path) -> None:
    run = runner.lint_paths(["proj"], Config(), fix="safe", settings_modules=["proj.settings.prod"])
    assert run.errors == []
    assert run.findings == []
    assert sorted(Path(p).name for p in run.fixed) == ["alone_settings.py", "base.py", "views.py"]
    assert run.fixes_applied == 3
    base = (project / "proj/settings/base.py").read_text()
    assert "SESSION_COOKIE_HTTPONLY = True\n" in base
    assert "SESSION_COOKIE_SECURE = False\n" in base  # overridden by prod: not a finding
    assert "secure=True" in (project / "proj/settings/views.py").read_text()
    again = runner.lint_paths(
        ["proj"], Config(), fix="safe", settings_modules=["proj.settings.prod"]
    )
    assert again.fixed == []
    assert again.findings == []


def test_diff_in_deploy_mode_writes_nothing_and_counts_what_remains(project: Path) -> None:
    before = (project / "proj/settings/base.py").read_text()
    run = runner.lint_paths(
        ["proj"], Config(), fix="safe", diff=True, settings_modules=["proj.settings.prod"]
    )
    assert (project / "proj/settings/base.py").read_text() == before
    assert run.fixes_applied == 3
    assert run.findings == []
    assert any("+SESSION_COOKIE_HTTPONLY = True" in d for d in run.diffs)


def test_a_deploy_rewritten_file_changed_meanwhile_is_left_and_judged_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hardsess.lint import writer

    base = project / "proj/settings/base.py"
    real = writer.unchanged

    def changed_base(path: str, before: writer.Snapshot) -> bool:
        return False if Path(path).name == "base.py" else real(path, before)

    monkeypatch.setattr(writer, "unchanged", changed_base)
    run = runner.lint_paths(["proj"], Config(), fix="safe", settings_modules=["proj.settings.prod"])
    assert [Path(p).name for p in run.not_written] == ["base.py"]
    assert "SESSION_COOKIE_HTTPONLY = False" in base.read_text()
    assert found(run) == [("base.py", "HS102")]


# --------------------------------------------------------------------------- many files


@pytest.mark.slow
def test_parallel_and_serial_runs_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str] = {}
    for i in range(40):
        files[f"app{i}/settings.py"] = (
            f"SESSION_COOKIE_SECURE = {i % 2 == 0}\nSESSION_COOKIE_AGE = {i} * 86400\n"
        )
        files[f"app{i}/views.py"] = f"def v(r):\n    r.set_cookie('k{i}', max_age={i} * 10**7)\n"
        files[f"app{i}/models.py"] = "class M:\n    pass\n"  # filtered out before any worker
    files["app3/broken_settings.py"] = "SESSION_COOKIE_SECURE = (\n"
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)

    used_pool: list[int] = []
    original = runner._lint_jobs

    def spy(jobs, config, fix, threshold):  # type: ignore[no-untyped-def]
        used_pool.append(int(len(jobs) > threshold))
        return original(jobs, config, fix, threshold)

    monkeypatch.setattr(runner, "_lint_jobs", spy)
    serial = runner.lint_paths(["."], Config(), parallel_threshold=10_000)
    parallel = runner.lint_paths(["."], Config(), parallel_threshold=runner.PARALLEL_THRESHOLD)
    assert used_pool == [0, 1]
    assert parallel.files_linted == serial.files_linted == 81
    assert parallel.findings == serial.findings
    assert parallel.errors == serial.errors
    assert len(serial.errors) == 1
    assert {f.rule_id for f in serial.findings} == {"HS101", "HS104", "HS201", "HS202"}
    assert len(serial.findings) > 40


@pytest.mark.slow
def test_parallel_fix(tmp_path: Path) -> None:
    write(tmp_path, {f"s{i}/settings.py": "SESSION_COOKIE_SECURE = False\n" for i in range(20)})
    run = runner.lint_paths([str(tmp_path)], Config(), fix="safe", parallel_threshold=4)
    assert len(run.fixed) == 20
    assert run.findings == []
    assert all(
        (tmp_path / f"s{i}" / "settings.py").read_text() == "SESSION_COOKIE_SECURE = True\n"
        for i in range(20)
    )


# --------------------------------------------------------------------------- writing


def test_a_file_changed_while_being_linted_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"proj/settings.py": FIXABLE})
    settings = tmp_path / "proj" / "settings.py"
    original = runner._lint_one

    def lint_then_edit(arguments):  # type: ignore[no-untyped-def]
        result = original(arguments)
        settings.write_text(FIXABLE + "# edited by someone else meanwhile\n")
        return result

    monkeypatch.setattr(runner, "_lint_one", lint_then_edit)
    run = runner.lint_paths([str(settings)], Config(), fix="safe")
    assert run.not_written == [str(settings)]
    assert run.fixed == []
    assert settings.read_text().endswith("# edited by someone else meanwhile\n")
    assert "HS101" in {f.rule_id for f in run.findings}


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
