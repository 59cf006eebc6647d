"""What the engine reports, and the one path by which a verdict becomes a finding.

The records are plain and picklable (reporters and worker processes pass them around):
:class:`Finding` and :class:`FileError` are named tuples (immutable, hashable, ordered by path,
line, column, rule) rather than dataclasses because the linter's start-up time matters: a
pre-commit hook lints one file. :class:`RunResult` collects a run.

The path: a judge's :class:`~hardsess.policy.Verdict`, the :class:`Location` it points at
and the :class:`Rewrite` that would fix it (if any) become a :class:`Finding` through
:func:`place`. File mode, deploy mode and :func:`hardsess.lint.api.judge_settings` all go
through it, so a finding carries the same fields (severity, setting, fix) whichever mode
found it. Which findings are kept is decided before: selection and per-file ignores by
:class:`hardsess.lint.config.Config`, suppression comments by :mod:`hardsess.lint.suppression`.

This module imports nothing heavy (libcst and the catalogue only for type checking).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import CodeRange

    from hardsess.policy import Rule, Verdict

__all__ = [
    "FileError",
    "Finding",
    "FixMode",
    "Location",
    "Rewrite",
    "RunResult",
    "Skipped",
    "place",
]

#: Which rewrites a run applies: none (report only), the safe ones (``--fix``), or all of them
#: (``--fix --unsafe-fixes``).
FixMode = Literal["none", "safe", "unsafe"]


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
    """A file that could not be read or parsed; reported as ``path: cannot parse: reason``.

    ``line`` / ``column`` (1-based) say where a syntax error is, when known (0: not known);
    ``reason`` then ends with the same position, so every output shows one position.
    """

    path: str
    reason: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Skipped(NamedTuple):
    """A file not linted on purpose: over the size or time budget (``kind`` ``"budget"``,
    :mod:`hardsess.lint.budget`) or a template (``"templated"``,
    :mod:`hardsess.lint.templates`). Not an error: only ``strict`` makes a budget skip exit 2."""

    path: str
    reason: str
    kind: str = "budget"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Location(NamedTuple):
    """Where a finding points: 1-based lines and columns, ``end_column`` exclusive.

    ``end_line`` / ``end_column`` default to the start; ``source_line`` is the text of
    ``line``. :meth:`of` makes one from a libcst range.
    """

    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    source_line: str = ""

    @classmethod
    def of(cls, path: str, where: CodeRange | None, lines: Sequence[str]) -> Location:
        """The location of a node whose libcst range is ``where`` (0-based columns) in a file
        whose text is ``lines``; line 1, column 1 when the node has no range (a verdict
        about a setting the file does not write)."""
        if where is None:
            start_line, start_column, end_line, end_column = 1, 1, 1, 1
        else:
            start_line, start_column = where.start.line, where.start.column + 1
            end_line, end_column = where.end.line, where.end.column + 1
        text = lines[start_line - 1] if 0 < start_line <= len(lines) else ""
        return cls(path, start_line, start_column, end_line, end_column, text)


class Rewrite(NamedTuple):
    """How a finding is fixed: replace ``node`` (found by identity in the parsed module) with
    ``replacement``. The one fix descriptor of file mode and deploy mode alike.

    ``safe`` rewrites are applied by ``--fix``; unsafe ones only with ``--unsafe-fixes``.
    ``description`` says what the rewrite does (``"set True"``); a finding shows both. Comments
    and formatting outside ``node`` are kept; inside it, keep them by building
    ``replacement`` with ``node.with_changes(...)``.
    """

    node: cst.CSTNode
    replacement: cst.CSTNode
    safe: bool = True
    description: str = ""

    @property
    def applicability(self) -> str:
        """``"safe"`` or ``"unsafe"``: what :attr:`Finding.fix` says about this rewrite."""
        return "safe" if self.safe else "unsafe"

    def applies(self, mode: FixMode) -> bool:
        """Whether a run in ``mode`` applies this rewrite."""
        return mode == "unsafe" or (mode == "safe" and self.safe)


def place(rule: Rule, verdict: Verdict, at: Location, rewrite: Rewrite | None = None) -> Finding:
    """The finding of ``rule``'s ``verdict`` at ``at``, with ``rewrite``'s fix information.

    The verdict's own severity wins over the rule's (a judge may grade one case lower).
    """
    return Finding(
        path=at.path,
        line=at.line,
        column=at.column,
        rule_id=rule.id,
        message=verdict.message,
        end_line=at.line if at.end_line is None else at.end_line,
        end_column=at.column if at.end_column is None else at.end_column,
        name=rule.name,
        severity=(verdict.severity or rule.severity).value,
        setting=verdict.setting or None,
        fix=None if rewrite is None else rewrite.applicability,
        fix_description="" if rewrite is None else rewrite.description,
        source_line=at.source_line,
    )


@dataclass
class RunResult:
    """Everything a run found. ``diffs``: unified diffs (``diff=True``); ``fixed``: paths
    written; ``not_written``: paths whose fix was dropped because they changed on disk;
    ``skipped``: files not linted on purpose (budget, templates);
    ``django``: the Django release deploy mode assumed (docs/cli.md)."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    fixes_applied: int = 0
    diffs: list[str] = field(default_factory=list)
    not_written: list[str] = field(default_factory=list)
    files_seen: int = 0
    files_linted: int = 0
    #: The Django release deploy mode judged defaults against (``"Django 4.2 (from
    #: requirements.txt)"``); empty when deploy mode did not run or used the installed one.
    django: str = ""
