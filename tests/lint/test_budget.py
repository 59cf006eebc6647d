"""The per-file budget (size, time, nesting): a pathological file is skipped, the run goes on.

Deterministic without timing anything: the budgets are set tiny through ``[tool.hardsess]``
(``max-file-size = 10``, ``file-timeout = 1e-06``), so which side of the budget a file falls
on never depends on the machine.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pytest

from hardsess.lint.budget import OverBudget, deadline, screen
from hardsess.lint.config import Config, ConfigError, parse_table
from hardsess.lint.runner import lint_paths

from .conftest import RunCli, write

BAD = "SESSION_COOKIE_SECURE = False\n"


def _pyproject(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text(f"[tool.hardsess]\n{body}\n")


# --------------------------------------------------------------------------- size


def test_file_over_the_size_cap_is_skipped_and_the_rest_linted(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _pyproject(tmp_path, "max-file-size = 40")
    write(tmp_path, {"big/settings.py": BAD + "# padding to pass the cap\n", "settings.py": BAD})
    done = run_cli("lint", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # the small file's finding; the skip is no error
    assert done.stdout.count("HS101") == 1
    assert "settings.py:1:1: HS101" in done.stdout
    assert "big/settings.py: skipped: 56 bytes, over max-file-size (40 bytes)" in done.stderr
    assert "1 file(s) skipped" in done.stdout


def test_strict_makes_a_budget_skip_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    _pyproject(tmp_path, "max-file-size = 10")
    write(tmp_path, {"settings.py": BAD})
    assert run_cli("lint", ".", cwd=tmp_path).returncode == 0
    assert run_cli("lint", "--strict", ".", cwd=tmp_path).returncode == 2
    assert run_cli("lint", "--strict", "--exit-zero", ".", cwd=tmp_path).returncode == 0
    _pyproject(tmp_path, "max-file-size = 10\nstrict = true")
    assert run_cli("lint", ".", cwd=tmp_path).returncode == 2


def test_oversized_file_that_cannot_matter_is_passed_over_silently(tmp_path: Path) -> None:
    write(tmp_path, {"data.py": "X = 1\n" * 100, "settings.py": "DEBUG = True\n" * 100})
    run = lint_paths([str(tmp_path)], Config(max_file_size=10))
    assert (run.skipped, run.errors, run.findings) == ([], [], [])


def test_oversized_file_trigger_split_between_read_chunks(tmp_path: Path) -> None:
    # The pre-filter reads an oversized file in 1 MiB chunks: a trigger across the boundary
    # must still be seen (then the file is reported as skipped, not silently passed over).
    chunk = 1 << 20
    data = b"#" * (chunk - 4) + b"\nx.set_cookie('a', 'b')\n"
    assert data.index(b"set_cookie") < chunk < data.index(b"set_cookie") + len(b"set_cookie")
    (tmp_path / "views.py").write_bytes(data)
    run = lint_paths([str(tmp_path)], Config(max_file_size=10))
    assert [(Path(s.path).name, s.kind) for s in run.skipped] == [("views.py", "budget")]


# --------------------------------------------------------------------------- time


def test_file_over_the_time_budget_is_skipped(tmp_path: Path, run_cli: RunCli) -> None:
    _pyproject(tmp_path, "file-timeout = 1e-06")
    write(tmp_path, {"settings.py": BAD})
    done = run_cli("lint", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "settings.py: skipped: over the time budget (1e-06 s, file-timeout)" in done.stderr
    assert run_cli("lint", "--strict", ".", cwd=tmp_path).returncode == 2


def test_time_budget_in_worker_processes(tmp_path: Path) -> None:
    write(tmp_path, {f"app{i}/settings.py": BAD for i in range(20)})
    run = lint_paths([str(tmp_path)], Config(file_timeout=1e-6), parallel_threshold=2)
    assert (run.findings, run.errors) == ([], [])
    assert len(run.skipped) == 20
    assert all("time budget" in s.reason for s in run.skipped)
    # The same files with the default budget: linted, so the skips above were the budget's.
    assert len(lint_paths([str(tmp_path)], Config(), parallel_threshold=2).findings) == 20


def test_over_budget_is_not_swallowed_by_except_exception() -> None:
    def careless_rule() -> None:
        while True:
            try:
                sum(range(1000))
            except Exception:
                continue

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(OverBudget), deadline(1e-6):
        careless_rule()
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_timer_the_process_armed_itself_is_left_alone() -> None:
    before = signal.getsignal(signal.SIGALRM)
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    signal.setitimer(signal.ITIMER_REAL, 3600)
    try:
        with deadline(1e-6):
            assert signal.getsignal(signal.SIGALRM) is signal.SIG_IGN
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # still armed, not cancelled
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def test_no_time_budget_installs_no_timer() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with deadline(0):
        assert signal.getsignal(signal.SIGALRM) is before
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    "expression",
    [
        " + ".join(f"X{i}" for i in range(20_000)),  # once ran past 300 s, then crashed
        "a." * 20_000 + "b",  # libcst: SIGSEGV
        "not " * 5_000 + "X",
    ],
    ids=["sum-of-20000-terms", "attribute-chain", "not-chain"],
)
def test_expression_too_deep_for_python_is_skipped(
    tmp_path: Path, run_cli: RunCli, expression: str
) -> None:
    write(tmp_path, {"settings.py": f"{BAD}Y = {expression}\n", "other/settings.py": BAD})
    done = run_cli("lint", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # the other file's finding; no crash, no exit 2
    if expression.startswith("not ") and sys.version_info >= (3, 13):
        # CPython 3.13 compiles 5,000 nested `not`s (3.10-3.12 refuse them), and so does
        # libcst: the file is linted, not skipped, and nothing crashes.
        assert done.stdout.count("HS101") == 2
        return
    assert done.stdout.count("HS101") == 1
    assert "settings.py: skipped: too deeply nested to lint" in done.stderr


def test_brackets_nested_beyond_python_are_a_syntax_error(tmp_path: Path, run_cli: RunCli) -> None:
    # CPython refuses more than 200 nested brackets; libcst crashed (SIGSEGV) on 3,000.
    write(tmp_path, {"settings.py": "SESSION_COOKIE_SECURE = " + "(" * 3000 + ")" * 3000})
    done = run_cli("lint", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "settings.py: cannot parse: too many nested parentheses (line 1, column" in done.stderr


def test_screen() -> None:
    assert screen(BAD, "settings.py") is None
    found = screen("X = (1,\n  2 +)\n", "settings.py")
    assert found is not None
    assert (found.line, found.column, found.skip) == (2, 6, False)
    deep = screen("X = " + "-" * 10_000 + "1\n", "settings.py")
    assert deep is not None
    assert deep.skip


# --------------------------------------------------------------------------- output, config


def test_skipped_files_in_json_sarif_and_github(tmp_path: Path, run_cli: RunCli) -> None:
    _pyproject(tmp_path, "max-file-size = 10")
    write(tmp_path, {"settings.py": BAD})
    document = json.loads(run_cli("lint", "--format", "json", ".", cwd=tmp_path).stdout)
    assert document["skipped"] == [
        {
            "path": "settings.py",
            "kind": "budget",
            "message": "skipped: 30 bytes, over max-file-size (10 bytes)",
        }
    ]
    assert document["summary"]["skipped"] == 1
    assert document["errors"] == []
    sarif = json.loads(run_cli("lint", "--format", "sarif", ".", cwd=tmp_path).stdout)
    [invocation] = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["message"]["text"].startswith("skipped: 30 bytes")
    github = run_cli("lint", "--format", "github", ".", cwd=tmp_path).stdout
    assert github.startswith("::warning file=settings.py,line=1,title=hardsess::skipped: 30 bytes")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"max-file-size": -1}, "max-file-size"),
        ({"max-file-size": "1MB"}, "max-file-size"),
        ({"file-timeout": True}, "file-timeout"),
        ({"file-timeout": -0.5}, "file-timeout"),
        ({"strict": "yes"}, "strict"),
    ],
)
def test_bad_budget_settings(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_table(table, None)


def test_budget_settings_read() -> None:
    config = parse_table({"max-file-size": 0, "file-timeout": 2, "strict": True}, None)
    assert (config.max_file_size, config.file_timeout, config.strict) == (0, 2.0, True)
