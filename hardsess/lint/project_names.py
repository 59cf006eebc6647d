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
(:data:`PROJECT`, keyed by path, checked against the file's size and mtime); imports are
followed :data:`MAX_DEPTH` modules deep and files above :data:`MAX_BYTES` are not read. A
module that cannot be found, read or parsed is simply not followed: its names stay unknown.

Which modules are the project's: relative imports (``.base``, ``..common``) from the importer's
package, and absolute ones (``config.settings.base``) found under the directory above the
importer's top package (the first ancestor without ``__init__.py``), as ``manage.py`` puts it
on ``sys.path``. Deploy mode (:mod:`hardsess.lint.deploy`) resolves imports its own way, from
the project roots.
"""

from __future__ import annotations

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
        self._cache: dict[Path, tuple[tuple[int, int], SettingsModule | None]] = {}
        self._active: list[Path] = []

    def module(self, importer: str, module: str) -> SettingsModule | None:
        """The collected module ``module`` (as written, dots included) imported by the file
        at ``importer``, or None (not the project's, not found, too deep, a cycle)."""
        if len(self._active) >= MAX_DEPTH:
            return None
        path = _locate(Path(importer), module)
        if path is None or path in self._active:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        signature = (stat.st_size, stat.st_mtime_ns)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == signature:
            return cached[1]
        collected = None
        if stat.st_size <= MAX_BYTES:
            self._active.append(path)
            try:
                collected = self._collect(path)
            finally:
                self._active.pop()
        self._cache[path] = (signature, collected)
        return collected

    def _collect(self, path: Path) -> SettingsModule | None:
        try:
            tree = cst.parse_module(path.read_bytes())
            return collect(tree, str(path), project=self)
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError, RecursionError):
            return None  # ParserSyntaxError too: not followed, its names stay unknown
        except cst.ParserSyntaxError:
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
