"""How the firewall writes a log line: the rule ID first, attacker-chosen names bounded.

Every correction, refusal and rejection is one record on the ``hardsess`` logger whose message
starts with the rule it answers to, so a reader can go from the line to docs/rules.md::

    hardsess HS202: corrected cookie 'remember': lifetime capped at 34560000 s
    hardsess HS203 [report-only]: would reject cookie 'prefs' (unsigned)

and whose ``hardsess_rule`` attribute (``extra``) holds the same ID for log pipelines. Values
and secrets are never part of a line; cookie names are passed as ``%r`` arguments (the client
chose them), cut by :func:`shown` where a client could make them long.
"""

from __future__ import annotations

import logging

__all__ = ["SHOWN_NAME", "logger", "record", "shown"]

logger = logging.getLogger("hardsess")

#: Characters of an attacker-chosen cookie name that a log line shows.
SHOWN_NAME = 64


def shown(name: str) -> str:
    """A cookie name as a log line shows it: bounded, since the client chose it."""
    if len(name) <= SHOWN_NAME:
        return name
    return f"{name[:SHOWN_NAME]}...({len(name)} characters)"


def record(level: int, rule: str, report_only: bool, message: str, *args: object) -> None:
    """Log ``message % args`` as ``hardsess <rule>[ [report-only]]: <message>``.

    ``message`` is a constant template (log aggregators group by it); anything the client
    chose goes in ``args``. The record points at the caller (``stacklevel``).
    """
    head = f"hardsess {rule} [report-only]: " if report_only else f"hardsess {rule}: "
    logger.log(level, head + message, *args, extra={"hardsess_rule": rule}, stacklevel=2)
