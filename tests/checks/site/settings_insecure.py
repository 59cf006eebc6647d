"""Everything the catalogue and the configuration checks can find on live settings."""

from __future__ import annotations

from tests.checks.site.settings_base import *  # noqa: F403

SECRET_KEY = "django-insecure-" + "k" * 50
SECRET_KEY_FALLBACKS = [SECRET_KEY]
MIDDLEWARE = [
    "tests.checks.middleware.TenantSessions",  # a renamed SessionMiddleware, above the firewall
    "hardsess.middleware.HardSessMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "None"
SESSION_COOKIE_AGE = 90 * 24 * 3600
SESSION_COOKIE_DOMAIN = ".example.com"
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_SERIALIZER = "myproject.serializers.PickleSerializer"
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
CSRF_COOKIE_SECURE = "False"  # from the environment: truthy, so Secure is in fact sent
CSRF_COOKIE_SAMESITE = "Loose"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_SAMESITE = "none"
SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True
HARDSESS = {
    "KEYS": [{"id": "k1", "secret": "short", "state": "verify"}],
    "COOKIES": {"*": {"samesite": "sometimes"}},
    "SESSION": {"IDLE_TIMEOUT": "15m"},  # a string: invalid, and not enforced either
    "REPORT_ONLY": True,
}
