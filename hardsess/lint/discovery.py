"""Which files to lint: walking directories, .gitignore, ``extend-exclude``, settings paths.

Rules (like ruff's):

* A path named on the command line is linted even when .gitignore or ``extend-exclude``
  would skip it, whatever its extension. A directory named on the command line is walked;
  below it, ``*.py`` files are linted unless ignored.
* Ignored: the usual tool and environment directories (:data:`DEFAULT_EXCLUDES`), every
  virtual environment whatever its name (a directory holding ``pyvenv.cfg``, as ruff
  detects them) and every installed-packages directory (:data:`PACKAGE_DIRECTORIES`), so
  an ``env/`` missing from .gitignore is never linted and ``--fix`` never rewrites the
  installed Django; paths
  matched by a .gitignore (the ones above the walked directory, up to the repository root,
  and the ones found inside it), and ``extend-exclude`` patterns (gitignore syntax, relative
  to the config's directory). When the named directory is itself ignored by an ancestor's
  .gitignore (``hardsess lint .venv/lib/.../django``), the ancestors' rules are not applied to
  its contents: naming it says you want it linted.
  These skips apply to directories met while walking, never to a path named on the
  command line: ``hardsess lint env/lib/python3.12/site-packages/django`` lints it.
* Symbolic links to directories are not followed (no loops); links to files are.

pathspec is imported only when some .gitignore or exclude pattern exists.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "DEFAULT_EXCLUDES",
    "PACKAGE_DIRECTORIES",
    "Discovered",
    "discover",
    "is_environment",
    "is_settings_path",
]

DEFAULT_EXCLUDES = frozenset(
    {
        ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox",
        ".pants.d", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__",
        "_build", "buck-out", "dist", "node_modules", "venv", "__pycache__", ".pytest_cache",
    }
)  # fmt: skip

#: Where installers put third-party packages (``dist-packages`` on Debian's Python).
PACKAGE_DIRECTORIES = frozenset({"site-packages", "dist-packages"})

_SETTINGS_PATH = re.compile(r"(^|/|_)settings(/|_|\.py$)")


def is_settings_path(path: str, settings_modules: Sequence[str] = ()) -> bool:
    """Whether settings rules run on ``path``: it matches ``(^|/|_)settings(/|_|\\.py$)``, or
    it is one of the configured settings modules (dotted name or path suffix)."""
    posix = path.replace(os.sep, "/")
    if _SETTINGS_PATH.search(posix):
        return True
    for module in settings_modules:
        if module.endswith(".py") or "/" in module:
            if posix.endswith(module.lstrip("./")):
                return True
            continue
        dotted = module.replace(".", "/")
        if posix.endswith((f"{dotted}.py", f"{dotted}/__init__.py")):
            return True
    return False


def is_environment(name: str, directory: Path) -> bool:
    """Whether a directory met while walking is an environment, never linted: a virtual
    environment (it holds ``pyvenv.cfg``, whatever it is called) or a packages directory."""
    return name in PACKAGE_DIRECTORIES or (directory / "pyvenv.cfg").is_file()


class Discovered(NamedTuple):
    """A file to lint; ``explicit`` when it was named on the command line."""

    path: str
    explicit: bool


class _Matcher:
    """gitignore-style patterns relative to a base directory."""

    def __init__(self, base: Path, lines: Iterable[str]) -> None:
        import pathspec

        self.base = base
        self.spec: Any = pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return False
        if is_dir:
            relative += "/"
        return bool(self.spec.match_file(relative))


def _gitignore(directory: Path) -> _Matcher | None:
    file = directory / ".gitignore"
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return _Matcher(directory, lines) if lines else None


def _ancestor_matchers(directory: Path) -> list[_Matcher]:
    """.gitignore files above ``directory`` up to the repository root (the one with .git)."""
    matchers: list[_Matcher] = []
    for parent in directory.parents:
        matcher = _gitignore(parent)
        if matcher is not None:
            matchers.append(matcher)
        if (parent / ".git").exists():
            break
    else:
        return []  # not inside a repository: no gitignore applies from above
    return matchers


def discover(
    paths: Sequence[str],
    *,
    extend_exclude: Sequence[str] = (),
    exclude_root: Path | None = None,
) -> tuple[list[Discovered], list[str]]:
    """The files to lint under ``paths`` (sorted, unique) and the paths that do not exist."""
    excludes = [_Matcher(exclude_root or Path.cwd(), extend_exclude)] if extend_exclude else []
    found: dict[str, Discovered] = {}
    missing: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_file() or (path.exists() and not path.is_dir()):
            found.setdefault(given, Discovered(given, True))
        elif path.is_dir():
            absolute = Path(os.path.abspath(given))
            ancestors = _ancestor_matchers(absolute)
            if any(m.ignored(absolute, True) for m in ancestors):
                ancestors = []
            roots = [m for m in excludes if not m.ignored(absolute, True)]
            for file in _walk(path, absolute, [*ancestors, *roots]):
                found.setdefault(file, Discovered(file, False))
        else:
            missing.append(given)
    return sorted(found.values(), key=lambda d: d.path), missing


def _walk(display: Path, absolute: Path, matchers: list[_Matcher]) -> Iterator[str]:
    own = _gitignore(absolute)
    active = [*matchers, own] if own is not None else matchers
    try:
        entries = sorted(os.scandir(absolute), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        child = absolute / name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        if is_dir:
            if name in DEFAULT_EXCLUDES or is_environment(name, child):
                continue
            if any(m.ignored(child, True) for m in active):
                continue
            yield from _walk(display / name, child, active)
        elif is_file and name.endswith(".py"):
            if any(m.ignored(child, False) for m in active):
                continue
            yield str(display / name)
