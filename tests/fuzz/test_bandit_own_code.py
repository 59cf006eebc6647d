"""bandit over hardsess's own code: no finding of medium or high severity.

A security package is held to the scanner it plugs into (``bandit -r hardsess lint_rules -ll``,
the hardsess bandit plugin included, as installed). A false positive is settled in the code, with
``# nosec <test id>`` and the reason beside it, never by skipping a test here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent

# Slow-marked although it is one process: its answer does not depend on the Django version, so
# the version matrix (which runs `-m "not slow"` six times) need not pay for it six times.
pytestmark = pytest.mark.slow


def test_bandit_finds_nothing_medium_or_high() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            *("-r", "hardsess", "lint_rules", "-ll", "-q", "-f", "json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    report = json.loads(proc.stdout)
    findings = [
        f"{r['filename']}:{r['line_number']}: {r['test_id']} {r['issue_severity']}"
        f"/{r['issue_confidence']}: {r['issue_text']}"
        for r in report["results"]
    ]
    scanned = report["metrics"]["_totals"]["loc"]
    print(f"\nbandit: {scanned} lines scanned, {len(findings)} medium/high findings")
    assert scanned > 1000, "bandit scanned almost nothing: wrong paths?"
    assert not report["errors"], report["errors"]
    assert not findings, "\n".join(findings)
    assert proc.returncode == 0, proc.stderr
