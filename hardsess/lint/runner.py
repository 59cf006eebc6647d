"""Linting many files: discovery, pre-filter, serial or parallel linting, fixes, diffs.

The main process reads every discovered file and runs the byte-level pre-filter, so files
that cannot matter are never parsed and libcst is never imported for them. Files that pass
are linted in this process, or, when more than :data:`PARALLEL_THRESHOLD` pass, across
processes (``concurrent.futures.ProcessPoolExecutor``); both give the same findings.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from hardsess.lint.config import Config
from hardsess.lint.discovery import discover, is_settings_path
from hardsess.lint.finding import FileError, Finding
from hardsess.lint.prefilter import code_may_matter, settings_may_matter

if TYPE_CHECKING:
    from hardsess.lint.linter import FileResult
    from hardsess.lint.writer import Snapshot

__all__ = ["PARALLEL_THRESHOLD", "RunResult", "lint_paths"]

#: Above this many files surviving the pre-filter, lint in worker processes.
PARALLEL_THRESHOLD = 16

FixMode = Literal["none", "safe", "unsafe"]


@dataclass
class RunResult:
    """Everything a run found. ``diffs``: unified diffs (``diff=True``); ``fixed``: paths
    written; ``not_written``: paths whose fix was dropped because they changed on disk."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    fixes_applied: int = 0
    diffs: list[str] = field(default_factory=list)
    not_written: list[str] = field(default_factory=list)
    files_seen: int = 0
    files_linted: int = 0


class _Job(NamedTuple):
    path: str
    data: bytes
    is_settings: bool


def lint_paths(
    paths: Sequence[str],
    config: Config,
    *,
    fix: FixMode = "none",
    diff: bool = False,
    parallel_threshold: int = PARALLEL_THRESHOLD,
) -> RunResult:
    """Lint files and directories (see :mod:`hardsess.lint.discovery`); with ``fix`` write
    the fixes (unless ``diff``: then only produce diffs)."""
    run = RunResult()
    discovered, missing = discover(
        paths, extend_exclude=config.extend_exclude, exclude_root=config.root
    )
    run.errors.extend(FileError(m, "cannot read: no such file or directory") for m in missing)
    jobs: list[_Job] = []
    snapshots: dict[str, Snapshot] = {}
    for item in discovered:
        run.files_seen += 1
        try:
            with open(item.path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            run.errors.append(FileError(item.path, f"cannot read: {error.strerror or error}"))
            continue
        settings = is_settings_path(item.path, config.settings)
        if not ((settings and settings_may_matter(data)) or code_may_matter(data)):
            continue
        if fix != "none" and not diff:
            from hardsess.lint.writer import snapshot

            snapshots[item.path] = snapshot(item.path, data)
        jobs.append(_Job(item.path, data, settings))
    run.files_linted = len(jobs)
    results = _lint_jobs(jobs, config, fix, parallel_threshold)
    for job, result in zip(jobs, results, strict=True):
        if result.error is not None:
            run.errors.append(result.error)
            continue
        if result.fixed is not None and fix != "none":
            fixed = result.fixed
            assert isinstance(fixed, bytes)
            from hardsess.lint.writer import unchanged, write_atomic

            if diff:
                run.diffs.append(_diff(job.path, job.data, fixed))
                run.fixes_applied += result.fixes_applied
            elif unchanged(job.path, snapshots[job.path]):
                write_atomic(job.path, fixed)
                run.fixed.append(job.path)
                run.fixes_applied += result.fixes_applied
            else:
                run.not_written.append(job.path)
                result = _lint_one((job, config, "none"))
        run.findings.extend(result.findings)
    run.findings.sort()
    run.errors.sort()
    return run


def _lint_jobs(
    jobs: Sequence[_Job], config: Config, fix: FixMode, threshold: int
) -> list[FileResult]:
    if len(jobs) <= threshold:
        return [_lint_one((job, config, fix)) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    workers = max(1, min(os.cpu_count() or 1, len(jobs) // 4 or 1))
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_lint_one, [(job, config, fix) for job in jobs], chunksize=chunk))


def _lint_one(arguments: tuple[_Job, Config, FixMode]) -> FileResult:
    from hardsess.lint.linter import FileResult, lint_data

    job, config, fix = arguments
    try:
        return lint_data(job.data, job.path, config, fix=fix, is_settings=job.is_settings)
    except Exception as error:
        # A defect in a rule (or the engine) on one file: report it like an unparsable file
        # (exit 2) and go on with the others, instead of losing every other file's findings.
        result = FileResult(job.path)
        result.error = FileError(job.path, f"internal error: {type(error).__name__}: {error}")
        return result


def _diff(path: str, before: bytes, after: bytes) -> str:
    import difflib

    old = _text(before)
    new = _text(after)
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def _text(data: bytes) -> str:
    """Source bytes as text for a diff, honouring a PEP 263 coding cookie."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")
