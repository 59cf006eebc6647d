"""``hardsess`` console entry point: ``hardsess lint [PATHS...]`` and ``hardsess --version``.

Exit codes (RULES.md): 0 nothing found or everything fixed; 1 findings remain; 2 usage error
(``--select ""`` included: it would select nothing), a bad configuration, or a file that
cannot be read or parsed (reported as ``path: cannot parse: reason``; the other files are
still linted and reported), or with ``--strict`` a file skipped for the per-file budget.
``--exit-zero`` makes every completed run exit 0. Skipped files (budget, templates) are
reported as ``path: skipped: reason`` and do not change the exit code otherwise. A file
named on the command line is always parsed, even when the pre-filter says it cannot matter.

Startup stays small: argparse, the config reader and the pre-filter; libcst and the rule
modules are imported only once a file passes the pre-filter, the reporters only when used.
:func:`add_lint_arguments` and :func:`run_lint` are reused by ``manage.py hardsess lint``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from hardsess import __version__

__all__ = ["add_lint_arguments", "main", "run_lint"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")


def _ids(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def _selection(value: str) -> list[str]:
    """``--select``'s value: at least one selector. ``--select ""`` (an unset shell variable,
    a template left empty) would otherwise select no rule and pass every file: a usage
    error (exit 2), not a silent green run."""
    ids = _ids(value)
    if not ids:
        raise argparse.ArgumentTypeError(
            f"no rule selected by {value!r}: give rule IDs or prefixes (HS101, HS1) or ALL"
        )
    return ids


def add_lint_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``hardsess lint`` (also used by the management command)."""
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default: .)"
    )
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff: also unsafe fixes"
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
    parser.add_argument(
        "--select", type=_selection, action="extend", metavar="IDS",
        help="comma-separated rule IDs or prefixes to run (replaces the configured selection)",
    )  # fmt: skip
    parser.add_argument(
        "--ignore", type=_ids, action="extend", metavar="IDS",
        help="comma-separated rule IDs or prefixes to skip",
    )  # fmt: skip
    parser.add_argument(
        "--settings", action="append", metavar="MODULE",
        help="deploy mode: the settings module to resolve (e.g. proj.settings.prod)",
    )  # fmt: skip
    parser.add_argument(
        "--format", "--output-format", dest="format", choices=FORMATS, default="text",
        help="output format (default: text)",
    )  # fmt: skip
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--exit-zero", action="store_true",
        help="exit 0 even when findings remain or files cannot be linted",
    )  # fmt: skip
    parser.add_argument(
        "--strict", action="store_true",
        help="exit 2 when a file is skipped for the size or time budget",
    )  # fmt: skip
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument(
        "--show-rules", action="store_true", help="list the rules (selected ones marked) and exit"
    )
    parser.add_argument("--config", metavar="PYPROJECT", help="read [tool.hardsess] from this file")


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter with the width given: without it, argparse imports shutil (and
    with it bz2, lzma, zlib) on every run just to measure the terminal."""
    try:
        width = int(os.environ.get("COLUMNS", "100")) - 2
    except ValueError:
        width = 98
    return argparse.HelpFormatter(prog, width=max(width, 40))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hardsess",
        formatter_class=_formatter,
        description="Harden Django sessions and cookies: lint settings and cookie-setting code.",
    )
    parser.add_argument("--version", action="version", version=f"hardsess {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    lint = commands.add_parser(
        "lint",
        formatter_class=_formatter,
        help="lint settings files and code",
        description="Lint Django settings files and set_cookie calls. Exit: 0 clean, "
        "1 findings remain, 2 usage error or unreadable/unparsable input.",
    )
    add_lint_arguments(lint)
    return parser


def _use_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _show_rules(config: object, out: TextIO) -> None:
    from hardsess.lint.config import Config
    from hardsess.policy import CATALOGUE

    assert isinstance(config, Config)
    for rule in CATALOGUE:
        mark = "*" if config.is_selected(rule.id, opt_in=rule.opt_in) else " "
        extra = " (opt-in)" if rule.opt_in else ""
        out.write(
            f"{mark} {rule.id}  {rule.severity.value:<6}  {rule.name:<32} {rule.summary}{extra}\n"
        )


def run_lint(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``hardsess lint`` with parsed ``args``; returns the exit code."""
    from pathlib import Path

    from hardsess.lint.config import ConfigError, load_config

    paths: list[str] = list(args.paths) or ["."]
    try:
        config = load_config(paths, pyproject=Path(args.config) if args.config else None)
    except ConfigError as error:
        stderr.write(f"hardsess: {error}\n")
        return EXIT_ERROR
    config = config.with_overrides(select=args.select, ignore=args.ignore)
    unknown = _unknown_selectors([*(config.select or ()), *config.ignore])
    if unknown:
        stderr.write(f"hardsess: unknown rule selector(s): {', '.join(unknown)}\n")
        return EXIT_ERROR
    if args.show_rules:
        _show_rules(config, stdout)
        return EXIT_CLEAN
    if args.unsafe_fixes and not (args.fix or args.diff):
        stderr.write("hardsess: --unsafe-fixes needs --fix or --diff\n")
        return EXIT_ERROR

    from hardsess.lint.runner import FixMode, lint_paths

    fixing = args.fix or args.diff
    mode: FixMode = ("unsafe" if args.unsafe_fixes else "safe") if fixing else "none"
    # Deploy mode (--settings, or `settings` in the config) is decided by the runner per file.
    modules = list(args.settings or config.settings)
    run = lint_paths(paths, config, fix=mode, diff=args.diff, settings_modules=modules)

    for path in run.not_written:
        stderr.write(f"{path}: changed on disk while being linted; fixes not written\n")
    return _report(args, run, config, stdout, stderr)


