"""Everything the catalogue and the configuration checks can find on live settings.

Every value is wrong on purpose. ``# hardsess: ignore`` keeps the repository's own
``hardsess lint`` clean; the system checks read live values, never comments.
"""

from __future__ import annotations

from tests.checks.site.settings_base import *  # noqa: F403

SECRET_KEY = "django-insecure-" + "k" * 50  # hardsess: ignore
SECRET_KEY_FALLBACKS = [SECRET_KEY]  # hardsess: ignore
MIDDLEWARE = [
    "tests.checks.middleware.TenantSessions",  # a renamed SessionMiddleware, above the firewall
    "hardsess.middleware.HardSessMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SESSION_COOKIE_SECURE = False  # hardsess: ignore
SESSION_COOKIE_HTTPONLY = False  # hardsess: ignore
SESSION_COOKIE_SAMESITE = "None"  # hardsess: ignore
SESSION_COOKIE_AGE = 90 * 24 * 3600  # hardsess: ignore
SESSION_COOKIE_DOMAIN = ".example.com"  # hardsess: ignore
SESSION_COOKIE_NAME = "__Host-sessionid"  # hardsess: ignore
SESSION_SERIALIZER = "myproject.serializers.PickleSerializer"  # hardsess: ignore
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # hardsess: ignore
CSRF_COOKIE_SECURE = "False"  # from the environment: truthy, so Secure is in fact sent
CSRF_COOKIE_SAMESITE = "Loose"  # hardsess: ignore
LANGUAGE_COOKIE_SECURE = False  # hardsess: ignore
LANGUAGE_COOKIE_HTTPONLY = False  # hardsess: ignore
LANGUAGE_COOKIE_SAMESITE = "none"  # hardsess: ignore
SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True  # hardsess: ignore
HARDSESS = {
    "KEYS": [{"id": "k1", "secret": "short", "state": "verify"}],
    "COOKIES": {"*": {"samesite": "sometimes"}},
    "SESSION": {"IDLE_TIMEOUT": "15m"},  # a string: invalid, and not enforced either
    "REPORT_ONLY": True,
}
