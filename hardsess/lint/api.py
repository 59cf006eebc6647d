"""The engine as a Python API: what tests, the bandit plugin and other tools call.

Stable; see :mod:`hardsess.lint` for the overview.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from hardsess.lint.config import Config
from hardsess.lint.finding import Finding, FixMode, Location, RunResult, place
from hardsess.lint.runner import lint_paths as _lint_paths
from hardsess.policy import Observed

if TYPE_CHECKING:
    from hardsess.lint.linter import FileResult

__all__ = [
    "Location",
    "SourceError",
    "fix_source",
    "judge_settings",
    "lint_paths",
    "lint_source",
]


class SourceError(ValueError):
    """The source could not be parsed (``str(error)`` is ``path: cannot parse: reason``) or
    was too deeply nested to lint (``path: skipped: reason``)."""


def _config(
    config: Config | None, select: Sequence[str] | None, ignore: Sequence[str] | None
) -> Config:
    return (config or Config()).with_overrides(select=select, ignore=ignore)


def lint_source(
    source: str | bytes,
    path: str = "settings.py",
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    config: Config | None = None,
) -> list[Finding]:
    """The unsuppressed findings in ``source`` as if it were the file at ``path``, sorted.

    Settings rules run only when ``path`` looks like a settings module. ``select`` replaces
    the configured selection (ID prefixes; opt-in rules need their full ID), ``ignore``
    extends it. Source that cannot matter (byte pre-filter) is not even parsed. Raises
    :class:`SourceError` for source that is not valid Python.
    """
    result = _lint(source, path, _config(config, select, ignore), "none")
    return result.findings


def fix_source(
    source: str,
    path: str = "settings.py",
    *,
    unsafe: bool = False,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    config: Config | None = None,
) -> str:
    """``source`` after every safe fix (and the unsafe ones with ``unsafe=True``), fixing
    until nothing more applies. Unchanged when there is nothing to fix."""
    result = _lint(source, path, _config(config, select, ignore), "unsafe" if unsafe else "safe")
    fixed = result.fixed
    return fixed if isinstance(fixed, str) else source


def _lint(source: str | bytes, path: str, config: Config, fix: FixMode) -> FileResult:
    from hardsess.lint.linter import FileResult, lint_data
    from hardsess.lint.prefilter import may_matter
    from hardsess.lint.project import is_settings_module

    raw = source.encode("utf-8", errors="replace") if isinstance(source, str) else source
    settings = is_settings_module(path, raw, config.settings)
    if not may_matter(raw, settings=settings):
        return FileResult(path)
    result = lint_data(source, path, config, fix=fix, is_settings=settings)
    if result.error is not None:
        raise SourceError(str(result.error))
    if result.skipped is not None:  # too deeply nested to lint: no finding would be honest
        raise SourceError(str(result.skipped))
    return result


def lint_paths(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    fix: FixMode = "none",
    diff: bool = False,
    settings_modules: Sequence[str] = (),
) -> RunResult:
    """Lint files and directories as the CLI does (discovery, pre-filter, fixes, diffs), with
    deploy mode on ``settings_modules`` (docs/deploy-mode.md) when given."""
    return _lint_paths(
        paths, config or Config(), fix=fix, diff=diff, settings_modules=settings_modules
    )


def judge_settings(
    values: Mapping[str, Observed],
    locations: Mapping[str, Location],
    default_location: Location,
    *,
    config: Config | None = None,
    select: Sequence[str] | None = None,
    unknown: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Run the selected settings rules on ``values`` and place each verdict at the location
    of its setting (``default_location`` when the setting has none, e.g. a Django default).

    For tools that have values and where each was written, but no source to rewrite: the
    findings carry no fix. The same judgement (:func:`hardsess.lint.linter.judge_values`),
    placement and per-file ignores as file mode and deploy mode, which also have the
    assignments (for rewrites and suppression comments) and so do not go through here.
    ``unknown``: settings assigned in a way the evaluator does not understand (a verdict that
    depends on them is dropped). Suppression comments are not looked at here (the caller
    knows the files: :func:`hardsess.lint.suppression.is_suppressed`).
    """
    from hardsess.lint.linter import judge_values, selected_ids
    from hardsess.lint.registry import load_rules

    config = _config(config, select, None)
    rules = load_rules()
    ids = selected_ids(config, rules, kind="settings")
    findings: list[Finding] = []
    for cls, verdict in judge_values(values, ids, config.options(), rules, unknown):
        where = locations.get(verdict.setting, default_location)
        if not config.ignores(cls.record.id, where.path):
            findings.append(place(cls.record, verdict, where))
    return sorted(findings)
