"""Secure except for cookie flags the firewall enforces at runtime (``check --deploy`` passes).

The firewall stands above the middleware that set cookies and enforces (no report-only), so the
Secure, HttpOnly and SameSite settings below never reach a browser as written.
"""

from __future__ import annotations

from tests.checks.site.settings_base import *  # noqa: F403
from tests.checks.site.settings_secure import MIDDLEWARE  # noqa: F401  # a setting

SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False
# SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE: never written, Django's default False.
SESSION_COOKIE_HTTPONLY = False  # hardsess: ignore[HS102]
SESSION_COOKIE_SAMESITE = None  # hardsess: ignore[HS103]
CSRF_COOKIE_SAMESITE = None  # hardsess: ignore[HS112]
LANGUAGE_COOKIE_SECURE = False  # hardsess: ignore[HS121]
LANGUAGE_COOKIE_HTTPONLY = False  # hardsess: ignore[HS122]
LANGUAGE_COOKIE_SAMESITE = "None"  # hardsess: ignore[HS123, HS141]
