"""What the session lifecycle costs per request: every option on vs the same stack without it.

A view that reads the session and the user and sets two cookies, through a full stack
(security, session, common, CSRF, auth, messages), called as a WSGI server would. One handler
ends with ``hardsess.sessions.SessionLifecycleMiddleware``, the other does not; both run in the
same process in interleaved batches (order rotating each round), each with its own cookie jar
kept as a browser keeps it. Variants: every option on (idle + absolute timeouts, periodic and
privilege-change cycling, revocation marks in the database, or in the cache), and timeouts +
periodic cycling alone. Median time per request of each, and the ratio to the stack without
the middleware; goal: ratio <= 1.05. Beside them, not hardsess, a floor: a middleware that
does nothing but the one mark read per request that revocation cannot skip
(benchmarks/floors.py). Per engine: ``db`` (SQLite file) and ``signed_cookies``.

Timing (CPU time, interleaved batches, per-round paired ratios): benchmarks/_measure.py.

``python -m benchmarks lifecycle_request``; rounds of 50 requests per variant:
``HARDSESS_BENCH_LIFECYCLE_ROUNDS`` (60). Short batches interleave finely, so a load change on
a shared machine hits every variant alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._measure import compare, interleaved, scratch_dir

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("HARDSESS_BENCH_LIFECYCLE_ROUNDS", "60"))
BATCH = 50
FLOOR = "floor: one mark read (db)"
FLOOR_MIDDLEWARE = "benchmarks.floors.MarkLookupFloor"


def main() -> None:
    """Run the measurement in a child process with its own settings module."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.lifecycle_site"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    subprocess.run([sys.executable, "-m", "benchmarks.lifecycle_request", "child"], env=env,
                   check=True)  # fmt: skip


def _child() -> None:
    tmp = scratch_dir("hardsess-bench-lifecycle-")
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

    def make(extra: str | None, engine: str) -> tuple[Callable[[], None], int]:
        middleware = [*settings.MIDDLEWARE, *([extra] if extra else [])]
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
        "all on (marks in LocMem)": {**all_on, "REVOCATION": "cache"},
        **(
            {
                "all on (marks in Redis)": {
                    **all_on,
                    "REVOCATION": "cache",
                    "REVOCATION_CACHE": "marks",
                }
            }
            if lifecycle_site.REDIS_URL
            else {}
        ),
        "timeouts + periodic cycle": {
            k: v for k, v in all_on.items() if k not in ("REVOCATION", "CYCLE_ON_PRIVILEGE_CHANGE")
        },
        # Not hardsess: the one mark read that revocation cannot skip, alone (benchmarks/floors.py).
        FLOOR: None,
    }
    print(
        f"in-process, CPU time per request ({ROUNDS} rounds of interleaved batches of {BATCH}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    for engine in ("db", "signed_cookies"):
        runs: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
        queries: dict[str, int] = {}
        for name, options in variants.items():
            # HARDSESS is read per request: each variant sets it (untimed) before its batch.
            def prepare(options: dict[str, Any] | None = options) -> None:
                settings.HARDSESS = {"SESSION": options or {}}

            prepare()
            extra = FLOOR_MIDDLEWARE if name == FLOOR else lifecycle_site.LIFECYCLE
            one, queries[name] = make(extra if name != "without" else None, engine)
            runs[name] = (prepare, one)
        times = interleaved(dict(runs), batch=BATCH, rounds=ROUNDS)
        print(f"  engine {engine}:   {'without':>10} {'with':>10} {'ratio':>7}  (per-round spread)")
        for name in variants:
            if name == "without":
                continue
            print(
                f"    {name:<27} {compare(times, name, 'without').row()}"
                f"   queries {queries[name]} vs {queries['without']}"
            )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        _child()
    else:
        main()
