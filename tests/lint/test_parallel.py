"""Many files go to worker processes; the findings are the same as linting them serially."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardsess.lint import runner
from hardsess.lint.config import Config

from .conftest import write


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
