"""What the session lifecycle costs per request: every option on vs the same stack without it.

A view that reads the session and the user and sets two cookies, through a full stack
(security, session, common, CSRF, auth, messages), called as a WSGI server would. One handler
ends with ``hardsess.sessions.SessionLifecycleMiddleware`` (idle + absolute timeouts, periodic
and privilege-change cycling, revocation marks in the database), the other does not; both run
in the same process in interleaved batches (order alternating each round). Median time per
request of each, and the ratio; goal: ratio <= 1.05. Per engine: ``db`` (SQLite file) and
``signed_cookies``; the authenticated session stays inside the activity interval, which is the
common case (a stamp is written at most once a minute per session).

``python -m benchmarks lifecycle_request``; rounds: ``HARDSESS_BENCH_LIFECYCLE_ROUNDS`` (15).
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
ROUNDS = int(os.environ.get("HARDSESS_BENCH_LIFECYCLE_ROUNDS", "15"))
BATCH = 200


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

        def call(path: str, cookie: str) -> Any:
            environ = factory.get(path, HTTP_COOKIE=cookie).environ
            response = handler(dict(environ), lambda status, headers: None)
            response.close()
            return response

        login = call("/login/", "")
        cookie = "; ".join(f"{m.key}={m.coded_value}" for m in login.cookies.values())
        assert call("/bench/", cookie).content == b"hello alice (dark)"
        with CaptureQueriesContext(connection) as queries:
            call("/bench/", cookie)

        def one() -> None:
            call("/bench/", cookie)

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
    print(f"in-process, median time per request (batches of {BATCH}, interleaved, {ROUNDS} rounds)")
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
            start = time.perf_counter()
            for _ in range(batch):
                function()
            times[name].append((time.perf_counter() - start) / batch)
    return times


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        _child()
    else:
        main()
