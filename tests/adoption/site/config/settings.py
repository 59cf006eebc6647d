"""Settings of the adoption site: a new user's project, with or without hardsess.

Two environment variables, and nothing else, vary between the runs tests/adoption/ compares:

- ``ADOPTION_HARDSESS`` ("0" or "1"): whether ``hardsess`` is in INSTALLED_APPS and its
  firewall in MIDDLEWARE, exactly as docs/adopting.md says to add them. There is no HARDSESS
  setting: a team adopting hardsess starts without one.
- ``ADOPTION_SESSION_ENGINE``: db, cache, cached_db, file or signed_cookies.

``ADOPTION_TEST_CLIENT=firewall`` (with hardsess only) is the one exception: it sets
``HARDSESS = {"TEST_CLIENT": "firewall"}``, so tests/adoption/ can show that its comparison
notices a firewall that breaks Django's test client.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "adoption-site-test-only-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True

WITH_HARDSESS = os.environ.get("ADOPTION_HARDSESS", "0") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if WITH_HARDSESS:
    INSTALLED_APPS.append("hardsess")
    # Above everything that reads or sets cookies (README, docs/adopting.md).
    MIDDLEWARE.insert(1, "hardsess.middleware.HardSessMiddleware")
    if os.environ.get("ADOPTION_TEST_CLIENT") == "firewall":
        HARDSESS = {"TEST_CLIENT": "firewall"}

_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "file": "django.contrib.sessions.backends.file",
    "signed_cookies": "django.contrib.sessions.backends.signed_cookies",
}
_engine = os.environ.get("ADOPTION_SESSION_ENGINE", "db")
if _engine not in _ENGINES:
    raise ImproperlyConfigured(f"ADOPTION_SESSION_ENGINE={_engine!r}: one of {sorted(_ENGINES)}")
SESSION_ENGINE = _ENGINES[_engine]
if _engine == "file":
    SESSION_FILE_PATH = os.environ.get("ADOPTION_SESSION_DIR") or tempfile.mkdtemp(
        prefix="adoption-sessions-"
    )

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# Tests run on an in-memory SQLite database; this file is only made by a manual `migrate`.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("ADOPTION_SQLITE", str(BASE_DIR / "db.sqlite3")),
    }
}

# Fast hashing for tests, as many projects' settings have it.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_REDIRECT_URL = "/account/"
LOGOUT_REDIRECT_URL = "/"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
