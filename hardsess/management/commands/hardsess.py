"""``manage.py hardsess <tool> ...``: one command, one subcommand per tool.

* ``keys``: key generation and staged rotation (:mod:`hardsess.management.keys`).
* ``cookies``: what the fleet's firewalls observed of each cookie, and the policy to paste
  before enforcing (:mod:`hardsess.management.cookies`).
* ``lint``: the linter on the active settings module, implemented by
  ``hardsess.management.lint_command`` (``add_arguments(parser)`` and
  ``handle(options, stdout, stderr) -> int``), imported only when needed.

A tool's ``handle`` returns an exit status; a non-zero one ends the process with it when run
from the command line, and raises CommandError (with that ``returncode``) under call_command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hardsess.management import cookies, keys

LINT_MODULE = "hardsess.management.lint_command"


def _lint_module() -> ModuleType | None:
    try:
        return importlib.import_module(LINT_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != LINT_MODULE:  # a missing dependency inside it is a real error
            raise
        return None


class Command(BaseCommand):
    help = "hardsess tools: `keys` (generate, status, plan), `cookies` and `lint`."
    # Both subcommands exist to diagnose a project, including one whose settings the system
    # checks reject: `lint` reports those findings itself, and a key rotation must not wait on
    # an unrelated check error.
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        tools = parser.add_subparsers(dest="tool", required=True, metavar="{keys,cookies,lint}")
        keys.add_arguments(tools.add_parser("keys", help="signing keys and staged rotation"))
        cookies.add_arguments(
            tools.add_parser("cookies", help="cookies the fleet observed; the policy to paste")
        )
        lint_parser = tools.add_parser("lint", help="lint the active settings and the project")
        lint = _lint_module()
        if lint is not None:
            lint.add_arguments(lint_parser)
        else:
            lint_parser.add_argument("lint_args", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        tool = options["tool"]
        if tool == "keys":
            status = keys.handle(options, self.stdout, self.stderr)
        elif tool == "cookies":
            status = cookies.handle(options, self.stdout, self.stderr)
        else:
            lint = _lint_module()
            if lint is None:
                raise CommandError(
                    f"`hardsess lint` is not available: {LINT_MODULE} is not installed"
                )
            status = int(lint.handle(options, self.stdout, self.stderr))
        if status:
            if getattr(self, "_called_from_command_line", False):
                sys.exit(status)
            raise CommandError(f"hardsess {tool} exited with status {status}", returncode=status)
