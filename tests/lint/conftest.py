"""Helpers for the linter's tests: run the real CLI in a subprocess, write small trees, evaluate
one name of a small module."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hardsess.lint.bindings import Evaluated

ROOT = Path(__file__).resolve().parents[2]

RunCli = Callable[..., subprocess.CompletedProcess[str]]

#: A settings module with a safe fix (HS101, HS103), an unsafe one (HS111) and none (HS104).
FIXABLE = (
    "import os\n"
    "\n"
    "SESSION_COOKIE_SECURE = False  # keep this comment\n"
    'CSRF_COOKIE_SECURE = os.environ.get("CSRF", "False") == "True"\n'
    "SESSION_COOKIE_SAMESITE = (\n    None  # inner comment\n)\n"
    "SESSION_COOKIE_AGE = 90 * 86400\n"
)


@pytest.fixture
def run_cli() -> RunCli:
    """``run_cli(*args, cwd=..., env=...)``: ``python -m hardsess.cli`` as a user runs it."""

    def run(
        *args: str, cwd: Path | str | None = None, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        environment.pop("FORCE_COLOR", None)
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "hardsess.cli", *args],
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run


def write(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Create ``files`` (relative path -> content) under ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def value_of(source: str, name: str = "X") -> Evaluated | None:
    """Evaluate the last assignment of ``name`` in ``source`` with its module's bindings."""
    import libcst as cst

    from hardsess.lint.settings_values import collect

    module = collect(cst.parse_module(source), "settings.py", sources=())
    assignment = module.assignments.get(name)
    return None if assignment is None else assignment.evaluated


def cookie_sources() -> list[tuple[str, str]]:
    """Real modules that set cookies: Django's own, plus a tricky hand-written one."""
    import django

    root = Path(django.__file__).parent
    found = [
        (str(path), path.read_text(encoding="utf-8"))
        for path in sorted(root.rglob("*.py"))
        if "set_cookie" in path.read_text(encoding="utf-8", errors="replace")
    ]
    tricky = (
        "import functools\n"
        "FOREVER = 10 ** 9\n"
        "@functools.wraps(x.set_cookie)\n"
        "def decorated(r):\n    pass\n"
        "class V:\n"
        "    def get(self, r):\n"
        "        r.set_cookie('a', max_age=FOREVER); r.set_cookie('b')\n"
        "    def post(self, r):\n"
        "        return r.set_signed_cookie(\n            'c', 'v', secure=False,\n        )\n"
        "x = 'set_cookie'\n"
    )
    return [*found, ("tricky_views.py", tricky)]
