"""Writing fixed files (hardsess.lint.writer): through symlinks, keeping the mode, atomically,
and only over a file that has not changed since it was read."""

from __future__ import annotations

import stat
from pathlib import Path

from hardsess.lint import runner
from hardsess.lint.config import Config
from hardsess.lint.writer import snapshot, unchanged, write_atomic

from .conftest import write


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    write(tmp_path, {"real/settings.py": "SESSION_COOKIE_SECURE = False\n"})
    link = tmp_path / "settings.py"
    link.symlink_to(tmp_path / "real" / "settings.py")
    runner.lint_paths([str(link)], Config(), fix="safe")
    assert link.is_symlink()
    assert (tmp_path / "real" / "settings.py").read_text() == "SESSION_COOKIE_SECURE = True\n"


def test_write_atomic_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.py"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    write_atomic(str(path), b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["settings.py"]


def test_unchanged_compares_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.py"
    path.write_bytes(b"a\n")
    before = snapshot(str(path), b"a\n")
    assert unchanged(str(path), before)
    path.write_bytes(b"b\n")
    assert not unchanged(str(path), before)
    path.unlink()
    assert not unchanged(str(path), before)
