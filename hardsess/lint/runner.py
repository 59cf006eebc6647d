"""Linting many files: discovery, pre-filter, deploy mode, serial or parallel linting, fixes.

The main process reads every discovered file and runs the byte-level pre-filter, so files
that cannot matter are never parsed and libcst is never imported for them. Files that pass
are linted in this process, or, when more than :data:`PARALLEL_THRESHOLD` pass, across
processes (``concurrent.futures.ProcessPoolExecutor``); both give the same findings.

Deploy mode (``settings_modules``, docs/deploy-mode.md) is decided up front, per file: it runs
first, on the contents read here, and the settings modules it judged get their settings
findings (and rewrites) from it; file mode runs only the code rules there. Every other file is
judged by file mode alone. So each finding is made once, by the mode that judges its file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from hardsess.lint.config import Config
from hardsess.lint.discovery import discover, is_settings_path
from hardsess.lint.finding import FileError, FixMode, RunResult, Skipped
from hardsess.lint.prefilter import (
    CODE_TRIGGERS,
    SETTINGS_TRIGGERS,
    code_may_matter,
    may_matter,
    settings_may_matter,
)
from hardsess.lint.project import (
    Classifier,
    copied_modules,
    deployment_names,
    is_settings_module,
    project_roots,
    references,
)
from hardsess.lint.templates import TEMPLATED, has_template_syntax, in_template_directory

if TYPE_CHECKING:
    from hardsess.lint.deploy import DeployResult
    from hardsess.lint.django_version import PinnedDjango
    from hardsess.lint.linter import FileResult
    from hardsess.lint.writer import Snapshot

__all__ = ["PARALLEL_THRESHOLD", "FixMode", "RunResult", "lint_paths"]

#: Above this many files surviving the pre-filter, lint in worker processes.
PARALLEL_THRESHOLD = 16


class _Job(NamedTuple):
    """One file for file mode: ``data`` is what it lints (deploy mode's rewrites applied),
    ``is_settings`` whether its settings rules run (not when deploy mode judges the file)."""

    path: str
    data: bytes
    is_settings: bool


class _File(NamedTuple):
    """A discovered file that deploy mode rewrote or file mode lints.

    ``data`` is what was read; ``content`` the same after deploy mode's rewrites (of which
    there were ``deploy_applied``); ``job`` is file mode's work on it, if any.
    """

    path: str
    data: bytes
    content: bytes
    deploy_applied: int
    job: _Job | None
    snapshot: Snapshot | None


def lint_paths(
    paths: Sequence[str],
    config: Config,
    *,
    fix: FixMode = "none",
    diff: bool = False,
    settings_modules: Sequence[str] = (),
    parallel_threshold: int = PARALLEL_THRESHOLD,
) -> RunResult:
    """Lint files and directories (see :mod:`hardsess.lint.discovery`); with ``fix`` write
    the fixes (unless ``diff``: then only produce diffs). ``settings_modules``: deploy mode on
    these dotted settings modules (or paths to them), see the module doc."""
    run = RunResult()
    discovered, missing = discover(
        paths, extend_exclude=config.extend_exclude, exclude_root=config.root
    )
    run.errors.extend(FileError(m, "cannot read: no such file or directory") for m in missing)
    read: dict[str, bytes] = {}
    explicit = {found.path for found in discovered if found.explicit}
    for found in discovered:
        run.files_seen += 1
        try:
            with open(found.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if 0 < config.max_file_size < size:
                    settings = is_settings_path(found.path, config.settings)
                    if _stream_may_matter(handle, settings=settings):
                        run.skipped.append(_too_large(found.path, size, config.max_file_size))
                    continue
                read[found.path] = handle.read()
        except OSError as error:
            run.errors.append(FileError(found.path, f"cannot read: {error.strerror or error}"))
    if any(_may_ask_httponly(data) for data in read.values()):
        config = config._replace(script_cookies=_script_cookies(config, paths))
    # Template sources are not Python until rendered: neither classified nor run in deploy mode.
    python = {path: data for path, data in read.items() if not in_template_directory(path)}
    classifier = _classifier(paths, config, python)
    modules = list(settings_modules) or _discovered_modules(classifier, python)
    lenient = not settings_modules  # discovered modules: see hardsess.lint.deploy.run
    pinned = _pinned_django(config, paths) if modules else None
    if pinned is not None:
        run.django = str(pinned)
    deployed = _deploy(modules, python, config, paths, fix, lenient, pinned) if modules else None
    files: list[_File] = []
    for path, data in read.items():
        if in_template_directory(path):
            # Template source (a {{cookiecutter.*}} directory): not Python until rendered.
            if path in explicit or may_matter(
                data, settings=is_settings_path(path, config.settings)
            ):
                run.skipped.append(Skipped(path, TEMPLATED, "templated"))
            continue
        settings, code = _kind(path, data, config, classifier)
        if settings or code:
            run.files_linted += 1
        content, deploy_applied, job = data, 0, None
        if deployed is not None and Path(path).resolve() in deployed.judged:
            rewritten = deployed.rewritten.get(Path(path).resolve())
            if rewritten is not None:
                content, deploy_applied = rewritten.content, rewritten.applied
            if code_may_matter(content):  # its settings rules are deploy mode's
                job = _Job(path, content, False)
        elif settings or code:
            job = _Job(path, data, settings)
        elif path in explicit and (problem := _syntax_error(path, data)) is not None:
            _add_problem(run, problem, data)
        if job is None and not deploy_applied:
            continue
        snap = None
        if fix != "none" and not diff:
            from hardsess.lint.writer import snapshot

            snap = snapshot(path, data)
        files.append(_File(path, data, content, deploy_applied, job, snap))
    jobs = [f.job for f in files if f.job is not None]
    results = iter(_lint_jobs(jobs, config, fix, parallel_threshold))
    on_disk = dict(read)  # what each file holds after this run, as far as the run knows
    rejudge = False
    for item in files:
        result = next(results) if item.job is not None else None
        if result is not None and result.skipped is not None:
            run.skipped.append(result.skipped)
            continue
        if result is not None and result.error is not None:
            _add_problem(run, result.error, item.data)
            continue
        final = item.content if result is None or result.fixed is None else result.fixed
        applied = item.deploy_applied + (0 if result is None else result.fixes_applied)
        if fix != "none" and final != item.data:
            assert isinstance(final, bytes)
            from hardsess.lint.writer import unchanged, write_atomic

            if diff:
                run.diffs.append(_diff(item.path, item.data, final))
                run.fixes_applied += applied
            elif item.snapshot is not None and unchanged(item.path, item.snapshot):
                write_atomic(item.path, final)
                on_disk[item.path] = final
                run.fixed.append(item.path)
                run.fixes_applied += applied
            else:
                run.not_written.append(item.path)
                rejudge = rejudge or item.deploy_applied > 0
                if item.job is not None:
                    result = _lint_one((item.job._replace(data=item.data), config, "none"))
        if result is not None:
            run.findings.extend(result.findings)
    if deployed is not None:
        if rejudge:
            # A file deploy mode rewrote changed on disk meanwhile and was left alone: judge
            # again, on what was written and what was not, so the findings match the files.
            deployed = _deploy(modules, on_disk, config, paths, "none", lenient, pinned)
        run.findings.extend(deployed.findings)
        run.errors = list(set(run.errors) | set(deployed.errors))
    run.findings.sort()
    run.errors.sort()
    run.skipped.sort()
    return run


def _add_problem(run: RunResult, problem: FileError, data: bytes) -> None:
    """An error of one file, unless it is a template that does not parse: that is skipped."""
    if problem.reason.startswith("cannot parse") and has_template_syntax(data):
        run.skipped.append(Skipped(problem.path, TEMPLATED, "templated"))
    else:
        run.errors.append(problem)


def _too_large(path: str, size: int, cap: int) -> Skipped:
    return Skipped(path, f"skipped: {size} bytes, over max-file-size ({cap} bytes)")


#: Chunks of an oversized file the pre-filter reads at a time.
_CHUNK = 1 << 20


def _stream_may_matter(handle: BinaryIO, *, settings: bool) -> bool:
    """The pre-filter on a file too large to read whole: chunk by chunk, each chunk searched
    with the tail of the previous one in front so a trigger split between chunks is found."""
    triggers = (*CODE_TRIGGERS, *SETTINGS_TRIGGERS) if settings else CODE_TRIGGERS
    overlap = max(len(t) for t in triggers) - 1
    tail = b""
    while chunk := handle.read(_CHUNK):
        window = tail + chunk
        if may_matter(window, settings=settings):
            return True
        tail = window[-overlap:]
    return False


def _classifier(paths: Sequence[str], config: Config, read: Mapping[str, bytes]) -> Classifier:
    """The project's settings modules, classified from its own files (hardsess.lint.project)."""
    roots = project_roots(paths, config.root)
    return Classifier(
        roots,
        deployed_patterns=config.deployed,
        development_patterns=config.development,
        config_root=config.root,
        refs=references(roots, read),
        copies=copied_modules(roots),
        names=deployment_names(roots),
    )


