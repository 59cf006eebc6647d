"""Settings of the development site a real Chromium reaches over plain HTTP (issue 11, part 4).

Served by gunicorn without TLS on 127.0.0.1; the browser reaches it as ``http://devbox.test``
(mapped to 127.0.0.1 by Chromium's ``--host-resolver-rules``): a development host that is not
localhost, where a browser keeps no ``Secure`` cookie. ``HARDSESS_DEVSITE_DEVELOPMENT=1`` turns
on development mode, with DEBUG as it requires; otherwise DEBUG is off and the firewall forces
Secure as in production.
"""

from __future__ import annotations

import os
from typing import Any

DEVELOPMENT = os.environ.get("HARDSESS_DEVSITE_DEVELOPMENT") == "1"

# A test site on loopback: a known key is fine here (and only here).
SECRET_KEY = "devsite-test-only-" + "d" * 40  # hardsess: ignore[HS131]
DEBUG = DEVELOPMENT
ALLOWED_HOSTS = ["devbox.test", "127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.browser.devsite.urls"
WSGI_APPLICATION = "tests.browser.devsite.wsgi.application"
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
    "django.middleware.csrf.CsrfViewMiddleware",
]

DATABASES: dict[str, Any] = {}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # hardsess: ignore[HS108]
SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"

HARDSESS: dict[str, Any] = {"DEVELOPMENT": DEVELOPMENT}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "hardsess": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.security.csrf": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
