"""Whole-tree scan: ``hardsess lint`` vs ``bandit -r`` on the installed Django package.

Django's source (~900 Python files, a few settings-like ones) is a large real tree where almost
no file can hold a finding: it measures how much the byte-level pre-filter saves. Both tools
run as subprocesses, as a user runs them; bandit runs its own tests only (the HS tests of
hardsess's bandit plugin are skipped). Goal: hardsess at least 10x faster than bandit.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import django

from benchmarks._lint_timing import median, runs, tool, wall
from hardsess.policy import CATALOGUE


def main() -> None:
    tree = Path(django.__path__[0])
    files = sum(1 for _ in tree.rglob("*.py"))
    hardsess = [tool("hardsess"), "lint", "--exit-zero", str(tree)]
    with tempfile.TemporaryDirectory() as scratch:
        report = str(Path(scratch) / "bandit.json")
        # Plain bandit: skip the HS tests hardsess's bandit plugin adds when it is installed.
        skip = ",".join(rule.id for rule in CATALOGUE)
        bandit = [tool("bandit"), "-r", "-q", "-s", skip, "-f", "json", "-o", report, str(tree)]
        wall(hardsess)  # warm the page cache for both tools
        hardsess_times: list[float] = []
        bandit_times: list[float] = []
        rounds = max(runs("hardsess", 5), runs("bandit", 1))
        # Interleaved, so a busy machine slows both tools alike rather than one of them.
        for round_ in range(rounds):
            if round_ < runs("hardsess", 5):
                hardsess_times.append(wall(hardsess))
            if round_ < runs("bandit", 1):
                bandit_times.append(wall(bandit))
    ours, theirs = median(hardsess_times), median(bandit_times)
    print(f"tree: {tree} ({files} .py files)")
    print(f"hardsess lint  median {ours:7.3f} s over {len(hardsess_times)} runs")
    print(f"bandit -r      median {theirs:7.3f} s over {len(bandit_times)} runs")
    print(f"ratio          hardsess is {theirs / ours:.1f}x faster (goal >= 10x)")
    print(f"load average   {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (at the end)")


if __name__ == "__main__":
    main()
