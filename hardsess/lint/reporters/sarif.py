"""``--format sarif``: SARIF 2.1.0 as GitHub code scanning reads it.

* ``runs[0].tool.driver.rules``: every catalogue rule, with ``id``, ``name``,
  ``shortDescription``, ``fullDescription``, ``help`` (``text`` and ``markdown``),
  ``helpUri``, ``defaultConfiguration.level`` and ``properties`` (``security-severity``,
  ``precision``, ``problem.severity`` and ``tags``: ``security`` and ``external/cwe/cwe-N``).
* ``results``: ``ruleId``, ``ruleIndex`` (into ``rules``), ``level`` (high: error, medium:
  warning, low: note), ``message.text``, one ``locations[0].physicalLocation`` with an
  ``artifactLocation.uri`` relative to the current directory (``uriBaseId`` ``%SRCROOT%``)
  and a ``region`` (1-based ``startLine``/``startColumn``/``endLine``/``endColumn``, end
  column exclusive), and ``partialFingerprints["hardsess/v1"]``: a SHA-256 of rule ID,
  path, the finding's source line with whitespace collapsed, and the occurrence index of
  that triple in the file, so a finding keeps its fingerprint when lines move.
* Files that could not be parsed: ``invocations[0].toolExecutionNotifications`` of level
  ``error`` (with a ``region`` at the syntax error when its position is known), and
  ``executionSuccessful`` false. Skipped files (budget, templates): notifications of level
  ``warning``, which leave ``executionSuccessful`` alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hardsess import __version__
from hardsess.lint.finding import Finding
from hardsess.lint.runner import RunResult
from hardsess.policy import CATALOGUE, Rule, Severity

__all__ = ["fingerprint", "render", "sarif_document"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/hardsess/hardsess"
_LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
_LEVEL_BY_NAME = {s.value: level for s, level in _LEVEL.items()}


def _uri(path: str) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = Path(absolute).relative_to(Path.cwd()).as_posix()
    except ValueError:
        relative = Path(absolute).as_posix().lstrip("/")
    return quote(relative, safe="/")


def _normalized(line: str) -> str:
    return " ".join(line.split())


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable across runs and line moves: rule, path, normalized source line, occurrence."""
    material = "\0".join(
        (finding.rule_id, _uri(finding.path), _normalized(finding.source_line), str(occurrence))
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _rule(rule: Rule) -> dict[str, Any]:
    tags = ["security"]
    if rule.cwe is not None:
        tags.append(f"external/cwe/cwe-{rule.cwe}")
    fix = f"\n\nFix: {rule.fix_summary}" if rule.fix_summary else ""
    markdown = f"**{rule.summary}**\n\n{rule.help}{fix}\n\n[{rule.id} documentation]({rule.url})"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.help},
        "help": {"text": f"{rule.help}{fix}", "markdown": markdown},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "security-severity": rule.severity.security_severity,
            "precision": "high",
            "problem.severity": _LEVEL[rule.severity]
            if _LEVEL[rule.severity] != "note"
            else "recommendation",
            "tags": tags,
        },
    }


def sarif_document(run: RunResult) -> dict[str, Any]:
    """The SARIF log as Python data."""
    index = {rule.id: i for i, rule in enumerate(CATALOGUE)}
    seen: Counter[tuple[str, str, str]] = Counter()
    results: list[dict[str, Any]] = []
    for f in run.findings:
        key = (f.rule_id, f.path, _normalized(f.source_line))
        occurrence = seen[key]
        seen[key] += 1
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "level": _LEVEL_BY_NAME.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ],
            "partialFingerprints": {"hardsess/v1": fingerprint(f, occurrence)},
        }
        if f.rule_id in index:
            result["ruleIndex"] = index[f.rule_id]
        results.append(result)
    notifications: list[dict[str, Any]] = []
    for e in run.errors:
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(e.path)}}
        if e.line:
            region = {"startLine": e.line}
            if e.column:
                region["startColumn"] = e.column
            location["region"] = region
        notifications.append(
            {
                "level": "error",
                "message": {"text": e.reason},
                "locations": [{"physicalLocation": location}],
            }
        )
    for s in run.skipped:
        notifications.append(
            {
                "level": "warning",
                "message": {"text": s.reason},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(s.path)}}}],
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hardsess",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(rule) for rule in CATALOGUE],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not run.errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(run: RunResult, *, color: bool = False) -> str:
    return json.dumps(sarif_document(run), indent=2) + "\n"
