"""What the engine reports: findings and files it could not lint. Plain, picklable records.

This module imports nothing heavy: reporters and worker processes pass these around.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FileError", "Finding"]


@dataclass(frozen=True, order=True)
class Finding:
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


@dataclass(frozen=True, order=True)
class FileError:
    """A file that could not be read or parsed; reported as ``path: cannot parse: reason``."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
