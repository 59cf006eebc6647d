"""The supported Django x Python matrix: `make matrix` (or `nox`) runs the fast suite on each.

Each session builds a fresh virtualenv, installs hardsess with its ``test`` extra and the newest
release of one Django series, and runs everything not marked ``slow`` (servers, browsers, the
fuzzers and Django's own suites run once, in ``make test``, on the development Python).

Session ``prerelease`` runs the same suite on Django's newest pre-release when the package index
has one newer than every final release (``pip index versions django --pre``), and skips with
that reason when it has none.

Django 6.x needs Python 3.12+, so 5.2 LTS is tested on 3.10 and 3.11 and 6.0 / 6.1 on 3.12 and
3.13. Under CI (``CI`` set) nox treats a missing interpreter as an error, not a skip.

``python noxfile.py [--jobs N]`` (what ``make matrix`` runs) runs the sessions N at a time,
each in its own nox process with its own log under .nox/: the matrix is CPU-bound, and CI has
two cores.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nox
from packaging.version import InvalidVersion, Version

nox.options.error_on_external_run = True
nox.options.reuse_existing_virtualenvs = False
# uv (in the test extra) builds and fills a virtualenv in seconds where pip takes minutes: the
# matrix has to fit the CI budget on a fresh machine, where no virtualenv can be reused.
nox.options.default_venv_backend = "uv|virtualenv"

#: (python, Django series). ``django~=X.Y.0`` picks the newest X.Y.z.
MATRIX = [
    ("3.10", "5.2"),
    ("3.11", "5.2"),
    ("3.12", "6.0"),
    ("3.13", "6.0"),
    ("3.12", "6.1"),
    ("3.13", "6.1"),
]


@nox.session
@nox.parametrize(
    ("python", "django"),
    [nox.param(py, dj, id=f"py{py}-django{dj}") for py, dj in MATRIX],
)
def tests(session: nox.Session, django: str) -> None:
    session.install("-e", ".[test]", f"django~={django}.0")
    session.run(
        "python", "-c", "import django, sys; print('Django', django.__version__, sys.version)"
    )
    session.run(
        "python",
        "-m",
        "pytest",
        "-m",
        "not slow",
        "-q",
        "-p",
        "no:cacheprovider",
        "--durations=15",
        *session.posargs,
    )


#: The Python of the pre-release session: the newest the matrix has (a new Django drops old
#: Pythons first).
PRERELEASE_PYTHON = MATRIX[-1][0]


def newest_prerelease(index_output: str) -> tuple[str | None, str]:
    """From ``pip index versions django --pre``: (the newest pre-release when it is newer than
    every final release, else None; the newest version of all, for the skip message)."""
    for line in index_output.splitlines():
        if line.startswith("Available versions:"):
            versions = []
            for text in line.partition(":")[2].split(","):
                try:
                    versions.append(Version(text.strip()))
                except InvalidVersion:
                    continue
            if versions:
                newest = max(versions)
                return (str(newest) if newest.is_prerelease else None), str(newest)
    raise ValueError(f"no 'Available versions:' line in pip's answer:\n{index_output}")


@nox.session(python=PRERELEASE_PYTHON)
def prerelease(session: nox.Session) -> None:
    """The fast suite on Django's newest pre-release (alpha, beta, rc), when the index has one
    newer than every final release; skipped, saying so, when it has none."""
    answer = subprocess.run(  # noqa: S603 (our own interpreter's pip, fixed arguments)
        [sys.executable, "-m", "pip", "index", "versions", "django", "--pre",
         "--python-version", PRERELEASE_PYTHON],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if answer.returncode != 0:
        session.error(f"pip index versions django --pre failed:\n{answer.stderr[-2000:]}")
    version, newest = newest_prerelease(answer.stdout)
    if version is None:
        session.skip(f"no pre-release of Django on the package index (newest: {newest}, final)")
    session.install("-e", ".[test]")
    # --no-deps: hardsess declares django<6.2 until it supports the next release; the point of
    # the session is to run it there anyway.
    session.install("--pre", "--no-deps", f"django=={version}")
    session.run("python", "-c", "import django; print('Django', django.__version__)")
    session.run("python", "-m", "pytest", "-m", "not slow", "-q", "-p", "no:cacheprovider",
                *session.posargs)  # fmt: skip


def _slot_env(slot: int) -> dict[str, str]:
    """Environment for a session run in parallel slot ``slot``: its own Redis database, so two
    sessions running at once never see each other's keys (PostgreSQL tests use own schemas)."""
    env = dict(os.environ)
    redis_url = env.get("HARDSESS_TEST_REDIS_URL")
    if redis_url and slot:
        base, _, db = redis_url.rpartition("/")
        if base.startswith("redis") and db.isdigit():
            env["HARDSESS_TEST_REDIS_URL"] = f"{base}/{(int(db) - slot) % 16}"
    return env


def _current_cell() -> tuple[str, str] | None:
    """The (python, Django series) cell of the interpreter running this script, if any."""
    try:
        import django
    except ImportError:
        return None
    # From the version string, not by position in django.VERSION: that becomes a VersionTuple
    # with calendar versions after 6.2.
    major, minor = Version(django.__version__).release[:2]
    return f"{sys.version_info[0]}.{sys.version_info[1]}", f"{major}.{minor}"


def _run_matrix(jobs: int, extra: list[str], *, skip_current: bool = False) -> int:
    """Run every session, ``jobs`` at a time (one per core), each in its own nox process.

    ``skip_current`` leaves out the cell of the running environment: CI has just run the whole
    suite there (`make test`), slow tests included, so a second, smaller run of it adds nothing.
    """
    current = _current_cell() if skip_current else None
    if current is not None and current in MATRIX:
        print(f"matrix: py{current[0]}-django{current[1]} already ran in full (make test)")
    names = [f"tests(py{py}-django{dj})" for py, dj in MATRIX if (py, dj) != current]
    names.append("prerelease")  # skips itself (exit 0) while the index has no pre-release
    slots: queue.Queue[int] = queue.Queue()
    for slot in range(jobs):
        slots.put(slot)
    logs = Path(".nox")
    logs.mkdir(exist_ok=True)

    def run(name: str) -> tuple[str, int, float, Path]:
        slot = slots.get()
        log = logs / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".log")
        start = time.monotonic()
        try:
            with log.open("w") as out:
                code = subprocess.call(  # noqa: S603 (our own nox, our session names)
                    [sys.executable, "-m", "nox", "-s", name, *extra],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=_slot_env(slot),
                )
        finally:
            slots.put(slot)
        return name, code, time.monotonic() - start, log

    failed = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, code, seconds, log in pool.map(run, names):
            verdict = "ok" if code == 0 else f"FAILED (exit {code})"
            print(f"{name}: {verdict} in {seconds:.0f}s (log: {log})", flush=True)
            if code:
                failed += 1
                print("\n".join(log.read_text().splitlines()[-40:]), flush=True)
    print(f"matrix: {len(names) - failed}/{len(names)} sessions passed")
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Run the nox matrix, sessions in parallel.")
    parser.add_argument("--jobs", type=int, default=2, help="sessions at a time (default 2)")
    parser.add_argument(
        "--skip-current",
        action="store_true",
        help="leave out the cell of this interpreter and its Django (CI ran it in full)",
    )
    args, rest = parser.parse_known_args()
    sys.exit(_run_matrix(args.jobs, rest, skip_current=args.skip_current))
