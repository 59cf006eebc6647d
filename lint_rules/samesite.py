"""SameSite of the session cookie (HS103) and SameSite=None without Secure (HS141).

Django 2.1 added ``SESSION_COOKIE_SAMESITE`` with ``"Lax"`` as its default; Django 3.1 began
sending ``SameSite=None`` explicitly for ``"None"``. Browsers (Chrome 80 and later, then the
others) reject a ``SameSite=None`` cookie that is not ``Secure``.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id


class SessionCookieSameSite(SettingsRule):
    """HS103: None, False, "None" or a value Django rejects at response time."""

    policy = by_id("HS103")
    VALID = (
        Valid('SESSION_COOKIE_SAMESITE = "Lax"\n'),
        Valid("SESSION_COOKIE_SAMESITE = 'Strict'\n"),
        Valid('SESSION_COOKIE_SAMESITE = "strict"  # Django lower-cases it\n'),
        Valid('import os\nSESSION_COOKIE_SAMESITE = os.environ.get("SAMESITE", "Lax")\n'),
        Valid("SESSION_COOKIE_SAMESITE = samesite_for(DEPLOYMENT)  # unknown: no opinion\n"),
        Valid("SESSION_COOKIE_SAMESITE = None  # hardsess: ignore[HS103]\n"),
        Valid("SESSION_COOKIE_SAMESITE = None  # noqa: HS103\n"),
        Valid("CSRF_COOKIE_SAMESITE = None  # another cookie: HS112\n"),
        Valid("SESSION_COOKIE_SAMESITE = None\n", path="views.py"),  # not a settings file
    )
    INVALID = (
        Invalid(
            "SESSION_COOKIE_SAMESITE = None\n",
            fixed='SESSION_COOKIE_SAMESITE = "Lax"\n',
        ),
        Invalid(
            "SESSION_COOKIE_SAMESITE = False  # embedded widget\n",
            fixed='SESSION_COOKIE_SAMESITE = "Lax"  # embedded widget\n',
        ),
        Invalid(
            "SESSION_COOKIE_SAMESITE = 'none'\n",
            fixed='SESSION_COOKIE_SAMESITE = "Lax"\n',
        ),
        Invalid(
            'SESSION_COOKIE_SAMESITE = "Loose"  # Django raises ValueError on this\n',
            fixed='SESSION_COOKIE_SAMESITE = "Lax"  # Django raises ValueError on this\n',
        ),
        Invalid(
            "SESSION_COOKIE_SAMESITE = None  # noqa: HS101 (another rule)\n",
            fixed='SESSION_COOKIE_SAMESITE = "Lax"  # noqa: HS101 (another rule)\n',
        ),
        Invalid(
            'import os\nSESSION_COOKIE_SAMESITE = os.environ.get("SAMESITE", "None")\n',
            unsafe_fixed='import os\nSESSION_COOKIE_SAMESITE = os.environ.get("SAMESITE", "Lax")\n',
        ),
        Invalid(
            "import environ\n"
            "env = environ.Env()\n"
            'SESSION_COOKIE_SAMESITE = env("SESSION_COOKIE_SAMESITE", default="None")\n',
            unsafe_fixed="import environ\n"
            "env = environ.Env()\n"
            'SESSION_COOKIE_SAMESITE = env("SESSION_COOKIE_SAMESITE", default="Lax")\n',
        ),
        Invalid(
            "if DEBUG:\n"
            '    SESSION_COOKIE_SAMESITE = "Lax"\n'
            "else:\n"
            "    SESSION_COOKIE_SAMESITE = None\n",
            fixed="if DEBUG:\n"
            '    SESSION_COOKIE_SAMESITE = "Lax"\n'
            "else:\n"
            '    SESSION_COOKIE_SAMESITE = "Lax"\n',
        ),
    )


class SameSiteNoneWithoutSecure(SettingsRule):
    """HS141: ``*_COOKIE_SAMESITE = "None"`` while the matching ``*_COOKIE_SECURE`` is not True.

    No fix: making the cookie Secure changes where it is sent, and choosing Lax instead breaks
    whatever cross-site use made someone write "None". Both need a human decision.
    """

    policy = by_id("HS141")
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
