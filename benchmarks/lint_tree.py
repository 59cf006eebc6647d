"""Whole-tree scan: ``hardsess lint`` vs ``bandit -r`` on the installed Django package.

Django's source (~900 Python files, a few settings-like ones) is a large real tree where almost
no file can hold a finding: it measures how much the byte-level pre-filter saves. Both tools
run as subprocesses, as a user runs them. Goal: hardsess at least 10x faster than bandit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import django

from benchmarks._lint_timing import median, runs, tool, wall


def main() -> None:
    tree = Path(django.__path__[0])
    files = sum(1 for _ in tree.rglob("*.py"))
    hardsess = [tool("hardsess"), "lint", "--exit-zero", str(tree)]
    with tempfile.TemporaryDirectory() as scratch:
        report = str(Path(scratch) / "bandit.json")
        bandit = [tool("bandit"), "-r", "-q", "-f", "json", "-o", report, str(tree)]
        wall(hardsess)  # warm the page cache for both tools
        hardsess_times = [wall(hardsess) for _ in range(runs("hardsess", 5))]
        bandit_times = [wall(bandit) for _ in range(runs("bandit", 1))]
    ours, theirs = median(hardsess_times), median(bandit_times)
    print(f"tree: {tree} ({files} .py files)")
    print(f"hardsess lint  median {ours:7.3f} s over {len(hardsess_times)} runs")
    print(f"bandit -r      median {theirs:7.3f} s over {len(bandit_times)} runs")
    print(f"ratio          hardsess is {theirs / ours:.1f}x faster (goal >= 10x)")


if __name__ == "__main__":
    main()
