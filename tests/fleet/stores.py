"""The session stores a fleet shares, set up before the servers start and removed after.

Each store gets its own place for the run (a SQLite file in the test's tmp dir, a PostgreSQL
database made for the run, a Redis key prefix), so runs never see each other's sessions.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.fleet.loadgen import Keys
from tests.fleet.servers import REPO
from tests.services import require_postgres, require_redis

STORES = ("db-sqlite", "db-postgres", "cache", "cached_db", "signed_cookies")


def migrate(env: dict[str, str]) -> None:
    """Create the tables the fleet site needs (sessions, hardsess) in its database."""
    full_env = {
        **os.environ,
        **env,
        **Keys().env(0),
        "DJANGO_SETTINGS_MODULE": "tests.fleet.site.settings",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--skip-checks", "-v", "0"],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"migrate failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A database made for this run on the server of ``url``; dropped afterwards."""
    import psycopg

    name = "hardsess_fleet_" + secrets.token_hex(4)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path="/" + name))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def redis_prefix(url: str) -> Iterator[str]:
    """A cache key prefix for this run; its keys are deleted afterwards."""
    import redis

    prefix = "hardsess-fleet-" + secrets.token_hex(4)
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(url)
        try:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


@contextmanager
def store_env(store: str, tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of the fleet servers for ``store``, its tables and keys made."""
    env = {"HARDSESS_FLEET_STORE": store, "HARDSESS_FLEET_SQLITE": str(tmp / "sessions.sqlite3")}
    if store == "db-postgres":
        with postgres_database(require_postgres()) as url:
            env["HARDSESS_FLEET_DATABASE_URL"] = url
            migrate(env)
            yield env
    elif store in ("cache", "cached_db"):
        url = require_redis()
        with redis_prefix(url) as prefix:
            env["HARDSESS_FLEET_REDIS_URL"] = url
            env["HARDSESS_FLEET_CACHE_PREFIX"] = prefix
            if store == "cached_db":
                migrate(env)
            yield env
    elif store == "db-sqlite":
        migrate(env)
        yield env
    elif store == "signed_cookies":
        yield env
    else:
        raise ValueError(store)
