"""HS101 / HS102: the session cookie's Secure and HttpOnly flags.

The worked example of a settings rule: the catalogue record (``policy``) does the judging and
the engine's generic fix does the fixing, so the class only carries its examples. Copy this
module for another settings rule: one class per ID, ``policy = by_id("HS1xx")``, ``VALID``
and ``INVALID`` examples that show every form the rule understands (literal, computed,
environment default with its unsafe fix, unknown stays silent). Override ``fix`` only when
the generic fix (hardsess.lint.rule) is not the right one.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id


class SessionCookieSecure(SettingsRule):
    """SESSION_COOKIE_SECURE must be true in production settings."""

    policy = by_id("HS101")
    VALID = (
        Valid("SESSION_COOKIE_SECURE = True\n"),
        Valid("DEBUG = False\nSESSION_COOKIE_SECURE = not DEBUG\n"),
        Valid('import os\nSESSION_COOKIE_SECURE = os.environ["SECURE"] == "1"\n'),  # unknown
        Valid("SESSION_COOKIE_SECURE = False  # hardsess: ignore[HS101]\n"),
        Valid("SESSION_COOKIE_SECURE = False\n", path="views.py"),  # not a settings file
        Valid("SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_SECURE = True\n"),  # last wins
    )
    INVALID = (
        Invalid(
            "SESSION_COOKIE_SECURE = False  # dev only\n",
            fixed="SESSION_COOKIE_SECURE = True  # dev only\n",
        ),
        Invalid(
            "DEBUG = True\nSESSION_COOKIE_SECURE = not DEBUG\n",  # computed: no safe fix
        ),
        Invalid(
            "import os\n"
            'SESSION_COOKIE_SECURE = os.environ.get("DJANGO_SECURE", "False") == "True"\n',
            unsafe_fixed="import os\n"
            'SESSION_COOKIE_SECURE = os.environ.get("DJANGO_SECURE", "True") == "True"\n',
        ),
        Invalid(
            "import environ\nenv = environ.Env()\n"
            'SESSION_COOKIE_SECURE = env.bool("SECURE", default=False)\n',
            unsafe_fixed="import environ\nenv = environ.Env()\n"
            'SESSION_COOKIE_SECURE = env.bool("SECURE", default=True)\n',
        ),
        Invalid(
            "from configurations import Configuration, values\n\n\n"
            "class Prod(Configuration):\n"
            "    SESSION_COOKIE_SECURE = values.BooleanValue(False)\n",
            path="myproject/settings/prod.py",
            unsafe_fixed="from configurations import Configuration, values\n\n\n"
            "class Prod(Configuration):\n"
            "    SESSION_COOKIE_SECURE = values.BooleanValue(True)\n",
        ),
        Invalid(
            "class Prod(Configuration):\n    SESSION_COOKIE_SECURE = False\n",
            path="myproject/settings/prod.py",
            fixed="class Prod(Configuration):\n    SESSION_COOKIE_SECURE = True\n",
        ),
    )


class SessionCookieHttpOnly(SettingsRule):
    """SESSION_COOKIE_HTTPONLY must stay true (Django's default)."""

    policy = by_id("HS102")
    VALID = (
        Valid("SESSION_COOKIE_HTTPONLY = True\n"),
        Valid(
            "from decouple import config\n"
            'SESSION_COOKIE_HTTPONLY = config("HTTPONLY", default=True, cast=bool)\n'
        ),
    )
    INVALID = (
        Invalid(
            "SESSION_COOKIE_HTTPONLY = (False)\n",
            fixed="SESSION_COOKIE_HTTPONLY = (True)\n",
        ),
        Invalid(
            "from decouple import config as cfg\n"
            'SESSION_COOKIE_HTTPONLY = cfg("HTTPONLY", default="off", cast=bool)\n',
            unsafe_fixed="from decouple import config as cfg\n"
            'SESSION_COOKIE_HTTPONLY = cfg("HTTPONLY", default="True", cast=bool)\n',
        ),
    )
