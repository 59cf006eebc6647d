"""Settings of the small real Django project the tests drive (SQLite by default).

The database stays SQLite here: tests that need Redis or PostgreSQL (HARDSESS_TEST_REDIS_URL,
HARDSESS_TEST_DATABASE_URL; CI sets both) configure those stores themselves, through
override_settings or a server subprocess with its own settings (see tests/services.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import global_settings

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get(
    "HARDSESS_TEST_SECRET_KEY", "t" * 20 + "-test-only-secret-key-0123456789abcdef"
)
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "hardsess",
    "tests.project",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hardsess.middleware.HardSessMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.project.urls"

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

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("HARDSESS_TEST_SQLITE", str(BASE_DIR / "test.sqlite3")),
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Turned off where the installed Django still keeps the legacy salt by default (5.2, 6.0);
# Django 6.1 defaults to False and deprecates setting it at all.
if getattr(global_settings, "SIGNED_COOKIE_LEGACY_SALT_FALLBACK", False):
    SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
