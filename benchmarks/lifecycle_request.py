"""What the session lifecycle costs per request: every option on vs the same stack without it.

A view that reads the session and the user and sets two cookies, through a full stack
(security, session, common, CSRF, auth, messages), called as a WSGI server would. One handler
ends with ``hardsess.sessions.SessionLifecycleMiddleware``, the other does not; both run in the
same process in interleaved batches (order rotating each round), each with its own cookie jar
kept as a browser keeps it. Variants: every option on (idle + absolute timeouts, periodic and
privilege-change cycling, revocation marks in the database, or in the cache), and timeouts +
periodic cycling alone. Median time per request of each, and the ratio to the stack without
the middleware; goal: ratio <= 1.05. Per engine: ``db`` (SQLite file) and ``signed_cookies``.

The time is the process's CPU time (``time.process_time``), not wall-clock: on a shared
machine, waiting for a core is not cost; SQLite runs in-process, so its work is counted.

``python -m benchmarks lifecycle_request``; rounds of 50 requests per variant:
``HARDSESS_BENCH_LIFECYCLE_ROUNDS`` (40). Short batches interleave finely, so a load change on
a shared machine hits every variant alike.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("HARDSESS_BENCH_LIFECYCLE_ROUNDS", "40"))
BATCH = 50


def main() -> None:
    """Run the measurement in a child process with its own settings module."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.lifecycle_site"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    subprocess.run([sys.executable, "-m", "benchmarks.lifecycle_request", "child"], env=env,
                   check=True)  # fmt: skip


def _child() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="hardsess-bench-lifecycle-"))
    os.environ["HARDSESS_BENCH_SQLITE"] = str(tmp / "db.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory, override_settings
    from django.test.utils import CaptureQueriesContext

    from benchmarks import lifecycle_site

    call_command("migrate", verbosity=0)
    factory = RequestFactory()

    def make(lifecycle: bool, engine: str) -> tuple[Callable[[], None], int]:
        middleware = [*settings.MIDDLEWARE, *([lifecycle_site.LIFECYCLE] if lifecycle else [])]
        with override_settings(
            MIDDLEWARE=middleware, SESSION_ENGINE="django.contrib.sessions.backends." + engine
        ):
            handler = WSGIHandler()

        jar: dict[str, str] = {}

        def call(path: str) -> Any:
            cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
            environ = factory.get(path, HTTP_COOKIE=cookie).environ
            response = handler(dict(environ), lambda status, headers: None)
            response.close()
            # Keep what the server sends, as a browser does: a re-issued session cookie (a
            # signed_cookies activity stamp, a cycled key) is what the next request carries.
            for morsel in response.cookies.values():
                jar[morsel.key] = morsel.coded_value
            return response

        call("/login/")
        assert call("/bench/").content == b"hello alice (dark)"
        with CaptureQueriesContext(connection) as queries:
            call("/bench/")

        def one() -> None:
            call("/bench/")

        return one, len(queries)

    all_on = dict(lifecycle_site.HARDSESS["SESSION"])
    variants: dict[str, dict[str, Any] | None] = {
        "without": None,
        "all on (marks in db)": all_on,
        "all on (marks in cache)": {**all_on, "REVOCATION": "cache"},
        "timeouts + periodic cycle": {
            k: v for k, v in all_on.items() if k not in ("REVOCATION", "CYCLE_ON_PRIVILEGE_CHANGE")
        },
    }
    print(
        f"in-process, median CPU time per request (batches of {BATCH}, interleaved, "
        f"{ROUNDS} rounds; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    for engine in ("db", "signed_cookies"):
        runs: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
        queries: dict[str, int] = {}
        for name, options in variants.items():
            # HARDSESS is read per request: each variant sets it (untimed) before its batch.
            def prepare(options: dict[str, Any] | None = options) -> None:
                settings.HARDSESS = {"SESSION": options or {}}

            prepare()
            one, queries[name] = make(options is not None, engine)
            runs[name] = (prepare, one)
        times = _interleaved(runs, batch=BATCH)
        base = statistics.median(times["without"])
        print(f"  engine {engine}:")
        for name in variants:
            median = statistics.median(times[name])
            print(
                f"    {name:<27} {median * 1e6:>8.1f} us   ratio {median / base:.3f}"
                f"   queries {queries[name]}"
            )
    shutil.rmtree(tmp, ignore_errors=True)


def _interleaved(
    runs: dict[str, tuple[Callable[[], None], Callable[[], None]]], batch: int
) -> dict[str, list[float]]:
    """Per-request times of each (prepare, run), batch by batch, the order rotating each round."""
    names = list(runs)
    for name in names:  # warm-up
        runs[name][0]()
        for _ in range(batch):
            runs[name][1]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(ROUNDS):
        shift = round_number % len(names)
        order = names[shift:] + names[:shift]
        if round_number % 2:
            order.reverse()
        for name in order:
            prepare, function = runs[name]
            prepare()
            start = time.process_time()
            for _ in range(batch):
                function()
            times[name].append((time.process_time() - start) / batch)
    return times


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        _child()
    else:
        main()
