"""One settings file as a pre-commit hook sees it: a fresh process per run.

The file is the ``settings.py`` that ``django-admin startproject`` generates. Three commands run
interleaved, round after round, so machine noise hits all three alike:

- ``hardsess lint F``
- ``fixit lint F`` (Fixit 2 with its default rules: it parses the file with libcst too)
- the floor: ``python -c "import libcst; libcst.parse_module(...)"``, the least any
  libcst-based linter can do for this file.

Goals: hardsess at least 2x faster than Fixit, and within 1.25x of the floor.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._lint_timing import Timing, measure, medians, runs, tool

FLOOR = "import sys, libcst; libcst.parse_module(open(sys.argv[1], encoding='utf-8').read())"


def startproject_settings(where: Path) -> Path:
    """Generate a project with ``django-admin startproject`` and return its settings.py.

    The project's name must not read as a test or development one (``site_under_test`` did:
    its settings are then quiet, and the benchmark would time a run that judges nothing)."""
    subprocess.run([tool("django-admin"), "startproject", "benchsite", str(where)], check=True)
    return where / "benchsite" / "settings.py"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = startproject_settings(Path(scratch))
        commands = {
            "hardsess lint": [tool("hardsess"), "lint", str(settings)],
            "fixit lint": [tool("fixit"), "lint", str(settings)],
            "libcst floor": [sys.executable, "-c", FLOOR, str(settings)],
        }
        times: dict[str, list[Timing]] = {name: [] for name in commands}
        for command in commands.values():
            measure(command)  # warm-up round, not counted
        for _ in range(runs("file", 20)):
            for name, command in commands.items():
                times[name].append(measure(command, cwd=Path(scratch)))
    result = {name: medians(values) for name, values in times.items()}
    for name, value in result.items():
        print(
            f"{name:14} median {value.wall * 1000:7.1f} ms wall, {value.cpu * 1000:7.1f} ms CPU"
            f" ({len(times[name])} runs)"
        )
    ours, fixit, floor = result["hardsess lint"], result["fixit lint"], result["libcst floor"]
    print(
        f"vs fixit       {fixit.wall / ours.wall:.2f}x faster in wall time, "
        f"{fixit.cpu / ours.cpu:.2f}x in CPU time (goal >= 2x)"
    )
    print(
        f"vs floor       {ours.wall / floor.wall:.2f}x the floor in wall time, "
        f"{ours.cpu / floor.cpu:.2f}x in CPU time (goal <= 1.25x)"
    )
    print(f"load average   {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (at the end)")


if __name__ == "__main__":
    main()
