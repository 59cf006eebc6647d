"""Wall-clock helpers shared by the linter benchmarks: run a command, take medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

#: The virtualenv's bin directory: console scripts (hardsess, bandit, fixit) live beside python.
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    path = BIN / name
    if not path.exists():
        raise SystemExit(f"{name} is not installed in {BIN}: run `make bench` (installs .[bench])")
    return str(path)


def wall(command: Sequence[str], *, ok: Sequence[int] = (0, 1), cwd: Path | None = None) -> float:
    """Seconds one run of ``command`` takes; fails loudly when it exits outside ``ok``.

    Findings make linters exit 1, which is a successful run here; anything else (usage error,
    crash) would make the timing meaningless, so it stops the benchmark.
    """
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(
            f"{command[0]} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    return elapsed


def runs(name: str, default: int) -> int:
    """Repetitions, overridable with e.g. ``HARDSESS_BENCH_BANDIT_RUNS=3``."""
    return int(os.environ.get(f"HARDSESS_BENCH_{name.upper()}_RUNS", default))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
