"""Settings for the gunicorn / uvicorn processes the runtime tests start.

The test project's settings, with the parts a test varies read from the environment:
HARDSESS_RT_KEYS (JSON keyring), HARDSESS_RT_ENGINE (SESSION_ENGINE), HARDSESS_RT_SQLITE,
HARDSESS_RT_DATABASE_URL (PostgreSQL, in its own schema), HARDSESS_RT_REDIS_URL (+ prefix),
HARDSESS_RT_SESSION (JSON: HARDSESS["SESSION"], with the lifecycle middleware).
"""

from __future__ import annotations

import json
import os

from tests.pg_settings import postgres_database
from tests.project.settings import *  # noqa: F403
from tests.project.settings import DATABASES

_env = os.environ

if _env.get("HARDSESS_RT_KEYS"):
    HARDSESS = {"KEYS": json.loads(_env["HARDSESS_RT_KEYS"])}

if _env.get("HARDSESS_RT_SESSION"):  # HARDSESS["SESSION"] as JSON (the lifecycle)
    HARDSESS = {**globals().get("HARDSESS", {}), "SESSION": json.loads(_env["HARDSESS_RT_SESSION"])}
    MIDDLEWARE = [*MIDDLEWARE, "hardsess.sessions.SessionLifecycleMiddleware"]  # noqa: F405

SESSION_ENGINE = _env.get("HARDSESS_RT_ENGINE", "django.contrib.sessions.backends.db")

if _env.get("HARDSESS_RT_DATABASE_URL"):
    # Our own schema: other test suites share the database.
    DATABASES = {
        "default": postgres_database(
            _env["HARDSESS_RT_DATABASE_URL"], _env["HARDSESS_RT_PG_SCHEMA"]
        )
    }
elif _env.get("HARDSESS_RT_SQLITE"):
    DATABASES = {"default": {**DATABASES["default"], "NAME": _env["HARDSESS_RT_SQLITE"]}}

if _env.get("HARDSESS_RT_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _env["HARDSESS_RT_REDIS_URL"],
            "KEY_PREFIX": _env.get("HARDSESS_RT_REDIS_PREFIX", "hardsess-rt"),
        }
    }
elif SESSION_ENGINE.endswith(".cache"):
    # Several worker processes would not share a local-memory cache: use a file cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": _env["HARDSESS_RT_TMP"] + "/cache",
        }
    }

if _env.get("HARDSESS_RT_TMP"):
    SESSION_FILE_PATH = _env["HARDSESS_RT_TMP"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"hardsess": {"handlers": ["stderr"], "level": "INFO"}},
}
