"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=HS101::message`` (GitHub shows
the title, the rule ID, as the annotation's heading). Every finding
is an ``error`` annotation (as ruff does); files that cannot be parsed are ``error`` too,
at the syntax error's line and column (line 1 when there is no position: an unreadable
file); skipped files (budget, templates) are ``warning`` annotations at line 1. Values are
escaped as the Actions toolkit does (``%``, CR, LF, and in properties ``:`` and ``,``).
"""

from __future__ import annotations

from hardsess.lint.runner import RunResult

__all__ = ["render"]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(run: RunResult, *, color: bool = False) -> str:
    out: list[str] = []
    for f in run.findings:
        out.append(
            f"::error file={_property(f.path)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},"
            f"title={_property(f.rule_id)}::{_data(f.message)}"
        )
    for e in run.errors:
        where = f"line={e.line or 1}" + (f",col={e.column}" if e.line and e.column else "")
        out.append(f"::error file={_property(e.path)},{where},title=hardsess::{_data(e.reason)}")
    for s in run.skipped:
        out.append(f"::warning file={_property(s.path)},line=1,title=hardsess::{_data(s.reason)}")
    return "".join(line + "\n" for line in out)
