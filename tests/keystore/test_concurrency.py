"""Many ``keys rotate`` at once, in separate processes on real PostgreSQL and Redis: one key.

Each process sets Django up first and then waits for a common start time, so the commands
really overlap (each reads the same version and tries to create the next one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hardsess.keystore import crypto, schedule
from tests.fleet.servers import REPO
from tests.fleet.stores import migrate, postgres_database, redis_prefix
from tests.services import require_postgres, require_redis

WRITERS = 12
OPTIONS = {
    "CACHE_SECONDS": 1,
    "MAX_STALE": 2,
    "MAX_CLOCK_SKEW": 0.5,
    "PROPAGATION_DELAY": 60,
    "SIGN_FOR": 3600,
    "OVERLAP": 30,
}


@contextmanager
def fleet_env(backend: str) -> Iterator[dict[str, str]]:
    kek = crypto.new_kek()
    if backend == "database":
        with postgres_database(require_postgres()) as url:
            env = {
                "HARDSESS_FLEET_STORE": "db-postgres",
                "HARDSESS_FLEET_DATABASE_URL": url,
                "HARDSESS_KEY_STORE_KEK": kek,
                "HARDSESS_FLEET_KEY_STORE": json.dumps({"BACKEND": "database", **OPTIONS}),
            }
            migrate(env)
            yield env
        return
    url = require_redis()
    with redis_prefix(url) as prefix:
        yield {
            "HARDSESS_FLEET_STORE": "cache",
            "HARDSESS_FLEET_REDIS_URL": url,
            "HARDSESS_FLEET_CACHE_PREFIX": prefix,
            "HARDSESS_KEY_STORE_KEK": kek,
            "HARDSESS_FLEET_KEY_STORE": json.dumps(
                {"BACKEND": "cache", "PREFIX": f"{prefix}:keys", **OPTIONS}
            ),
        }


def run_at_once(env: dict[str, str], *args: str) -> list[str]:
    full = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": "tests.fleet.site.settings",
        "PYTHONPATH": str(REPO),
    }
    start = time.time() + 6.0  # after every process has imported Django (2 cores, busy)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.keystore.rotate_at", str(start), *args],
            cwd=REPO,
            env=full,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WRITERS)
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


def status(env: dict[str, str]) -> dict[str, object]:
    full = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": "tests.fleet.site.settings",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "hardsess", "keys", "status", "--json"],
        cwd=REPO,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("backend", ["database", "cache"])
@pytest.mark.slow  # twelve processes, each starting Django
def test_many_rotations_at_once_make_one_key(backend: str, tmp_path: Path) -> None:
    with fleet_env(backend) as env:
        # An empty store: every writer would bootstrap; one does.
        outputs = run_at_once(env, "rotate")
        assert sum("new key" in out for out in outputs) == 1, outputs
        first = status(env)
        assert len(first["keys"]) == 1  # type: ignore[arg-type]
        # A forced rotation everywhere at once: one new key, the others see it pending.
        outputs = run_at_once(env, "rotate", "--now")
        assert sum("new key" in out for out in outputs) == 1, outputs
        assert sum("already pending" in out for out in outputs) == WRITERS - 1, outputs
        data = status(env)
        keys = data["keys"]
        assert isinstance(keys, list)
        assert [k["state"] for k in keys] == ["verify", "primary"]
        assert data["stage"] == "propagating"
        assert data["version"] == 2
        assert schedule.FORMAT == 1
