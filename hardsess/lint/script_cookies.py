"""Cookie names the site's own JavaScript reads, found in its templates and static files.

HttpOnly hides a cookie from ``document.cookie``; on a cookie the site's script reads (a
theme, a consent flag, the CSRF token in Django's documented ``getCookie("csrftoken")``
helper) it breaks that feature. So HS201 / HS122 ask no HttpOnly for such a cookie and never
offer it as a safe fix, and say where the read is.

What is recognised (names written as string literals only; a name built at runtime is never
matched):

* ``document.cookie`` followed, on the same line, by a literal that starts ``name=``
  (``document.cookie.match(/(^|;)\\s*theme=/)``,
  ``.split("; ").find(r => r.startsWith("theme="))``);
  an assignment ``document.cookie = "..."`` is a write and is skipped;
* ``$.cookie("name")`` / ``jQuery.cookie("name")`` with one argument (two arguments write);
* ``Cookies.get("name")`` (js-cookie), ``getCookie("name")`` and its spellings
  (``get_cookie``, ``readCookie``) as in Django's CSRF documentation.

The scan is bounded (:data:`MAX_FILES`, :data:`MAX_FILE_BYTES`, :data:`MAX_TOTAL_BYTES`),
prunes dependency and build directories, and runs at most once per run (the runner asks for
it only when a linted file can have an HttpOnly finding). Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["MAX_FILES", "MAX_FILE_BYTES", "MAX_TOTAL_BYTES", "read_names", "scan"]

EXTENSIONS = (".html", ".htm", ".js", ".mjs", ".ts", ".jsx", ".tsx", ".vue", ".jinja", ".j2")
MAX_FILES = 2000
MAX_FILE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 32 * 1024 * 1024
#: Directories never scanned: dependencies, virtual environments, build output, VCS.
SKIP_DIRS = frozenset(
    {
        "node_modules",
        "bower_components",
        ".git",
        ".hg",
        ".venv",
        "venv",
        "env",
        ".tox",
        ".nox",
        "__pycache__",
        "site-packages",
        "dist",
        "build",
        "coverage",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "locale",  # translations: thousands of directories, never script
        "migrations",
    }
)

_NAME = r"[A-Za-z0-9_\-.$]+"
_READS = (
    # document.cookie ... "name=" (not an assignment to document.cookie)
    re.compile(
        r"document\.cookie(?!\s*=[^=])(?:(?!document\.cookie)[^\n]){0,200}?[\"'`/^|();\s*]"
        r"(" + _NAME + r")="
    ),
    re.compile(r"(?:\$|jQuery)\.cookie\(\s*[\"'](" + _NAME + r")[\"']\s*\)"),
    re.compile(r"\bCookies\.get\(\s*[\"'](" + _NAME + r")[\"']"),
    re.compile(r"\b(?:get|read)_?[Cc]ookie\(\s*[\"'](" + _NAME + r")[\"']"),
)
#: Bytes a file must contain before the regular expressions run.
_HINTS = (
    b"document.cookie",
    b".cookie(",
    b"Cookies.get",
    b"etCookie(",
    b"et_cookie(",
    b"eadCookie(",
)


def read_names(text: str) -> Iterator[tuple[str, int]]:
    """``(cookie name, 1-based line)`` for each read recognised in ``text``."""
    for pattern in _READS:
        for match in pattern.finditer(text):
            yield match.group(1), text.count("\n", 0, match.start(1)) + 1


def _candidates(roots: Iterable[Path]) -> Iterator[Path]:
    """Script and template files under ``roots``, in a stable order, pruned directories
    skipped. ``os.scandir`` rather than ``os.walk``: its entries know whether they are
    directories, so a tree of thousands of directories costs no stat per directory."""
    seen: set[str] = set()
    stack = [str(root) for root in roots if root.is_dir()][::-1]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[str] = []
        for entry in listed:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name not in SKIP_DIRS and not name.startswith("."):
                    subdirs.append(entry.path)
            elif (
                name.endswith(EXTENSIONS)
                and not name.endswith(".min.js")
                and entry.path not in seen
            ):
                seen.add(entry.path)
                yield Path(entry.path)
        stack.extend(reversed(subdirs))


def scan(roots: Iterable[Path], base: Path | None = None) -> tuple[tuple[str, str], ...]:
    """Every cookie name read by script under ``roots``: ``(name, "path:line")`` pairs, the
    first read of each name, paths relative to ``base`` when under it."""
    found: dict[str, str] = {}
    total = 0
    for count, path in enumerate(_candidates(roots)):
        if count >= MAX_FILES or total >= MAX_TOTAL_BYTES:
            break
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        total += len(data)
        if not any(hint in data for hint in _HINTS):
            continue
        shown = path
        if base is not None:
            with contextlib.suppress(ValueError):
                shown = path.relative_to(base)
        for name, line in read_names(data.decode("utf-8", errors="replace")):
            found.setdefault(name, f"{shown.as_posix()}:{line}")
    return tuple(sorted(found.items()))
