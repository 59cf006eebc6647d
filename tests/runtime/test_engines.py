"""Every Django session engine behind the firewall: sessions survive, tampering is refused.

db (SQLite), cached_db, cache, file and signed_cookies through the test client; cache and
cached_db on a real Redis, and db on a real PostgreSQL through a gunicorn with its own settings,
when HARDSESS_TEST_REDIS_URL / HARDSESS_TEST_DATABASE_URL are set (tests/services.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings

from hardsess.firewall.signing import looks_signed
from tests.runtime.conftest import Rejections, flip_last
from tests.runtime.servers import Browserish, migrate, serve, server_env
from tests.services import require_postgres, require_redis

pytestmark = pytest.mark.django_db(transaction=True)

ENGINE = "django.contrib.sessions.backends."


def exercise(client: Client, rejections: Rejections) -> None:
    """A session written, read, tampered with (refused), and still valid untampered."""
    response = client.get("/rt/session/set/", {"user": "alice", "role": "admin"})
    assert response.status_code == 200
    good = client.cookies["sessionid"].value
    assert looks_signed(good)
    assert client.cookies["sessionid"]["httponly"] is True
    assert client.get("/rt/session/get/").json() == {"session": {"user": "alice", "role": "admin"}}

    client.cookies["sessionid"] = flip_last(good)
    response = client.get("/rt/session/get/")
    assert response.status_code == 200
    assert response.json() == {"session": {}}
    assert rejections.reasons() == {"sessionid": "bad_signature"}

    client.cookies["sessionid"] = good
    assert client.get("/rt/session/get/").json()["session"]["user"] == "alice"
    # Writing again keeps working (the engine re-saves and the firewall re-signs).
    client.get("/rt/session/set/", {"user": "bob"})
    assert client.get("/rt/session/get/").json()["session"]["user"] == "bob"


@pytest.mark.parametrize("engine", ["db", "cached_db", "cache", "signed_cookies"])
def test_local_engines(engine: str, rejections: Rejections) -> None:
    with override_settings(SESSION_ENGINE=ENGINE + engine):
        exercise(Client(), rejections)


def test_file_engine(tmp_path: Path, rejections: Rejections) -> None:
    with override_settings(SESSION_ENGINE=ENGINE + "file", SESSION_FILE_PATH=str(tmp_path)):
        exercise(Client(), rejections)
    assert any(tmp_path.iterdir())


def test_signed_cookies_value_is_djangos_own_underneath() -> None:
    from django.core import signing

    with override_settings(SESSION_ENGINE=ENGINE + "signed_cookies"):
        client = Client()
        client.get("/rt/session/set/", {"user": "alice"})
        inner = client.get("/rt/echo/").json()["cookies"]["sessionid"]
    data = signing.loads(
        inner,
        salt="django.contrib.sessions.backends.signed_cookies",
        serializer=signing.JSONSerializer,
    )
    assert data == {"user": "alice"}


@pytest.fixture
def redis_cache() -> Iterator[dict[str, Any]]:
    url = require_redis()
    prefix = f"hardsess-rt-{uuid.uuid4().hex[:8]}"
    yield {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    import redis

    client = redis.Redis.from_url(url)
    for name in client.scan_iter(f"{prefix}:*"):
        client.delete(name)


@pytest.mark.parametrize("engine", ["cache", "cached_db"])
def test_redis_engines(engine: str, redis_cache: dict[str, Any], rejections: Rejections) -> None:
    with override_settings(SESSION_ENGINE=ENGINE + engine, CACHES=redis_cache):
        exercise(Client(), rejections)
        from django.core.cache import caches

        assert type(caches["default"]).__name__ == "RedisCache"
    import redis

    # The sessions really live in Redis, under this test's prefix.
    prefix = redis_cache["default"]["KEY_PREFIX"]
    assert list(redis.Redis.from_url(require_redis()).scan_iter(f"{prefix}:*"))


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    url = require_postgres()
    import psycopg

    schema = f"hardsess_rt_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield url, schema
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.slow
def test_db_engine_on_postgresql_under_gunicorn(pg_schema: tuple[str, str], tmp_path: Path) -> None:
    url, schema = pg_schema
    env = {"HARDSESS_RT_DATABASE_URL": url, "HARDSESS_RT_PG_SCHEMA": schema}
    migrate(server_env(tmp_path, env))
    with serve("gunicorn", tmp_path, env) as server:
        browser = Browserish(server.port)
        browser.get("/rt/session/set/?user=alice")
        good = browser.jar["sessionid"]
        assert looks_signed(good)
        assert browser.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        browser.jar["sessionid"] = flip_last(good)
        assert browser.get("/rt/session/get/").json() == {"session": {}}
        browser.jar["sessionid"] = good
        assert browser.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        assert "rejected cookie 'sessionid' (bad_signature)" in server.log()
    import psycopg

    # The sessions really live in PostgreSQL, in this test's schema.
    with psycopg.connect(url) as connection:
        row = connection.execute(f'SELECT count(*) FROM "{schema}".django_session').fetchone()
    assert row is not None
    assert row[0] >= 1
    assert urlsplit(url).scheme.startswith("postgres")