def _unknown_selectors(selectors: Sequence[str]) -> list[str]:
    from hardsess.lint.config import matches
    from hardsess.policy import CATALOGUE

    return [s for s in selectors if not any(matches(rule.id, s) for rule in CATALOGUE)]


def _report(
    args: argparse.Namespace, run: object, config: object, stdout: TextIO, stderr: TextIO
) -> int:
    from hardsess.lint.config import Config
    from hardsess.lint.runner import RunResult

    assert isinstance(run, RunResult)
    assert isinstance(config, Config)
    target: TextIO = stdout
    handle = None
    if args.output:
        try:
            handle = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as error:
            stderr.write(f"hardsess: cannot write {args.output}: {error.strerror}\n")
            return EXIT_ERROR
        target = handle
    try:
        if args.format == "text":
            # Errors go to stderr in text mode; structured formats carry them themselves.
            for problem in run.errors:
                stderr.write(f"{problem}\n")
            for skipped in run.skipped:
                stderr.write(f"{skipped}\n")
        if args.diff:
            for diff in run.diffs:
                target.write(diff)
            stderr.write(
                f"{run.fixes_applied} fix(es) would be applied; "
                f"{len(run.findings)} finding(s) would remain\n"
            )
        elif args.statistics and args.format == "text":
            from hardsess.lint.reporters.text import statistics

            target.write(statistics(run))
        else:
            from hardsess.lint.reporters import render

            color = handle is None and args.format == "text" and _use_color(stdout)
            target.write(render(args.format, run, color=color))
    finally:
        if handle is not None:
            handle.close()
    if args.exit_zero:
        return EXIT_CLEAN
    strict = args.strict or config.strict
    if run.errors or (strict and any(s.kind == "budget" for s in run.skipped)):
        return EXIT_ERROR
    if (args.diff and run.diffs) or run.findings:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; returns the exit code (``hardsess = "hardsess.cli:main"``)."""
    parser = _parser()
    args = parser.parse_args(argv)  # usage errors exit 2, as argparse does
    if args.command != "lint":
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return run_lint(args, sys.stdout, sys.stderr)
    except BrokenPipeError:  # `hardsess lint | head`
        return EXIT_FINDINGS


if __name__ == "__main__":
    raise SystemExit(main())
