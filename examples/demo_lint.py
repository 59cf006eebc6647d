"""Demo, part 1: the linter on the bundled example project (examples/insecure_site).

Works on a copy in a temporary directory, so the bundled project stays insecure for the next
run. Every step runs the real ``hardsess`` command-line tool, as a user would type it:

1. ``hardsess lint .``           what is wrong (exit 1: findings)
2. ``hardsess lint --diff .``    the fixes it would make, as a unified diff (nothing written)
3. ``hardsess lint --fix .``     make the safe fixes
4. ``hardsess lint .``           what remains: findings that have no safe fix
5. ``hardsess lint --unsafe-fixes --diff .``  what the unsafe fixes would still change
6. ``hardsess lint --select HS203 .``  an opt-in rule, which runs only when selected
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "insecure_site"
HARDSESS = Path(sys.executable).parent / "hardsess"


def heading(text: str) -> None:
    print(f"\n==== {text} " + "=" * max(0, 70 - len(text)), flush=True)


def run(*args: str, cwd: Path) -> int:
    """Run ``hardsess ARGS`` in ``cwd``, echo the command line and its output, return the code."""
    command = [str(HARDSESS), *args]
    print(f"$ hardsess {' '.join(args)}", flush=True)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    sys.stdout.write(done.stdout)
    sys.stdout.write(done.stderr)
    print(f"[exit code {done.returncode}]", flush=True)
    return done.returncode


def main() -> int:
    if not HARDSESS.exists():
        print(f"hardsess is not installed next to {sys.executable}: run `make demo`")
        return 2
    with tempfile.TemporaryDirectory(prefix="hardsess-demo-") as scratch:
        site = Path(scratch) / "insecure_site"
        shutil.copytree(PROJECT, site, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
        print(f"Linting a copy of {PROJECT.relative_to(HERE.parent)} in {site}")

        heading("1. Findings")
        first = run("lint", ".", cwd=site)

        heading("2. The fixes hardsess would make (--diff writes nothing)")
        run("lint", "--diff", ".", cwd=site)

        heading("3. Apply the safe fixes (--fix)")
        run("lint", "--fix", ".", cwd=site)

        heading("4. What remains: findings without a safe fix, for a human to decide")
        last = run("lint", ".", cwd=site)

        heading("5. Unsafe fixes (flipping environment defaults) would still change")
        run("lint", "--unsafe-fixes", "--diff", ".", cwd=site)

        heading("6. Opt-in rules run only when selected: HS203 (a cookie read back unsigned)")
        run("lint", "--select", "HS203", ".", cwd=site)

        if first != 1 or last != 1:
            print("unexpected: the example project should have findings before and after --fix")
            return 1
    return 0


if __name__ == "__main__":
    # examples/demo.py runs the parts one after another in one process: exit only on failure.
    status = main()
    if status:
        raise SystemExit(status)
