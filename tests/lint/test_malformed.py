"""Malformed input never crashes a run: each bad file is reported, the others still linted."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardsess.lint.config import Config
from hardsess.lint.runner import lint_paths

from .conftest import RunCli, write

GOOD = "SESSION_COOKIE_SECURE = False\n"


def rule_ids(run_paths: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    run = lint_paths(run_paths, Config())
    return [(Path(f.path).name, f.rule_id) for f in run.findings], [e.reason for e in run.errors]


def test_syntax_error(tmp_path: Path) -> None:
    write(tmp_path, {"a/settings.py": "SESSION_COOKIE_SECURE = = False\n", "b/settings.py": GOOD})
    findings, errors = rule_ids([str(tmp_path)])
    assert findings == [("settings.py", "HS101")]
    [reason] = errors
    assert reason.startswith("cannot parse: ")
    assert "line 1" in reason


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    write(tmp_path, {"settings.py": b"SESSION_COOKIE_SECURE = False\n\x00\x01\x02"})
    findings, errors = rule_ids([str(tmp_path)])
    assert findings == []
    assert errors == ["cannot parse: binary file (contains NUL bytes)"]


def test_binary_file_without_anything_relevant_is_skipped_silently(tmp_path: Path) -> None:
    write(tmp_path, {"settings.py": b"\x00\x01\x02\xff"})
    assert rule_ids([str(tmp_path)]) == ([], [])


def test_latin1_coding_cookie(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\nSESSION_COOKIE_NAME = 'caf\xe9'\n" + GOOD
    write(tmp_path, {"settings.py": source.encode("latin-1")})
    run = lint_paths([str(tmp_path / "settings.py")], Config())
    assert [(f.rule_id, f.line) for f in run.findings] == [("HS101", 3)]
    assert run.findings[0].source_line == "SESSION_COOKIE_SECURE = False"


def test_utf8_bom(tmp_path: Path) -> None:
    write(tmp_path, {"settings.py": b"\xef\xbb\xbf" + GOOD.encode()})
    run = lint_paths([str(tmp_path / "settings.py")], Config(), fix="safe")
    assert run.errors == []
    assert (tmp_path / "settings.py").read_bytes() == b"\xef\xbb\xbfSESSION_COOKIE_SECURE = True\n"


def test_invalid_utf8_without_a_cookie(tmp_path: Path) -> None:
    write(tmp_path, {"settings.py": b"SESSION_COOKIE_NAME = '\xff\xfe'\n"})
    findings, errors = rule_ids([str(tmp_path)])
    assert findings == []
    [reason] = errors
    assert reason.startswith("cannot parse:")


def test_unknown_coding_cookie(tmp_path: Path) -> None:
    write(tmp_path, {"settings.py": b"# -*- coding: no-such-codec -*-\n" + GOOD.encode()})
    findings, errors = rule_ids([str(tmp_path)])
    assert findings == []
    [reason] = errors
    assert reason.startswith("cannot parse:")


def test_empty_file(tmp_path: Path) -> None:
    write(tmp_path, {"settings.py": "", "views.py": ""})
    assert rule_ids([str(tmp_path)]) == ([], [])


def test_empty_file_named_explicitly(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"settings.py": ""})
    done = run_cli("lint", "settings.py", cwd=tmp_path)
    assert done.returncode == 0


def _two_megabytes() -> str:
    lines = [f"CONSTANT_{i} = {i} * 60  # generated\n" for i in range(60_000)]
    lines.insert(30_000, "SESSION_COOKIE_SECURE = False\n")
    source = "".join(lines)
    assert len(source) > 2_000_000
    return source


def test_two_megabyte_generated_file_is_over_the_size_budget(tmp_path: Path) -> None:
    write(tmp_path, {"generated_settings.py": _two_megabytes()})
    run = lint_paths([str(tmp_path)], Config())
    assert (run.errors, run.findings) == ([], [])
    assert [s.kind for s in run.skipped] == ["budget"]


@pytest.mark.slow  # libcst takes tens of seconds on 2 MB: once per CI run, not per matrix cell
def test_two_megabyte_generated_file_without_a_budget(tmp_path: Path) -> None:
    write(tmp_path, {"generated_settings.py": _two_megabytes()})
    run = lint_paths([str(tmp_path)], Config(max_file_size=0, file_timeout=0))
    assert (run.errors, run.skipped) == ([], [])
    assert [(f.rule_id, f.line) for f in run.findings] == [("HS101", 30_001)]


def test_deeply_nested_expression(tmp_path: Path) -> None:
    write(tmp_path, {"settings.py": "SESSION_COOKIE_AGE = " + "(" * 300 + "1" + ")" * 300 + "\n"})
    findings, errors = rule_ids([str(tmp_path)])
    assert findings == [] or errors == []  # reported either way, never a crash


def test_symlink_loop_in_a_directory(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"proj/settings.py": GOOD})
    (tmp_path / "proj" / "loop").symlink_to(tmp_path / "proj", target_is_directory=True)
    (tmp_path / "proj" / "dangling.py").symlink_to(tmp_path / "proj" / "missing.py")
    (tmp_path / "proj" / "self_settings.py").symlink_to(tmp_path / "proj" / "self_settings.py")
    done = run_cli("lint", "proj", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("HS101") == 1


def test_unreadable_file_named_explicitly(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "self_settings.py").symlink_to(tmp_path / "self_settings.py")
    done = run_cli("lint", "self_settings.py", cwd=tmp_path)
    assert done.returncode == 2
    assert "self_settings.py: cannot read:" in done.stderr


@pytest.mark.parametrize("content", ["\n\n\n", "# only a comment\n", "pass\n"])
def test_trivial_files(tmp_path: Path, content: str) -> None:
    write(tmp_path, {"settings.py": content})
    assert rule_ids([str(tmp_path)]) == ([], [])


def test_a_crashing_rule_is_reported_and_the_other_files_still_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hardsess.lint import linter

    original = linter._run_rules

    def crash_on_b(module, data, path, *args):  # type: ignore[no-untyped-def]
        if "b_settings" in path:
            raise RuntimeError("rule bug")
        return original(module, data, path, *args)

    monkeypatch.setattr(linter, "_run_rules", crash_on_b)
    write(tmp_path, {"a_settings.py": GOOD, "b_settings.py": GOOD})
    run = lint_paths([str(tmp_path)], Config())
    assert [Path(f.path).name for f in run.findings] == ["a_settings.py"]
    assert [e.reason for e in run.errors] == ["internal error: RuntimeError: rule bug"]
