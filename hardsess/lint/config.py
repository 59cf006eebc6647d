"""``[tool.hardsess]`` in pyproject.toml, found by walking up from the linted paths.

Keys (all optional)::

    [tool.hardsess]
    select = ["HS1", "HS201"]       # ID prefixes; default: every rule that is not opt-in
    ignore = ["HS105"]              # ID prefixes
    per-file-ignores = { "tests/*" = ["HS131"], "*/dev.py" = ["HS101", "HS111"] }
    extend-exclude = ["legacy/", "*_pb2.py"]   # gitignore-style, on top of .gitignore
    settings = ["proj.settings.prod"]           # modules to treat as settings (and deploy mode)
    deployed = ["proj.settings.local"]          # never development (dotted: also deploy mode)
    development = ["proj/settings/staging.py"]  # development/test: settings findings off
    max-session-age = 86400                     # seconds; HS104's maximum
    max-file-size = 524288                      # bytes; larger files are skipped (0: no cap)
    file-timeout = 10                           # seconds per file, then skipped (0: none)
    strict = false                              # a file skipped for the budget exits 2

Selection works like ruff's: a selector is an ID or a prefix of one (``"HS1"``), or
``"ALL"``. Opt-in rules (HS203) run only when selected by their full ID. ``ignore`` wins over
``select``. Globs in ``per-file-ignores`` match the path relative to the directory holding
pyproject.toml (``fnmatch``: ``*`` also crosses ``/``), or the file name alone.

Every caller asks the same three questions here, so selection is written once:
:meth:`Config.is_selected` (does a rule run at all), :meth:`Config.ignores` (do per-file
ignores turn it off in this file) and :func:`matches` (does a selector name a rule).
:func:`config_near` is the cheap lookup for callers that are not the CLI (the system checks,
the bandit plugin): the standard library only, and the TOML parser only when a file has a
``[tool.hardsess]`` table.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from hardsess.lint.budget import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FILE_SIZE
from hardsess.policy import CATALOGUE, DEFAULT_MAX_SESSION_AGE, Options

_BUDGET_KEYS = ("max-file-size", "file-timeout", "strict")

__all__ = ["Config", "ConfigError", "config_near", "find_pyproject", "load_config", "matches"]

_KEYS = frozenset(
    {
        "select",
        "ignore",
        "per-file-ignores",
        "extend-exclude",
        "settings",
        "max-session-age",
        *_BUDGET_KEYS,
        "deployed",
        "development",
    }
)


class ConfigError(ValueError):
    """The configuration is malformed; the CLI reports it and exits 2."""


class Config(NamedTuple):
    """The effective configuration of a run (pyproject values, then command-line overrides)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = {}  # shared, never mutated
    extend_exclude: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    max_session_age: int = DEFAULT_MAX_SESSION_AGE
    root: Path | None = None  # the directory of the pyproject.toml read, if any
    # The per-file budget (hardsess.lint.budget): bytes, seconds (0 turns either off), and
    # whether a file skipped for it makes the run exit 2.
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    file_timeout: float = DEFAULT_FILE_TIMEOUT
    strict: bool = False
    #: Overrides of the deployed / development classification (hardsess.lint.project):
    #: dotted modules or globs.
    deployed: tuple[str, ...] = ()
    development: tuple[str, ...] = ()
    #: Cookie names the project's JavaScript reads (hardsess.lint.script_cookies), filled by
    #: the runner once per run.
    script_cookies: tuple[tuple[str, str], ...] = ()

    def options(self) -> Options:
        return Options(max_session_age=self.max_session_age, script_cookies=self.script_cookies)

    def is_selected(self, rule_id: str, *, opt_in: bool = False) -> bool:
        """Whether the rule runs at all (before per-file ignores)."""
        if any(matches(rule_id, s) for s in self.ignore):
            return False
        if opt_in:
            return self.select is not None and rule_id in self.select
        if self.select is None:
            return True
        return any(matches(rule_id, s) for s in self.select)

    def selected_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in CATALOGUE if self.is_selected(r.id, opt_in=r.opt_in))

    def ignores(self, rule_id: str, path: str) -> bool:
        """Whether ``per-file-ignores`` turns ``rule_id`` off in the file at ``path``.

        The one per-file test of every finding, whichever mode produced it: file mode asks
        before running a rule on a file, deploy mode and :func:`~hardsess.lint.api.judge_settings`
        for the file a finding points at.
        """
        return any(matches(rule_id, s) for s in self.ignored_in(path))

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """The selectors ``per-file-ignores`` turns off for ``path``."""
        if not self.per_file_ignores:
            return ()
        import fnmatch  # only configurations with per-file ignores pay for it

        relative = _relative(path, self.root)
        name = relative.rsplit("/", 1)[-1]
        found: list[str] = []
        for pattern, ids in self.per_file_ignores.items():
            if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(name, pattern):
                found.extend(ids)
        return tuple(found)

    def with_overrides(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        extend_exclude: Sequence[str] | None = None,
    ) -> Config:
        """Command-line values: ``select`` replaces, ``ignore`` and excludes extend."""
        config = self
        if select is not None:
            config = config._replace(select=tuple(select))
        if ignore:
            config = config._replace(ignore=(*config.ignore, *ignore))
        if extend_exclude:
            config = config._replace(extend_exclude=(*config.extend_exclude, *extend_exclude))
        return config