def _discovered_modules(classifier: Classifier, read: Mapping[str, bytes]) -> list[str]:
    """Deploy mode's modules when none is given: those the project deploys (wsgi.py, asgi.py,
    manage.py, Dockerfiles, ...) whose file is among the files linted here, so linting one
    staged view never judges the whole project, and a run on the project judges what it
    deploys."""
    linted = {Path(os.path.realpath(path)) for path in read}
    chosen: list[str] = []
    for module in classifier.deployed_modules():
        file = classifier.locate(module)
        if file in linted:
            # As a path: deploy mode then starts importing where Python would for that file
            # (``src/`` of a ``src/manage.py`` project), which the run's roots may not hold.
            chosen.append(str(file))
    return chosen


def _kind(path: str, data: bytes, config: Config, classifier: Classifier) -> tuple[bool, bool]:
    """Whether the settings rules and the code rules can matter in this file: the byte
    pre-filter first, then the path or content test for settings, then the classification
    (development settings and test code are not reported; docs/deploy-mode.md)."""
    code = code_may_matter(data)
    settings = settings_may_matter(data) and is_settings_module(path, data, config.settings)
    if not (settings or code):
        return False, False
    if classifier.is_test_code(path):
        return False, False
    if settings and classifier.is_development(path):
        settings = False
    return settings, code


