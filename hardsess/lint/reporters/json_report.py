"""``--format json``: one JSON document, versioned (docs/cli.md documents every field).

Version 1::

    {
      "version": 1,
      "tool": {"name": "hardsess", "version": "0.1.0"},
      "findings": [
        {"rule_id": "HS101", "name": "session-cookie-not-secure", "severity": "high",
         "message": "...", "path": "proj/settings.py", "line": 3, "column": 1,
         "end_line": 3, "end_column": 30, "setting": "SESSION_COOKIE_SECURE",
         "fix": {"applicability": "safe", "description": "set True"} or null,
         "cwe": 614 or null, "url": "https://.../rules.md#hs101"}
      ],
      "errors": [{"path": "broken.py", "message": "cannot parse: ...", "line": 3,
                  "column": 7}],
      "skipped": [{"path": "huge.py", "kind": "budget", "message": "skipped: ..."}],
      "summary": {"findings": 1, "errors": 1, "skipped": 1, "files_seen": 10,
                  "files_linted": 2, "fixes_applied": 0, "fixed_files": [],
                  "django": "Django 4.2 (from requirements.txt)" or null}
    }

Additions keep the version; a removal or change of meaning bumps it.
"""

from __future__ import annotations

import json
from typing import Any

from hardsess import __version__
from hardsess.lint.finding import Finding
from hardsess.lint.runner import RunResult
from hardsess.policy import by_id

__all__ = ["SCHEMA_VERSION", "document", "render"]

SCHEMA_VERSION = 1


def _finding(finding: Finding) -> dict[str, Any]:
    try:
        rule = by_id(finding.rule_id)
        cwe, url = rule.cwe, rule.url
    except KeyError:
        cwe, url = None, None
    return {
        "rule_id": finding.rule_id,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "setting": finding.setting,
        "fix": None
        if finding.fix is None
        else {"applicability": finding.fix, "description": finding.fix_description},
        "cwe": cwe,
        "url": url,
    }


def document(run: RunResult) -> dict[str, Any]:
    """The JSON document as Python data."""
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "hardsess", "version": __version__},
        "findings": [_finding(f) for f in run.findings],
        "errors": [
            {
                "path": e.path,
                "message": e.reason,
                "line": e.line or None,
                "column": e.column or None,
            }
            for e in run.errors
        ],
        "skipped": [{"path": s.path, "kind": s.kind, "message": s.reason} for s in run.skipped],
        "summary": {
            "findings": len(run.findings),
            "errors": len(run.errors),
            "skipped": len(run.skipped),
            "files_seen": run.files_seen,
            "files_linted": run.files_linted,
            "fixes_applied": run.fixes_applied,
            "fixed_files": list(run.fixed),
            "django": run.django or None,
        },
    }


def render(run: RunResult, *, color: bool = False) -> str:
    return json.dumps(document(run), indent=2) + "\n"
