"""What a shared key store costs per request and per key (issue 14).

Two parts, each in a child process (Django settings benchmarks.runtime_site, SQLite file):

* ``inproc``: the request of benchmarks.runtime_request (a view that reads the session and sets
  two cookies, full middleware stack, HardSessMiddleware installed) with the keyring from
  settings and with the keyring from the ``database`` key store, side by side in one process,
  in interleaved batches (benchmarks/_measure.py). Both variants run under the same settings
  holder; each batch installs its variant's firewall snapshot (untimed), so the only
  difference timed is the one a request pays: the store's in-process copy is consulted (a
  clock read and a comparison) and re-read from the database every CACHE_SECONDS.
  Goal: ratio <= 1.05.
* ``keys``: verifying one cookie against a keyring built by the store, 1 key vs 50 keys.
  Goal: ratio <= 1.1.

``python -m benchmarks keystore_request`` runs both. Rounds: ``HARDSESS_BENCH_RUNTIME_ROUNDS``
(default 31).
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
PARTS = ("inproc", "keys")
KEY = {"id": "k1", "secret": "bench-key-" + "0123456789abcdef" * 3, "state": "primary"}


def _kek() -> str:
    from hardsess.keystore import crypto

    return crypto.new_kek()


def main() -> None:
    for part in PARTS:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.runtime_site"}
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        subprocess.run(
            [sys.executable, "-m", "benchmarks.keystore_request", part], check=True, env=env
        )


def _inproc() -> None:
    tmp = scratch_dir("hardsess-bench-ks-")
    os.environ.update(HARDSESS_BENCH_SQLITE=str(tmp / "db.sqlite3"), HARDSESS_BENCH_KEYSTORE="1")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import RequestFactory, override_settings

    from hardsess.firewall import snapshot
    from hardsess.keystore import commands, counts

    counts.reporter.autostart = False  # no fleet report thread writing into the scratch file

    call_command("migrate", verbosity=0)
    factory = RequestFactory()
    store = {
        "KEY_STORE": {
            "BACKEND": "database",
            "KEK": _kek(),
            "CACHE_SECONDS": 30,  # the default
        }
    }
    with override_settings(HARDSESS=store):
        commands.handle({"keys_action": "rotate"}, sys.stdout, sys.stderr)
    from django.conf import settings

    holder = getattr(settings, "_wrapped", None)

    def variant(hardsess: dict[str, Any]) -> Any:
        with override_settings(HARDSESS=hardsess):
            snapshot.current_snapshot()
            cached = snapshot._cache
        assert cached is not None
        # The same settings holder for both variants: only the snapshot differs.
        return (holder, *cached[1:])

    handler = WSGIHandler()

    def make(cached: Any) -> tuple[Callable[[], None], Callable[[], None]]:
        def install() -> None:
            snapshot._cache = cached

        install()
        login = wsgi_call(handler, factory, "/login/", "")
        cookie = "; ".join(f"{m.key}={m.coded_value}" for m in login.cookies.values())
        assert wsgi_call(handler, factory, "/bench/", cookie).content == b"hello alice"

        def one() -> None:
            wsgi_call(handler, factory, "/bench/", cookie)

        return install, one

    settings_variant = variant({"KEYS": [KEY]})
    store_variant = variant(store)
    assert store_variant[3] is not None
    assert settings_variant[3] is None
    runs: dict[str, Any] = {"settings": make(settings_variant), "database": make(store_variant)}
    times = interleaved(runs, batch=BATCH, rounds=ROUNDS)
    print(
        f"in-process, CPU time per request, keyring from settings vs the database key store "
        f"({ROUNDS} rounds of interleaved batches of {BATCH}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    print(f"  {'':<9} {'settings':>10} {'database':>10} {'ratio':>7}  (per-round spread)")
    print(f"  {'db engine':<9} {compare(times, 'database', 'settings').row()}")
    print(f"  store reads during the run: {store_variant[3].reads}")
    shutil.rmtree(tmp, ignore_errors=True)


def _keys() -> None:
    import django

    django.setup()
    from cryptography.fernet import Fernet

    from hardsess.firewall import signing
    from hardsess.keystore import schedule
    from hardsess.keystore.options import options
    from hardsess.keystore.ring import StoreKeyring

    kek = _kek()
    box = Fernet(kek)
    opts = options({"BACKEND": "database", "KEK": kek}, read=False)

    class Fixed:
        def __init__(self, records: list[schedule.Record]) -> None:
            self.document = schedule.dumps(records)

        def read(self) -> tuple[int, str]:
            return (1, self.document)

        def create(self, version: int, document: str) -> bool:
            raise AssertionError

    now = time.time()

    def ring(size: int) -> Any:
        records = [
            schedule.Record(
                id=f"k{i}",
                secret=box.encrypt(f"secret-{i}-{'0123456789abcdef' * 3}".encode()).decode(),
                created=now - 1000 - i,
                activates=now - 1000 - i,  # k0 is the newest: the primary
                expires=now + 1e9,
            )
            for i in range(size)
        ]
        return StoreKeyring(opts, store=Fixed(records), clock=lambda: now).current()

    runs: dict[str, Any] = {}
    for size in (1, 50):
        keyring = ring(size)
        assert len(keyring.keys) == size
        value = signing.sign(keyring.primary, "sessionid", "x" * 32, int(now) + 3600)

        def verify(keyring: Any = keyring, value: str = value) -> None:
            result = signing.verify(keyring, "sessionid", value, int(now))
            assert not isinstance(result, str)

        runs[f"{size} keys"] = verify
    times = interleaved(runs, batch=5000, rounds=ROUNDS)
    one, fifty = statistics.median(times["1 keys"]), statistics.median(times["50 keys"])
    print("verify one cookie against a key-store keyring, median CPU time per verification:")
    print(f"  1 key: {one * 1e9:.0f} ns   50 keys: {fifty * 1e9:.0f} ns   ratio {fifty / one:.3f}")


if __name__ == "__main__":
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part == "inproc":
        _inproc()
    elif part == "keys":
        _keys()
    else:
        main()
