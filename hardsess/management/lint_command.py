"""``manage.py hardsess lint``: the linter in deploy mode on the active settings module.

The same options and output formats as ``hardsess lint`` (the argument definitions are the
console command's own, :func:`hardsess.cli.add_lint_arguments`), with one difference: the
active ``DJANGO_SETTINGS_MODULE`` is always resolved in deploy mode (docs/deploy-mode.md), in
addition to any ``--settings`` given. Without paths, the project that holds the settings
module is linted (the directory its top-level package lives in), so the command works from
any working directory.

The settings are read as source, never imported for judgement: the effective values are those
the files say, the same the console command reports in CI. For the values Django really loaded
(environment applied), run ``manage.py check --deploy``.

Exit status as the console command: 0 clean, 1 findings remain, 2 usage error or unreadable
input (the ``hardsess`` command dispatcher turns it into the process status).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from hardsess.cli import add_lint_arguments, run_lint

__all__ = ["active_settings_module", "add_arguments", "handle", "project_root"]


#: Where our ``--settings`` is stored: Django's own ``--settings`` option owns ``settings``
#: (``BaseCommand`` puts it in os.environ, which a list would break).
SETTINGS_DEST = "lint_settings"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``hardsess lint`` (shared definitions, not a copy).

    ``--settings MODULE`` keeps its meaning (deploy mode on MODULE); Django also reads it
    before any command runs and makes MODULE the active settings, so the two agree.
    """
    add_lint_arguments(parser)
    for action in parser._actions:
        if "--settings" in action.option_strings:
            action.dest = SETTINGS_DEST
            action.help = "deploy mode also on MODULE (the active settings always are)"
        elif action.dest == "paths":
            action.help = "files or directories (default: the project of the active settings)"


def active_settings_module() -> str | None:
    """The dotted name of the settings module Django is running with, if any."""
    from django.conf import settings

    if not settings.configured:
        return None
    name = getattr(settings, "SETTINGS_MODULE", None)
    return name if isinstance(name, str) and name else None


def project_root(module: str) -> Path | None:
    """The directory that holds ``module``'s top-level package (found from the imported file)."""
    loaded = sys.modules.get(module)
    filename = getattr(loaded, "__file__", None)
    if not filename:
        return None
    path = Path(filename).resolve()
    depth = module.count(".") + (1 if path.name == "__init__.py" else 0)
    root = path.parent
    for _ in range(depth):
        root = root.parent
    return root


def _shown(path: Path) -> str:
    """``path`` relative to the current directory when under it (as findings show paths)."""
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def _namespace(options: dict[str, Any]) -> argparse.Namespace:
    """The parsed options of the console command, with defaults for what the caller left out
    (``call_command`` passes only what it was given)."""
    parser = argparse.ArgumentParser(add_help=False)
    add_lint_arguments(parser)
    args = parser.parse_args([])
    for key in vars(args):
        if key != "settings" and options.get(key) is not None:
            setattr(args, key, options[key])
    # Ours arrives as a list under SETTINGS_DEST (``call_command`` may pass ``settings=``).
    given = options.get(SETTINGS_DEST) or options.get("settings") or []
    args.settings = [given] if isinstance(given, str) else list(given)
    return args


def handle(options: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    """Run the linter with deploy mode on the active settings module; returns the exit code."""
    args = _namespace(options)
    active = active_settings_module()
    if active is None and not args.settings:
        stderr.write("hardsess lint: no settings module is active (DJANGO_SETTINGS_MODULE)\n")
        return 2
    if active is not None and active not in args.settings:
        args.settings.insert(0, active)
    if not args.paths and active is not None:
        root = project_root(active)
        if root is not None:
            args.paths = [_shown(root)]
    return run_lint(args, stdout, stderr)
