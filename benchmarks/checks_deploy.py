"""What hardsess's system checks cost: ``manage.py check --deploy`` with and without hardsess.

The project is examples/insecure_site (every cookie setting in it is wrong, so every catalogue
check has something to say). "Without" is the same project with ``hardsess`` taken out of
INSTALLED_APPS and MIDDLEWARE by a small settings module written to a temporary directory, so
both runs start the same interpreter, import the same settings and run Django's own deploy
checks; the only difference is hardsess's app, its checks and the middleware imports they make.

Each round runs both commands, in alternating order, as fresh processes; the medians of wall
time and of the child's CPU time (less sensitive to a busy machine) and their ratios are
printed. Goal: ratio <= 1.10. Rounds: ``HARDSESS_BENCH_CHECKS_RUNS`` (default 15).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import median

from benchmarks._lint_timing import runs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "insecure_site"
FALLBACK = ROOT / "tests" / "checks" / "site"
GOAL = 1.10

WITHOUT = """\
from {module} import *  # noqa: F403
from {module} import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [a for a in INSTALLED_APPS if a != "hardsess" and not a.startswith("hardsess.")]
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("hardsess.")]
"""


def _timed(command: Sequence[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run; exit 0 or 1 (findings) only."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command} exited {done.returncode}:\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _project() -> tuple[Path, str]:
    """The project directory (holding manage.py) and its settings module."""
    if (EXAMPLE / "manage.py").exists():
        return EXAMPLE, "insecure_site.settings"
    return FALLBACK, "tests.checks.site.settings_insecure"


def main() -> None:
    project, settings_module = _project()
    rounds = runs("checks", 15)
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "bench_without_hardsess.py").write_text(
            WITHOUT.format(module=settings_module)
        )
        path = os.pathsep.join([scratch, str(project), str(ROOT)])
        manage = [sys.executable, str(project / "manage.py"), "check", "--deploy"]
        variants = {"with hardsess": settings_module, "without": "bench_without_hardsess"}
        times: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        old_env = {k: os.environ.get(k) for k in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
        os.environ["PYTHONPATH"] = path
        try:
            for round_ in range(rounds):
                order = list(variants) if round_ % 2 == 0 else list(reversed(variants))
                for name in order:
                    os.environ["DJANGO_SETTINGS_MODULE"] = variants[name]
                    # check --deploy exits 1 on the insecure project's errors: a normal run.
                    elapsed, used = _timed([*manage, f"--settings={variants[name]}"])
                    times[name].append(elapsed)
                    cpu[name].append(used)
        finally:
            for key, value in old_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    with_hs = median(times["with hardsess"])
    without = median(times["without"])
    ratio = with_hs / without
    print(f"project: {project.relative_to(ROOT)} ({settings_module}), {rounds} rounds")
    cpu_with, cpu_without = median(cpu["with hardsess"]), median(cpu["without"])
    print("manage.py check --deploy    wall (median)   CPU (median)")
    print(f"  without hardsess        {without * 1000:9.1f} ms   {cpu_without * 1000:9.1f} ms")
    print(f"  with hardsess           {with_hs * 1000:9.1f} ms   {cpu_with * 1000:9.1f} ms")
    verdict = "ok" if ratio <= GOAL else "ABOVE GOAL"
    print(f"ratio with/without: wall {ratio:.3f}, CPU {cpu_with / cpu_without:.3f}")
    print(f"goal: wall ratio <= {GOAL:.2f}: {verdict}")


if __name__ == "__main__":
    main()