def _syntax_error(path: str, data: bytes) -> FileError | None:
    """Why a file named on the command line, which the pre-filter let pass unparsed, is not
    valid Python (None when it is). As in ruff, naming a file that does not parse is an error
    (exit 2) even when it could hold no finding; files found by walking a directory are only
    parsed when they may matter, so this cost is paid for named files alone."""
    if b"\0" in data:
        return FileError(path, "cannot parse: binary file (contains NUL bytes)")
    from hardsess.lint.budget import screen

    screened = screen(data, path)
    if screened is None or screened.skip:
        return None  # too deep for Python to build: not linted, and it could hold nothing
    return screened.error(path)


def _deploy(
    modules: Sequence[str],
    read: Mapping[str, bytes],
    config: Config,
    paths: Sequence[str],
    fix: FixMode,
    lenient: bool,
    pinned: PinnedDjango | None = None,
) -> DeployResult:
    """Deploy mode on the files as read here (libcst and the rules load only now), with
    Django's defaults of the release the project pins (``pinned``; None: the installed one)."""
    from hardsess.lint.deploy import Linted, run
    from hardsess.policy.defaults import assumed_django

    linted = {Path(path).resolve(): Linted(path, data) for path, data in read.items()}
    version, source = (None, "") if pinned is None else pinned
    with assumed_django(version, source):
        return run(modules, config=config, paths=paths, fix=fix, linted=linted, lenient=lenient)


#: A file that may get an HttpOnly finding: it sets a cookie in code, or writes an
#: ``*_HTTPONLY`` setting to something other than True. Only then is the script scan worth it.
_HTTPONLY_NOT_TRUE = re.compile(rb"_HTTPONLY\b(?!\s*=\s*True\b)")


def _may_ask_httponly(data: bytes) -> bool:
    return b"set_cookie" in data or (
        b"_HTTPONLY" in data and _HTTPONLY_NOT_TRUE.search(data) is not None
    )


def _project_roots(config: Config, paths: Iterable[str]) -> list[Path]:
    """Where the project lives: the directory of its pyproject.toml, else the directories
    linted (a file's own directory), walked up to the nearest one holding ``.git``."""
    if config.root is not None:
        return [config.root]
    roots: list[Path] = []
    for given in paths:
        path = Path(given).resolve()
        start = path if path.is_dir() else path.parent
        root = next((p for p in (start, *start.parents) if (p / ".git").exists()), start)
        if root not in roots:
            roots.append(root)
    return roots


def _script_cookies(config: Config, paths: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The cookie names the project's JavaScript reads, scanned once per run."""
    from hardsess.lint.script_cookies import scan

    roots = _project_roots(config, paths)
    return scan(roots, base=Path.cwd())


def _pinned_django(config: Config, paths: Sequence[str]) -> PinnedDjango | None:
    from hardsess.lint.django_version import find_pinned, find_pinned_below

    roots = _project_roots(config, paths)
    for root in roots:
        found = find_pinned(root)
        if found is not None:
            return found
    # A monorepo keeps the Django project in a subdirectory (``apps/api/requirements``).
    for root in roots:
        found = find_pinned_below(root)
        if found is not None:
            return found
    return None


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
    from hardsess.lint.budget import OverBudget, deadline
    from hardsess.lint.linter import FileResult, lint_data
    from hardsess.lint.registry import load_rules

    job, config, fix = arguments
    try:
        rules = load_rules()  # imported once per process, outside any one file's budget
        with deadline(config.file_timeout):
            return lint_data(
                job.data, job.path, config, fix=fix, is_settings=job.is_settings, rules=rules
            )
    except OverBudget:
        result = FileResult(job.path)
        reason = f"skipped: over the time budget ({config.file_timeout:g} s, file-timeout)"
        result.skipped = Skipped(job.path, reason)
        return result
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
