"""Suppression comments, looked up only for lines that have a finding.

Honoured forms (case-insensitive keywords, IDs exact)::

    x = ...  # hardsess: ignore[HS101]        one or more IDs, comma-separated
    x = ...  # hardsess: ignore[HS101, HS102]
    x = ...  # hardsess: ignore               every hardsess rule on this statement
    x = ...  # noqa: HS101                    ruff/flake8 style, one or more IDs
    x = ...  # noqa                           bare noqa: every rule (as in ruff and flake8)

A comment counts on the finding's own line, or on the first or last line of the statement
that holds it (so a multi-line ``MIDDLEWARE = [...]`` can carry it after ``]``). A ``noqa``
naming only other tools' codes (``# noqa: E501``) suppresses nothing here. The search is
textual on those few lines: a ``#`` inside a string on the same line can look like a
comment; that only ever silences a finding on that very line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = ["is_suppressed", "suppressed_ids"]

_HARDSESS = re.compile(r"#\s*hardsess:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa\b(?::\s*([A-Za-z0-9_,\s]+))?", re.IGNORECASE)
_ALL = "*"


def suppressed_ids(line: str) -> frozenset[str]:
    """IDs a line's comments suppress; ``{"*"}`` for all. Empty when there is no comment."""
    if "#" not in line:
        return frozenset()
    found: set[str] = set()
    for match in _HARDSESS.finditer(line):
        ids = match.group(1)
        found.update(_ids(ids) if ids is not None and ids.strip() else (_ALL,))
    for match in _NOQA.finditer(line):
        ids = match.group(1)
        found.update(_ids(ids) if ids is not None and ids.strip() else (_ALL,))
    return frozenset(found)


def _ids(text: str) -> Iterable[str]:
    return (part.strip().upper() for part in re.split(r"[,\s]+", text) if part.strip())


def is_suppressed(rule_id: str, lines: Sequence[str], numbers: Iterable[int]) -> bool:
    """Whether any of the 1-based line ``numbers`` of ``lines`` suppresses ``rule_id``."""
    for number in set(numbers):
        if 1 <= number <= len(lines):
            ids = suppressed_ids(lines[number - 1])
            if _ALL in ids or rule_id in ids:
                return True
    return False
