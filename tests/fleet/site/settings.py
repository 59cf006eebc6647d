"""Settings of one server of the test fleet; everything that differs comes from the environment.

``HARDSESS_FLEET_STORE`` picks the session store:

* ``db-sqlite``: the ``db`` engine on one SQLite file shared by every server (WAL, waits on locks);
* ``db-postgres``: the ``db`` engine on PostgreSQL;
* ``cache``: the ``cache`` engine on Redis;
* ``cached_db``: the ``cached_db`` engine, Redis in front of a SQLite file;
* ``signed_cookies``: no server-side store at all.

``HARDSESS_FLEET_KEYS`` is the keyring (JSON list of {"id", "secret", "state"}), which is what a
rolling restart changes from one stage of the rotation to the next. ``HARDSESS_FLEET_KEY_STORE``
(JSON, ``HARDSESS["KEY_STORE"]``) replaces it by a shared key store.

For a guided rollout (tests/fleet/test_rollout.py): ``HARDSESS_FLEET_REPORT_ONLY=1``,
``HARDSESS_FLEET_OBSERVE_INTERVAL`` (seconds between two reports of one process) and
``HARDSESS_FLEET_COOKIES`` (JSON, the ``HARDSESS["COOKIES"]`` policy).
"""

from __future__ import annotations

import json
import os
from typing import Any

from tests.pg_settings import postgres_database

STORE = os.environ.get("HARDSESS_FLEET_STORE", "db-sqlite")
SQLITE_PATH = os.environ.get("HARDSESS_FLEET_SQLITE", "/tmp/hardsess-fleet.sqlite3")
DATABASE_URL = os.environ.get("HARDSESS_FLEET_DATABASE_URL", "")
REDIS_URL = os.environ.get("HARDSESS_FLEET_REDIS_URL", "")

# Django's own signing (the signed_cookies engine) keeps one key for the whole run; the
# rotation under test is the hardsess keyring.
SECRET_KEY = os.environ.get(  # hardsess: ignore[HS131] (a test fleet on loopback)
    "HARDSESS_FLEET_SECRET_KEY", "fleet-test-only-" + "s" * 40
)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
ROOT_URLCONF = "tests.fleet.site.urls"
WSGI_APPLICATION = "tests.fleet.site.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "hardsess",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hardsess.middleware.HardSessMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]

HARDSESS: dict[str, Any] = {
    "KEYS": json.loads(os.environ.get("HARDSESS_FLEET_KEYS", "null")),
    "REPORT_ONLY": os.environ.get("HARDSESS_FLEET_REPORT_ONLY") == "1",
    "COOKIES": json.loads(os.environ.get("HARDSESS_FLEET_COOKIES", "{}")),
    "OBSERVE": {"INTERVAL": int(os.environ.get("HARDSESS_FLEET_OBSERVE_INTERVAL", "30"))},
}

# A shared key store (tests/fleet/test_keystore.py): JSON of HARDSESS["KEY_STORE"]; the KEK
# comes from HARDSESS_KEY_STORE_KEK.
if os.environ.get("HARDSESS_FLEET_KEY_STORE"):
    HARDSESS["KEY_STORE"] = json.loads(os.environ["HARDSESS_FLEET_KEY_STORE"])

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"


def _sqlite(path: str) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # Three servers write the same file: readers never block writers (WAL), a writer
            # takes the lock at BEGIN and waits for it rather than failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


def _postgres(url: str) -> dict[str, Any]:
    return {**postgres_database(url), "CONN_MAX_AGE": 60}


DATABASES: dict[str, Any] = {}
CACHES: dict[str, Any] = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if STORE == "db-sqlite":
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    DATABASES["default"] = _sqlite(SQLITE_PATH)
elif STORE == "db-postgres":
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    DATABASES["default"] = _postgres(DATABASE_URL)
elif STORE in ("cache", "cached_db"):
    SESSION_ENGINE = f"django.contrib.sessions.backends.{STORE}"
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("HARDSESS_FLEET_CACHE_PREFIX", "hardsess-fleet"),
    }
    if STORE == "cached_db":
        DATABASES["default"] = _sqlite(SQLITE_PATH)
elif STORE == "signed_cookies":
    # One of the stores under test; logout revocation is not what this fleet is about.
    # HARDSESS_FLEET_ENGINE: hardsess's own signed-cookie engine instead (issue 15).
    SESSION_ENGINE = os.environ.get(  # hardsess: ignore[HS108,HS154]
        "HARDSESS_FLEET_ENGINE", "django.contrib.sessions.backends.signed_cookies"
    )
else:
    raise ValueError(f"unknown HARDSESS_FLEET_STORE {STORE!r}")

# The fleet reports (old-key counts of the key store) in PostgreSQL when sessions are in Redis.
if os.environ.get("HARDSESS_FLEET_REPORTS_DATABASE_URL") and "default" not in DATABASES:
    DATABASES["default"] = _postgres(os.environ["HARDSESS_FLEET_REPORTS_DATABASE_URL"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "hardsess": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
