"""The Django release a project pins, read from its dependency files.

Some of Django's defaults change between releases (``SIGNED_COOKIE_LEGACY_SALT_FALLBACK``:
True in 5.2 and 6.0, False from 6.1; see :data:`hardsess.policy.defaults.DEFAULT_HISTORY`).
Deploy mode fills in the defaults of the Django the *project* runs, not of the Django installed
next to the linter, so it reads the version here, first match wins:

1. lock files, which hold the exact version: ``uv.lock``, ``poetry.lock``, ``Pipfile.lock``;
2. requirement lists: ``requirements*.txt`` and ``requirements/*.txt`` (``-r`` includes
   followed one level), ``pyproject.toml`` (``[project] dependencies``,
   ``[tool.poetry.dependencies]``), ``Pipfile``, ``setup.cfg`` (``install_requires``),
   ``setup.py`` (``install_requires`` literal strings).

A root that pins nothing itself may be a monorepo: then the subprojects up to two directories
below it are read the same way (``apps/api/requirements/base.txt``), and their release is
assumed when they all agree (:func:`find_pinned_below`).

From a specifier the *lowest* release it allows is assumed (``Django>=4.2,<5.0``: 4.2;
``Django~=5.2.1``: 5.2; ``django = "^4.2"``: 4.2); a specifier with no lower bound tells
nothing. Only ``major.minor`` is kept: defaults change in feature releases. Standard library
only.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

__all__ = ["PinnedDjango", "find_pinned", "find_pinned_below", "lowest_version"]


class PinnedDjango(NamedTuple):
    """The Django release assumed for a project and where it was read (``"poetry.lock"``)."""

    version: tuple[int, int]
    source: str

    def __str__(self) -> str:
        return f"Django {self.version[0]}.{self.version[1]} (from {self.source})"


_LOWER = re.compile(r"(==|===|~=|>=|\^|~|>)?\s*v?(\d+)\.(\d+)")
_REQUIREMENT = re.compile(r"^\s*django(?:\[[^\]]*\])?\s*(?P<spec>[=~<>!^][^;#]*)?", re.IGNORECASE)


def lowest_version(spec: str) -> tuple[int, int] | None:
    """The lowest ``(major, minor)`` a version specifier allows, or None (no lower bound)."""
    lowest: tuple[int, int] | None = None
    for clause in spec.split(","):
        clause = clause.strip().strip("\"'")
        if not clause or clause.startswith(("<", "!=")):
            continue
        match = _LOWER.match(clause)
        if match is None:
            continue
        # ">4.2" still allows 4.2.x patch releases, which share 4.2's defaults.
        version = (int(match.group(2)), int(match.group(3)))
        lowest = version if lowest is None else max(lowest, version)
    return lowest


def _read(path: Path) -> str | None:
    try:
        if path.stat().st_size > 4 * 1024 * 1024:
            return None  # a lock file this large is not worth the time of a lint run
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _from_locks(root: Path) -> Iterator[PinnedDjango]:
    for name in ("uv.lock", "poetry.lock"):
        text = _read(root / name)
        if text is None:
            continue
        match = re.search(
            r'\[\[package\]\]\s*\nname\s*=\s*"django"\s*\nversion\s*=\s*"(\d+)\.(\d+)',
            text,
            re.IGNORECASE,
        )
        if match:
            yield PinnedDjango((int(match.group(1)), int(match.group(2))), name)
    text = _read(root / "Pipfile.lock")
    if text is not None:
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            entry = json.loads(text).get("default", {}).get("django", {})
            version = lowest_version(str(entry.get("version", "")))
            if version is not None:
                yield PinnedDjango(version, "Pipfile.lock")


def _requirement_lines(path: Path, depth: int = 0) -> Iterator[str]:
    text = _read(path)
    if text is None:
        return
    for line in text.splitlines():
        stripped = line.strip()
        if depth == 0 and stripped.startswith(("-r ", "--requirement ")):
            included = stripped.split(None, 1)[1].strip()
            yield from _requirement_lines(path.parent / included, depth + 1)
        else:
            yield stripped


def _from_requirements(root: Path) -> Iterator[PinnedDjango]:
    files = sorted(root.glob("requirements*.txt")) + sorted(root.glob("requirements/*.txt"))
    for path in files:
        for line in _requirement_lines(path):
            match = _REQUIREMENT.match(line)
            if match and match.group("spec"):
                version = lowest_version(match.group("spec"))
                if version is not None:
                    yield PinnedDjango(version, path.relative_to(root).as_posix())
                    return


def _from_pyproject(root: Path) -> Iterator[PinnedDjango]:
    text = _read(root / "pyproject.toml")
    if text is None or "django" not in text.lower():
        return
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    project = data.get("project", {})
    for requirement in project.get("dependencies", []) if isinstance(project, dict) else []:
        match = _REQUIREMENT.match(str(requirement))
        if match and match.group("spec"):
            version = lowest_version(match.group("spec"))
            if version is not None:
                yield PinnedDjango(version, "pyproject.toml [project] dependencies")
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    for name, spec in poetry.items() if isinstance(poetry, dict) else []:
        if str(name).lower() == "django":
            if isinstance(spec, dict):
                spec = spec.get("version", "")
            version = lowest_version(str(spec))
            if version is not None:
                yield PinnedDjango(version, "pyproject.toml [tool.poetry.dependencies]")


def _from_pipfile(root: Path) -> Iterator[PinnedDjango]:
    text = _read(root / "Pipfile")
    if text is None:
        return
    match = re.search(r'^\s*django\s*=\s*"([^"]*)"', text, re.IGNORECASE | re.MULTILINE)
    if match:
        version = lowest_version(match.group(1))
        if version is not None:
            yield PinnedDjango(version, "Pipfile")


def _from_setup(root: Path) -> Iterator[PinnedDjango]:
    for name in ("setup.cfg", "setup.py"):
        text = _read(root / name)
        if text is None:
            continue
        for match in re.finditer(
            r"""(?:^[ \t]*|["'])django\s*([=~<>!][^"'\n;#]*)""", text, re.I | re.M
        ):
            version = lowest_version(match.group(1))
            if version is not None:
                yield PinnedDjango(version, name)
                break


def find_pinned(root: Path) -> PinnedDjango | None:
    """The Django release the project at ``root`` pins (module doc), or None."""
    for source in (_from_locks, _from_requirements, _from_pyproject, _from_pipfile, _from_setup):
        for found in source(root):
            return found
    return None


#: Directories never searched for a subproject's pins.
_NOT_PROJECTS = frozenset({"node_modules", "venv", "env", "site-packages", "docs", "tests"})


def find_pinned_below(root: Path, depth: int = 2) -> PinnedDjango | None:
    """For a root that pins nothing itself (a monorepo: ``apps/api/requirements/base.txt``),
    the release the subprojects up to ``depth`` directories below it pin, when they agree;
    None when none pins Django or two pin different releases (then no guess is made)."""
    found: dict[tuple[int, int], PinnedDjango] = {}
    level = [root]
    for _ in range(depth):
        below = []
        for directory in level:
            with contextlib.suppress(OSError):
                below += sorted(
                    p
                    for p in directory.iterdir()
                    if p.is_dir() and not p.name.startswith(".") and p.name not in _NOT_PROJECTS
                )
        for directory in below:
            pinned = find_pinned(directory)
            if pinned is not None:
                where = directory.relative_to(root).as_posix()
                found.setdefault(
                    pinned.version, PinnedDjango(pinned.version, f"{where}/{pinned.source}")
                )
        level = below
    return next(iter(found.values())) if len(found) == 1 else None
