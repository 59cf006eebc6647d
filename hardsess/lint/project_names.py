"""The project's own modules a settings module imports from, for file mode.

``from .base import env`` (a django-environ ``Env`` made in ``base.py``), ``from .base import *``
followed by ``env_bool("X", False)`` (a helper ``base.py`` defines), ``SECRET_KEY_FALLBACKS =
[SECRET_KEY, ...]`` after a star import: file mode understands these only by reading
``base.py``. :class:`ProjectModules` finds the imported module next to the importer and
collects it with :func:`hardsess.lint.settings_values.collect` (its own project imports
followed in turn), so :mod:`hardsess.lint.settings_values` binds the imported names to what
that module binds.

Cheap by construction: it is asked only about files that passed the byte pre-filter and are
being collected as settings modules; each project module is parsed at most once per process
(:data:`PROJECT`, keyed by path and checked against the file's bytes), and a settings module
file mode lints itself is remembered, so its siblings' imports of it reuse that parse (and
its own lint reuses an import's); imports are followed :data:`MAX_DEPTH` modules deep and
files above :data:`MAX_BYTES` are not read. A
module that cannot be found, read or parsed is simply not followed: its names stay unknown.

Which modules are the project's: relative imports (``.base``, ``..common``) from the importer's
package, and absolute ones (``config.settings.base``) found under the directory above the
importer's top package (the first ancestor without ``__init__.py``), as ``manage.py`` puts it
on ``sys.path``. Deploy mode (:mod:`hardsess.lint.deploy`) resolves imports its own way, from
the project roots.
"""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst

from hardsess.lint.settings_values import SettingsModule, collect

__all__ = ["MAX_BYTES", "MAX_DEPTH", "PROJECT", "ProjectModules"]

#: How many modules deep imports are followed (prod -> base -> common).
MAX_DEPTH = 3
#: Larger project modules are not read (a generated module is not a settings base).
MAX_BYTES = 512 * 1024
#: How far up an absolute import's root is looked for.
_MAX_PACKAGE_LEVELS = 8


class ProjectModules:
    """Finds and collects imported project modules, each at most once (see module doc)."""

    def __init__(self) -> None:
        # Keyed by normalised path; an entry holds the bytes it was collected from, so a file
        # changed since (a fix written, an editor) is collected again.
        self._cache: dict[str, tuple[bytes, SettingsModule | None]] = {}
        self._active: list[str] = []

    def remember(self, path: str, data: bytes, collected: SettingsModule) -> None:
        """A settings module file mode has just collected from ``data``: a later import of
        it (``from .base import *`` in a sibling linted after it) is not parsed again."""
        if len(data) <= MAX_BYTES:  # a larger module is never followed: nothing to keep
            self._cache[os.path.normpath(path)] = (data, collected)

    def collected(self, path: str, data: bytes) -> SettingsModule | None:
        """The module collected earlier from exactly ``data`` at ``path``, or None: file mode
        then lints an imported module without parsing it again."""
        cached = self._cache.get(os.path.normpath(path))
        return cached[1] if cached is not None and cached[0] == data else None

    def module(self, importer: str, module: str) -> SettingsModule | None:
        """The collected module ``module`` (as written, dots included) imported by the file
        at ``importer``, or None (not the project's, not found, too deep, a cycle)."""
        if len(self._active) >= MAX_DEPTH:
            return None
        located = _locate(Path(importer), module)
        if located is None:
            return None
        key = os.path.normpath(located)
        if key in self._active:
            return None  # an import cycle
        try:
            if located.stat().st_size > MAX_BYTES:
                return None
            data = located.read_bytes()
        except OSError:
            return None
        cached = self._cache.get(key)
        if cached is not None and cached[0] == data:
            return cached[1]
        self._active.append(key)
        try:
            collected = self._collect(key, data)
        finally:
            self._active.pop()
        self._cache[key] = (data, collected)
        return collected

    def _collect(self, path: str, data: bytes) -> SettingsModule | None:
        try:
            return collect(cst.parse_module(data), path, project=self)
        except (cst.ParserSyntaxError, SyntaxError, UnicodeDecodeError, LookupError):
            return None  # not followed: its names stay unknown
        except RecursionError:
            return None


def _locate(importer: Path, module: str) -> Path | None:
    """The file of ``module`` as imported from ``importer``, or None."""
    name = module.lstrip(".")
    dots = len(module) - len(name)
    if dots:
        base = importer.parent
        for _ in range(dots - 1):
            base = base.parent
    else:
        if not name:
            return None
        base = _import_root(importer.parent)
    parts = name.split(".") if name else []
    target = base.joinpath(*parts)
    for candidate in (target.with_name(target.name + ".py"), target / "__init__.py"):
        if parts and candidate.is_file():
            return candidate
    return None


def _import_root(directory: Path) -> Path:
    """The directory above the top package holding ``directory`` (itself when it is no
    package): where an absolute import of the project's own modules starts."""
    for _ in range(_MAX_PACKAGE_LEVELS):
        if not (directory / "__init__.py").is_file() or directory.parent == directory:
            return directory
        directory = directory.parent
    return directory


#: The one instance file mode uses: a process's cache, shared by every file it lints.
PROJECT = ProjectModules()
