"""Wall-clock helpers shared by the linter benchmarks: run a command, take medians."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The virtualenv's bin directory: console scripts (hardsess, bandit, fixit) live beside python.
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    path = BIN / name
    if not path.exists():
        raise SystemExit(f"{name} is not installed in {BIN}: run `make bench` (installs .[bench])")
    return str(path)


@dataclass(frozen=True)
class Timing:
    """One run: wall-clock seconds, and CPU seconds (user + system) of the child process.

    CPU time is reported beside wall time because on a shared machine wall time mostly
    measures the queue for a core; CPU time stays close to what the run costs on its own.
    """

    wall: float
    cpu: float


#: The environment the timed commands run in: this one, with bytecode caching on. A user's
#: pre-commit hook and CI write ``__pycache__``; with ``PYTHONDONTWRITEBYTECODE=1`` (this
#: machine's default) every run would recompile hardsess's sources, which the floor (libcst,
#: compiled at install time) never does, and the ratio would measure the compiler.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(
    command: Sequence[str], *, ok: Sequence[int] = (0, 1), cwd: Path | None = None
) -> Timing:
    """Time one run of ``command``; fails loudly when it exits outside ``ok``.

    Findings make linters exit 1, which is a successful run here; anything else (usage error,
    crash) would make the timing meaningless, so it stops the benchmark.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=CHILD_ENV, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(
            f"{command[0]} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu)


def runs(name: str, default: int) -> int:
    """Repetitions, overridable with e.g. ``HARDSESS_BENCH_BANDIT_RUNS=3``."""
    return int(os.environ.get(f"HARDSESS_BENCH_{name.upper()}_RUNS", default))


def medians(timings: Sequence[Timing]) -> Timing:
    """Median wall time and median CPU time (each on its own) of several runs."""
    return Timing(
        statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings)
    )
