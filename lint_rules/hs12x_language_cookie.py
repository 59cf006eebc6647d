"""The language cookie (``LocaleMiddleware``): Secure (HS121), HttpOnly (HS122), SameSite
(HS123).

Django added ``LANGUAGE_COOKIE_SECURE``, ``_HTTPONLY`` and ``_SAMESITE`` in 3.0 with insecure
defaults (False, False, None). The language cookie carries no secret, so these rules are low
severity and *explicit-only*: they judge a value someone wrote, never Django's default.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id


class LanguageCookieSecure(SettingsRule):
    """HS121: an explicit falsy LANGUAGE_COOKIE_SECURE (or a falsy environment default)."""

    record = by_id("HS121")
    VALID = (
        Valid("LANGUAGE_COOKIE_SECURE = True\n"),
        Valid('LANGUAGE_CODE = "en-us"  # Django\'s default cookie flags are not judged\n'),
        Valid("LANGUAGE_COOKIE_SECURE = False  # hardsess: ignore[HS121]\n"),
    )
    INVALID = (
        Invalid("LANGUAGE_COOKIE_SECURE = False\n", fixed="LANGUAGE_COOKIE_SECURE = True\n"),
        Invalid(
            'import os\nLANGUAGE_COOKIE_SECURE = os.getenv("HTTPS", "off") == "on"\n',
            unsafe_fixed='import os\nLANGUAGE_COOKIE_SECURE = os.getenv("HTTPS", "on") == "on"\n',
        ),
        Invalid(
            'import os as o\nLANGUAGE_COOKIE_SECURE = o.environ.get("LANG_SECURE", "0") == "1"\n',
            unsafe_fixed="import os as o\n"
            'LANGUAGE_COOKIE_SECURE = o.environ.get("LANG_SECURE", "1") == "1"\n',
        ),
    )


class LanguageCookieHttpOnly(SettingsRule):
    """HS122: an explicit falsy LANGUAGE_COOKIE_HTTPONLY."""

    record = by_id("HS122")
    VALID = (
        Valid("LANGUAGE_COOKIE_HTTPONLY = True\n"),
        Valid("USE_I18N = True\n"),
    )
    INVALID = (
        Invalid(
            "LANGUAGE_COOKIE_HTTPONLY = False  # the language picker reads it\n",
            fixed="LANGUAGE_COOKIE_HTTPONLY = True  # the language picker reads it\n",
        ),
        Invalid(
            "import environ\n"
            "env = environ.Env()\n"
            'LANGUAGE_COOKIE_HTTPONLY = env("LANGUAGE_HTTPONLY", cast=bool, default=False)\n',
            unsafe_fixed="import environ\n"
            "env = environ.Env()\n"
            'LANGUAGE_COOKIE_HTTPONLY = env("LANGUAGE_HTTPONLY", cast=bool, default=True)\n',
        ),
    )


class LanguageCookieSameSite(SettingsRule):
    """HS123: an explicit None, "None" or invalid LANGUAGE_COOKIE_SAMESITE."""

    record = by_id("HS123")
    VALID = (
        Valid('LANGUAGE_COOKIE_SAMESITE = "Lax"\n'),
        Valid('LANGUAGE_COOKIE_NAME = "django_language"\n'),
    )
    INVALID = (
        Invalid("LANGUAGE_COOKIE_SAMESITE = None\n", fixed='LANGUAGE_COOKIE_SAMESITE = "Lax"\n'),
        Invalid(
            'LANGUAGE_COOKIE_SAMESITE = "Relaxed"\n', fixed='LANGUAGE_COOKIE_SAMESITE = "Lax"\n'
        ),
    )
