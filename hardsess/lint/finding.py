"""What the engine reports: findings and files it could not lint. Plain, picklable records.

This module imports nothing heavy: reporters and worker processes pass these around. They are
named tuples (immutable, hashable, ordered by path, line, column, rule) rather than
dataclasses because the linter's start-up time matters: a pre-commit hook lints one file.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FileError", "Finding"]


class Finding(NamedTuple):
    """One finding of one rule in one file.

    ``line`` / ``column`` are 1-based and point at the start of the node the rule reported;
    ``end_line`` / ``end_column`` at its end (``end_column`` is exclusive, 1-based).
    ``fix`` is ``"safe"`` or ``"unsafe"`` when a fix is available, else None. ``source_line``
    is the text of ``line`` (fingerprints hash it). ``setting`` is the setting or keyword the
    verdict is about.
    """

    path: str
    line: int
    column: int
    rule_id: str
    message: str
    end_line: int
    end_column: int
    name: str
    severity: str
    setting: str | None = None
    fix: str | None = None
    fix_description: str = ""
    source_line: str = ""


class FileError(NamedTuple):
    """A file that could not be read or parsed; reported as ``path: cannot parse: reason``."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
