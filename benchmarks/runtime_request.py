"""What the cookie firewall costs per request, under a server, and per key in the keyring.

Three parts, each in a child process with its own Django settings (benchmarks.runtime_site):

* ``inproc``: a view that reads the session and sets two cookies, through a full stack
  (security, session, common, CSRF, auth, messages), called as a WSGI server would (headers
  serialised, response closed). Handlers with and without HardSessMiddleware are built in the
  same process and run in interleaved batches (benchmarks/_measure.py says how and why); the
  median CPU time per request of each and the median per-round ratio are printed, for the
  ``db`` engine (Django's default; SQLite file) and the ``signed_cookies`` engine.
  Goal: ratio <= 1.05.
* ``gunicorn``: two gunicorn servers (2 workers each) on loopback, one with and one without the
  firewall, loaded in alternation (benchmarks/_gunicorn.py: ``wrk``, or a bounded Python client);
  median requests per second and the ratio. Goal: >= 0.95.
* ``keys``: verifying one cookie with a keyring of 1 key vs 50 keys (the O(1) lookup by id).
  Goal: ratio <= 1.1.

``python -m benchmarks runtime_request`` runs all three; ``python -m benchmarks.runtime_request
PART`` one. Rounds: ``HARDSESS_BENCH_RUNTIME_ROUNDS`` (default 31).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._measure import compare, interleaved, scratch_dir, wsgi_call

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("HARDSESS_BENCH_RUNTIME_ROUNDS", "31"))
BATCH = 100
PARTS = ("inproc", "gunicorn", "keys")
HARDSESS = "hardsess.middleware.HardSessMiddleware"
#: The least any Python firewall meeting the issue must do (benchmarks/floors.py).
FLOOR = "benchmarks.floors.FirewallFloor"


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.runtime_site", **extra}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main() -> None:
    for part in PARTS:
        subprocess.run([sys.executable, "-m", "benchmarks.runtime_request", part], check=True)


# -- in-process -----------------------------------------------------------------------------


def _inproc() -> None:
    tmp = scratch_dir("hardsess-bench-")
    os.environ.update(_env(HARDSESS_BENCH_SQLITE=str(tmp / "db.sqlite3")))
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import RequestFactory, override_settings

    call_command("migrate", verbosity=0)
    factory = RequestFactory()

    def make(firewall: str | None, engine: str) -> Callable[[], None]:
        middleware = [m for m in settings.MIDDLEWARE if "hardsess" not in m]
        if firewall:
            middleware.insert(1, firewall)  # after SecurityMiddleware, as docs/runtime.md says
        with override_settings(
            MIDDLEWARE=middleware, SESSION_ENGINE="django.contrib.sessions.backends." + engine
        ):
            handler = WSGIHandler()

        def call(path: str, cookie: str) -> Any:
            return wsgi_call(handler, factory, path, cookie)

        login = call("/login/", "")
        cookie = "; ".join(f"{m.key}={m.coded_value}" for m in login.cookies.values())
        assert call("/bench/", cookie).content == b"hello alice"

        def one() -> None:
            call("/bench/", cookie)

        return one

    print(
        f"in-process, CPU time per request ({ROUNDS} rounds of interleaved batches of {BATCH}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    print(f"  {'engine':<15} {'':<9} {'without':>10} {'with':>10} {'ratio':>7}  (per-round spread)")
    for engine in ("db", "signed_cookies"):
        runs = {
            "without": make(None, engine),
            "hardsess": make(HARDSESS, engine),
            "floor": make(FLOOR, engine),
        }
        times = interleaved(runs, batch=BATCH, rounds=ROUNDS)
        for variant in ("hardsess", "floor"):
            print(f"  {engine:<15} {variant:<9} {compare(times, variant, 'without').row()}")
    shutil.rmtree(tmp, ignore_errors=True)


# -- keyring size ---------------------------------------------------------------------------


def _keys() -> None:
    from hardsess.firewall import signing
    from hardsess.keyring import load_keyring

    def keyring(size: int) -> Any:
        entries = [
            {"id": f"k{i}", "secret": f"secret-{i}-" + "0123456789abcdef" * 3, "state": "verify"}
            for i in range(size - 1)
        ]
        entries.append(
            {"id": "main", "secret": "main-" + "fedcba9876543210" * 3, "state": "primary"}
        )
        return load_keyring(entries, "")

    now = int(time.time())
    runs: dict[str, Callable[[], None]] = {}
    for size in (1, 50):
        ring = keyring(size)
        value = signing.sign(ring.primary, "sessionid", "x" * 32, now + 3600)

        def verify(ring: Any = ring, value: str = value) -> None:
            result = signing.verify(ring, "sessionid", value, now)
            assert not isinstance(result, str)

        runs[f"{size} keys"] = verify
    times = interleaved(runs, batch=5000, rounds=ROUNDS)
    one, fifty = statistics.median(times["1 keys"]), statistics.median(times["50 keys"])
    print("verify one cookie, median CPU time per verification:")
    print(f"  1 key: {one * 1e9:.0f} ns   50 keys: {fifty * 1e9:.0f} ns   ratio {fifty / one:.3f}")


# -- gunicorn -------------------------------------------------------------------------------


def _gunicorn_part() -> None:
    import django

    from benchmarks import _gunicorn

    tmp = scratch_dir("hardsess-bench-")
    sqlite = tmp / "db.sqlite3"
    os.environ.update(_env(HARDSESS_BENCH_SQLITE=str(sqlite)))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rounds = max(3, ROUNDS // 10)
    app = "benchmarks.runtime_site:application"

    def serve(firewall: bool) -> Any:
        env = _env(
            HARDSESS_BENCH_FIREWALL="1" if firewall else "0", HARDSESS_BENCH_SQLITE=str(sqlite)
        )
        return _gunicorn.gunicorn(app, env)

    with serve(False) as plain, serve(True) as hardened:
        servers = {"without": plain, "with": hardened}
        cookies = {name: _gunicorn.login(port) for name, (port, _) in servers.items()}
        result = _gunicorn.alternate(servers, "/bench/", cookies, rounds)
    print(f"gunicorn (2 workers, {result.tool}, {rounds} x {result.seconds} s each, alternating):")
    print(result.report("without", "with"))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    {"inproc": _inproc, "keys": _keys, "gunicorn": _gunicorn_part}.get(part, main)()
