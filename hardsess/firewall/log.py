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
import threading

__all__ = ["SHOWN_NAME", "OncePerProcess", "logger", "record", "shown"]

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


class OncePerProcess:
    """Remembers which keys a line was already written for, so each is written once.

    For lines that say something about the configuration rather than about one request (the
    same cookie set the same way on every response): the first occurrence is the news, the
    thousandth is noise. At most ``limit`` keys are remembered, so many distinct names (a
    cookie named by id, or names a client can influence) cannot grow it without bound; past the
    limit :meth:`first` answers False for every new key.
    """

    __slots__ = ("_limit", "_lock", "_seen")

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        """True the first time ``key`` is seen (while fewer than ``limit`` keys are), else False."""
        if key in self._seen:  # the common case, without the lock
            return False
        with self._lock:
            if key in self._seen or len(self._seen) >= self._limit:
                return False
            self._seen.add(key)
            return True

    def clear(self) -> None:
        """Forget every key (tests; a settings change)."""
        with self._lock:
            self._seen.clear()
