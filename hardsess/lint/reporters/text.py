"""``path:line:col: ID message`` lines, a summary, and the --statistics table."""

from __future__ import annotations

from collections import Counter

from hardsess.lint.finding import Finding
from hardsess.lint.runner import RunResult

__all__ = ["render", "statistics"]

_RED, _YELLOW, _BLUE, _BOLD, _DIM, _RESET = (
    "\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[2m", "\x1b[0m",
)  # fmt: skip
_SEVERITY_COLOR = {"high": _RED, "medium": _YELLOW, "low": _BLUE}


def line(finding: Finding, *, color: bool = False) -> str:
    """One finding: ``path:line:col: ID message`` (``[*]`` marks a safe fix, as ruff does)."""
    mark = " [*]" if finding.fix == "safe" else ""
    if not color:
        return (
            f"{finding.path}:{finding.line}:{finding.column}: "
            f"{finding.rule_id}{mark} {finding.message}"
        )
    tint = _SEVERITY_COLOR.get(finding.severity, "")
    return (
        f"{_BOLD}{finding.path}{_RESET}:{finding.line}:{finding.column}: "
        f"{tint}{_BOLD}{finding.rule_id}{_RESET}{mark} {finding.message}"
    )


def summary(run: RunResult) -> str:
    """The closing lines: counts, what --fix / --unsafe-fixes would do, what was fixed."""
    parts: list[str] = []
    if run.fixes_applied and run.fixed:
        parts.append(f"Fixed {run.fixes_applied} finding(s) in {len(run.fixed)} file(s).")
    count = len(run.findings)
    if count:
        safe = sum(1 for f in run.findings if f.fix == "safe")
        unsafe = sum(1 for f in run.findings if f.fix == "unsafe")
        text = f"Found {count} finding(s)"
        hints = []
        if safe:
            hints.append(f"{safe} fixable with --fix")
        if unsafe:
            hints.append(f"{unsafe} more with --fix --unsafe-fixes")
        parts.append(text + (f" ({'; '.join(hints)})." if hints else "."))
    elif not run.errors:
        parts.append("No findings.")
    if run.errors:
        parts.append(f"{len(run.errors)} file(s) could not be linted.")
    if run.skipped:
        parts.append(f"{len(run.skipped)} file(s) skipped (listed on standard error).")
    if run.django:
        parts.append(f"Deploy mode judged Django's defaults as of {run.django}.")
    return "\n".join(parts)


def render(run: RunResult, *, color: bool = False) -> str:
    out = [line(f, color=color) for f in run.findings]
    tail = summary(run)
    if tail:
        out.append(tail)
    return "\n".join(out) + "\n"


def statistics(run: RunResult) -> str:
    """One row per rule: count, ID, name, ``[*]`` when every finding has a safe fix."""
    counts = Counter(f.rule_id for f in run.findings)
    names = {f.rule_id: f.name for f in run.findings}
    fixable = {
        rule_id: all(f.fix == "safe" for f in run.findings if f.rule_id == rule_id)
        for rule_id in counts
    }
    width = max((len(str(c)) for c in counts.values()), default=1)
    rows = [
        f"{count:>{width}}  {rule_id}  {'[*]' if fixable[rule_id] else '   '} {names[rule_id]}"
        for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join(rows) + ("\n" if rows else "")
