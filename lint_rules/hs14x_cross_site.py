"""HS141: SameSite=None without Secure, in source (catalogue: hardsess/policy/hs14x_cross_site.py).

Browsers (Chrome 80 and later, then the others) reject a ``SameSite=None`` cookie that is not
``Secure``.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id


class SameSiteNoneWithoutSecure(SettingsRule):
    """HS141: ``*_COOKIE_SAMESITE = "None"`` while the matching ``*_COOKIE_SECURE`` is not True.

    No fix: making the cookie Secure changes where it is sent, and choosing Lax instead breaks
    whatever cross-site use made someone write "None". Both need a human decision.
    """

    record = by_id("HS141")
    VALID = (
        Valid('SESSION_COOKIE_SAMESITE = "None"\nSESSION_COOKIE_SECURE = True\n'),
        Valid('CSRF_COOKIE_SAMESITE = "Lax"\nCSRF_COOKIE_SECURE = False\n'),
        # Secure is not written in this file: file mode has no opinion on what another sets.
        Valid('SESSION_COOKIE_SAMESITE = "None"\n'),
        Valid(
            'DEBUG = False\nSESSION_COOKIE_SAMESITE = "None"\nSESSION_COOKIE_SECURE = not DEBUG\n'
        ),
        Valid(
            'SESSION_COOKIE_SAMESITE = "None"  # hardsess: ignore[HS141]\n'
            "SESSION_COOKIE_SECURE = False\n"
        ),
    )
    INVALID = (
        Invalid('SESSION_COOKIE_SAMESITE = "None"\nSESSION_COOKIE_SECURE = False\n'),
        Invalid('DEBUG = True\nCSRF_COOKIE_SAMESITE = "none"\nCSRF_COOKIE_SECURE = not DEBUG\n'),
        Invalid(
            "import os\n"
            'LANGUAGE_COOKIE_SAMESITE = "None"\n'
            'LANGUAGE_COOKIE_SECURE = os.getenv("HTTPS", "off") == "on"\n'
        ),
        Invalid(
            'SESSION_COOKIE_SAMESITE = "None"\n'
            "SESSION_COOKIE_SECURE = False\n"
            'CSRF_COOKIE_SAMESITE = "None"\n'
            "CSRF_COOKIE_SECURE = 0\n",
            count=2,
        ),
    )
