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

from benchmarks._lint_timing import Timing, measure, medians, runs, tool
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
        measure(hardsess)  # warm the page cache for both tools
        hardsess_times: list[Timing] = []
        bandit_times: list[Timing] = []
        rounds = max(runs("hardsess", 5), runs("bandit", 1))
        # Interleaved, so a busy machine slows both tools alike rather than one of them.
        for round_ in range(rounds):
            if round_ < runs("hardsess", 5):
                hardsess_times.append(measure(hardsess))
            if round_ < runs("bandit", 1):
                bandit_times.append(measure(bandit))
    ours, theirs = medians(hardsess_times), medians(bandit_times)
    print(f"tree: {tree} ({files} .py files)")
    for name, value, count in (
        ("hardsess lint", ours, len(hardsess_times)),
        ("bandit -r", theirs, len(bandit_times)),
    ):
        print(f"{name:14} median {value.wall:7.2f} s wall, {value.cpu:7.2f} s CPU ({count} runs)")
    print(
        f"ratio          hardsess is {theirs.wall / ours.wall:.1f}x faster in wall time, "
        f"{theirs.cpu / ours.cpu:.1f}x in CPU time (goal >= 10x)"
    )
    print(f"load average   {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (at the end)")


if __name__ == "__main__":
    main()
