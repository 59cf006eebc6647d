"""Settings of the site for the web-platform browser tests (issue 16): CHIPS, the ``__Http-``
prefixes, Clear-Site-Data on logout.

Served by gunicorn over TLS; Chromium reaches it as ``site-a.test`` (the embedded site) from a
page on ``site-b.test`` (the embedding one). ``HARDSESS_BROWSER_REPORT_ONLY=1``: cookies leave
as the views wrote them, what a site without hardsess sends.
"""

from __future__ import annotations

import os
from typing import Any

# A test site on loopback: a known key is fine here (and only here).
SECRET_KEY = "platform-browser-test-only-" + "p" * 40  # hardsess: ignore[HS131]
DEBUG = False
ALLOWED_HOSTS = ["site-a.test", "site-b.test", "127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.browser.platform_site.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.sessions", "hardsess"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hardsess.middleware.HardSessMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]

DATABASES: dict[str, Any] = {}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # hardsess: ignore[HS108]
SESSION_COOKIE_NAME = "__Host-Http-session"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

HARDSESS: dict[str, Any] = {
    "EMBEDDED": True,
    "COOKIES": {
        # Both are meant for the iframe: SameSite=None; only the first is Partitioned.
        "chips_c": {"samesite": "None", "partitioned": True},
        "unpart_c": {"samesite": "None"},  # hardsess: ignore[HS143]
        # A cookie the page's script must read, yet named __Http-: the prefix wins.
        "__Http-script": {"httponly": False},
        "__Host-Http-script": {"httponly": False},
        "js_*": {"sign": False, "httponly": False},
    },
    "ON_LOGOUT": {"CLEAR_SITE_DATA": ["cookies"]},
    "REPORT_ONLY": os.environ.get("HARDSESS_BROWSER_REPORT_ONLY") == "1",
}

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