def matches(rule_id: str, selector: str) -> bool:
    """Whether ``selector`` (an ID, an ID prefix such as ``"HS1"``, or ``"ALL"``) names
    ``rule_id``."""
    return selector == "ALL" or rule_id.startswith(selector)


def _relative(path: str, root: Path | None) -> str:
    absolute = os.path.abspath(path)
    if root is not None:
        try:
            return Path(absolute).relative_to(root).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


def find_pyproject(paths: Iterable[str]) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.hardsess]`` table above the first path
    (or the current directory), walking up to the filesystem root."""
    first = next(iter(paths), ".")
    start = Path(os.path.abspath(first))
    if not start.is_dir():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_bytes()
            except OSError:
                continue
            if b"[tool.hardsess" in text:
                return candidate
    return None


def config_near(path: str | Path) -> Config:
    """The configuration that applies to the file or directory at ``path``; the defaults when
    there is none, or when it is malformed (the CLI reports a malformed one, exit 2).

    For callers that are not the CLI and must not fail on a bad table: the system checks
    (HS104's ``max-session-age``, looked up from the settings module's file) and the bandit
    plugin (looked up from each scanned file's directory).
    """
    found = find_pyproject([str(path)])
    if found is None:
        return Config()
    try:
        return load_config(pyproject=found)
    except ConfigError:
        return Config()


def load_config(paths: Iterable[str] = (), *, pyproject: Path | None = None) -> Config:
    """The ``[tool.hardsess]`` table that applies to ``paths`` (defaults when there is none)."""
    found = pyproject or find_pyproject(paths)
    if found is None:
        return Config()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the same parser, from PyPI
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        data = tomllib.loads(found.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{found}: cannot read: {error}") from error
    table = data.get("tool", {}).get("hardsess", {})
    return parse_table(table, found.parent, str(found))


def parse_table(table: object, root: Path | None, where: str = "[tool.hardsess]") -> Config:
    """A Config from a ``[tool.hardsess]`` table; ConfigError names the bad key."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.hardsess] must be a table")
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) in [tool.hardsess]: {', '.join(sorted(unknown))}"
        )
    select = table.get("select")
    selectors = None if select is None else _strings(select, "select", where)
    if selectors is not None and not any(s.strip() for s in selectors):
        # As `--select ""` on the command line: a run that selects nothing passes every file.
        raise ConfigError(
            f"{where}: select = {select!r} selects no rule: give rule IDs or prefixes "
            "(HS101, HS1) or ALL, or remove the key to run every rule that is not opt-in"
        )
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [IDs]")
    age = table.get("max-session-age", DEFAULT_MAX_SESSION_AGE)
    if isinstance(age, bool) or not isinstance(age, int) or age <= 0:
        raise ConfigError(f"{where}: max-session-age must be a positive integer of seconds")
    size = table.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ConfigError(f"{where}: max-file-size must be a non-negative integer of bytes")
    timeout = table.get("file-timeout", DEFAULT_FILE_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
        raise ConfigError(f"{where}: file-timeout must be a non-negative number of seconds")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{where}: strict must be true or false")
    return Config(
        select=selectors,
        ignore=_strings(table.get("ignore", []), "ignore", where),
        per_file_ignores={
            str(k): _strings(v, f"per-file-ignores.{k}", where) for k, v in per_file.items()
        },
        extend_exclude=_strings(table.get("extend-exclude", []), "extend-exclude", where),
        settings=_strings(table.get("settings", []), "settings", where),
        max_session_age=age,
        root=root,
        max_file_size=size,
        file_timeout=float(timeout),
        strict=strict,
        deployed=_strings(table.get("deployed", []), "deployed", where),
        development=_strings(table.get("development", []), "development", where),
    )


def _strings(value: object, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(value)
