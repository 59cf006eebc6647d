"""Settings of the small site a real Chromium talks to (tests/browser).

Served by gunicorn over TLS on 127.0.0.1; the browser reaches it as ``site-a.test`` and, for
cross-site requests, as ``site-b.test`` (two registrable domains, so two sites), both mapped to
127.0.0.1 by Chromium's ``--host-resolver-rules``. ``HARDSESS_BROWSER_REPORT_ONLY=1`` runs the
firewall in report-only mode: cookies leave exactly as the views wrote them, which is what a site
without hardsess sends. ``HARDSESS_BROWSER_KEYS`` (JSON) replaces the keyring, for a server
at a later stage of a key rotation; ``HARDSESS_BROWSER_SESSION_COOKIE`` renames the session
cookie (a name without the ``__Host-`` prefix, which a sibling subdomain can toss).
"""

from __future__ import annotations

import json
import os
from typing import Any

# A test site on loopback: a known key is fine here (and only here).
SECRET_KEY = os.environ.get(  # hardsess: ignore[HS131]
    "HARDSESS_BROWSER_SECRET_KEY", "browser-test-only-" + "b" * 40
)
DEBUG = False
# .site-a.test: site-a.test and its subdomains (evil.site-a.test, a sibling that tosses cookies).
ALLOWED_HOSTS = [".site-a.test", "site-b.test", "127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "tests.browser.site.urls"
WSGI_APPLICATION = "tests.browser.site.wsgi.application"
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
# A __Host- session cookie: Secure, Path=/, no Domain, so no sibling host can plant or read it.
SESSION_COOKIE_NAME = os.environ.get("HARDSESS_BROWSER_SESSION_COOKIE", "__Host-session")
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_PATH = "/"
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_SECURE = True

#: The keyring: b1 alone, or (HARDSESS_BROWSER_KEYS, JSON) a later stage of its rotation.
KEYS: list[dict[str, str]] = json.loads(
    os.environ.get(
        "HARDSESS_BROWSER_KEYS",
        '[{"id": "b1", "secret": "browser-test-key-b1-0123456789abcdef0123456789abcdef", '
        '"state": "primary"}]',
    )
)

HARDSESS: dict[str, Any] = {
    "KEYS": KEYS,
    "COOKIES": {
        # Read by the page's JavaScript: not HttpOnly (still signed, still Secure).
        "ui_theme": {"httponly": False},
        "strict_c": {"samesite": "Strict"},
        "none_c": {"samesite": None},
        # Set by the page's JavaScript, one per widget id: passes unsigned (a pattern).
        "widget_*": {"sign": False, "httponly": False},
    },
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
