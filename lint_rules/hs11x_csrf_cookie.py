"""The CSRF cookie: Secure (HS111) and SameSite (HS112).

Django's ``CSRF_COOKIE_SECURE`` defaults to False (``check --deploy`` reports it as
security.W016 on live settings); ``CSRF_COOKIE_SAMESITE`` defaults to "Lax" since Django 2.1.
The examples cover the ways projects write "secure in production": environment reads with a
default (os, django-environ, python-decouple, ``strtobool``), aliases, ``not DEBUG``.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id


class CsrfCookieSecure(SettingsRule):
    """HS111: a falsy CSRF_COOKIE_SECURE, or an environment read whose default is falsy."""

    record = by_id("HS111")
    VALID = (
        Valid("CSRF_COOKIE_SECURE = True\n"),
        Valid('import os\nCSRF_COOKIE_SECURE = os.environ.get("CSRF_SECURE", "True") == "True"\n'),
        Valid('import os\nCSRF_COOKIE_SECURE = os.environ["CSRF_SECURE"] == "1"  # no default\n'),
        Valid("DEBUG = False\nCSRF_COOKIE_SECURE = not DEBUG\n"),
        Valid("CSRF_COOKIE_SECURE = request_is_https()  # unknown: no opinion\n"),
        Valid("CSRF_COOKIE_SECURE = False  # hardsess: ignore[HS111]\n"),
        Valid("CSRF_COOKIE_SECURE = False  # noqa: HS111\n"),
        Valid("CSRF_COOKIE_SECURE = (  # hardsess: ignore[HS111]\n    False\n)\n"),
        Valid(
            "from decouple import config\n"
            'CSRF_COOKIE_SECURE = config("CSRF_COOKIE_SECURE", default=True, cast=bool)\n'
        ),
        # The token lives in the session: Django sets no CSRF cookie (security.W016 agrees).
        Valid("CSRF_USE_SESSIONS = True\nCSRF_COOKIE_SECURE = False\n"),
    )
    INVALID = (
        Invalid("CSRF_COOKIE_SECURE = False\n", fixed="CSRF_COOKIE_SECURE = True\n"),
        Invalid("CSRF_COOKIE_SECURE: bool = False\n", fixed="CSRF_COOKIE_SECURE: bool = True\n"),
        Invalid(
            'import os\nCSRF_COOKIE_SECURE = os.environ.setdefault("CSRF_SECURE", "0") == "1"\n',
            unsafe_fixed="import os\n"
            'CSRF_COOKIE_SECURE = os.environ.setdefault("CSRF_SECURE", "1") == "1"\n',
        ),
        Invalid(
            "CSRF_COOKIE_SECURE = 0  # set to 1 in production\n",
            fixed="CSRF_COOKIE_SECURE = True  # set to 1 in production\n",
        ),
        Invalid(
            "CSRF_COOKIE_SECURE = False  # noqa: E501\n",
            fixed="CSRF_COOKIE_SECURE = True  # noqa: E501\n",
        ),
        # A computed value has no safe fix: the fix would change what DEBUG means here.
        Invalid("DEBUG = True\nCSRF_COOKIE_SECURE = not DEBUG\n"),
        Invalid(
            'import os\nCSRF_COOKIE_SECURE = os.environ.get("CSRF_SECURE", "False") == "True"\n',
            unsafe_fixed="import os\n"
            'CSRF_COOKIE_SECURE = os.environ.get("CSRF_SECURE", "True") == "True"\n',
        ),
        Invalid(
            "from os import environ as E\n"
            'CSRF_COOKIE_SECURE = E.get("CSRF_SECURE", "false").lower() in ("1", "true")\n',
            unsafe_fixed="from os import environ as E\n"
            'CSRF_COOKIE_SECURE = E.get("CSRF_SECURE", "True").lower() in ("1", "true")\n',
        ),
        Invalid(
            "import os\n"
            'DEBUG = os.getenv("DJANGO_DEBUG", "1") == "1"\n'
            "CSRF_COOKIE_SECURE = not DEBUG\n",
        ),
        Invalid(
            "import environ\n"
            "env = environ.Env()\n"
            'CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)\n',
            unsafe_fixed="import environ\n"
            "env = environ.Env()\n"
            'CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)\n',
        ),
        Invalid(
            "import environ\n"
            "env = environ.Env(CSRF_COOKIE_SECURE=(bool, False))\n"
            'CSRF_COOKIE_SECURE = env("CSRF_COOKIE_SECURE")\n',
        ),
        Invalid(
            "from decouple import config\n"
            'CSRF_COOKIE_SECURE = config("CSRF_COOKIE_SECURE", default=False, cast=bool)\n',
            unsafe_fixed="from decouple import config\n"
            'CSRF_COOKIE_SECURE = config("CSRF_COOKIE_SECURE", default=True, cast=bool)\n',
        ),
        Invalid(
            "import os\n"
            "from distutils.util import strtobool\n"
            'CSRF_COOKIE_SECURE = strtobool(os.getenv("CSRF_SECURE", "no"))\n',
            unsafe_fixed="import os\n"
            "from distutils.util import strtobool\n"
            'CSRF_COOKIE_SECURE = strtobool(os.getenv("CSRF_SECURE", "True"))\n',
        ),
        Invalid(
            "from configurations import Configuration\n\n\n"
            "class Production(Configuration):\n"
            "    CSRF_COOKIE_SECURE = False\n",
            fixed="from configurations import Configuration\n\n\n"
            "class Production(Configuration):\n"
            "    CSRF_COOKIE_SECURE = True\n",
        ),
        Invalid(
            "try:\n    from .local import *\nexcept ImportError:\n    CSRF_COOKIE_SECURE = False\n",
            fixed="try:\n"
            "    from .local import *\n"
            "except ImportError:\n"
            "    CSRF_COOKIE_SECURE = True\n",
        ),
    )


class CsrfCookieSameSite(SettingsRule):
    """HS112: as HS103, for the CSRF cookie."""

    record = by_id("HS112")
    VALID = (
        Valid('CSRF_COOKIE_SAMESITE = "Strict"\n'),
        Valid("CSRF_USE_SESSIONS = True\nCSRF_COOKIE_SAMESITE = None  # no CSRF cookie\n"),
        Valid(
            "SESSION_COOKIE_SAMESITE = None  # another cookie: HS103\n"
            'CSRF_COOKIE_SAMESITE = "Lax"\n'
        ),
        Valid('import os\nCSRF_COOKIE_SAMESITE = os.environ.get("CSRF_SAMESITE", "Strict")\n'),
    )
    INVALID = (
        Invalid("CSRF_COOKIE_SAMESITE = None\n", fixed='CSRF_COOKIE_SAMESITE = "Lax"\n'),
        Invalid(
            'CSRF_COOKIE_SAMESITE = "NONE"  # a comment is kept\n',
            fixed='CSRF_COOKIE_SAMESITE = "Lax"  # a comment is kept\n',
        ),
        Invalid(  # cross-site by its comment: Lax would break the iframe, so unsafe
            'CSRF_COOKIE_SAMESITE = "NONE"  # for the partner iframe\n',
            unsafe_fixed='CSRF_COOKIE_SAMESITE = "Lax"  # for the partner iframe\n',
        ),
        Invalid('CSRF_COOKIE_SAMESITE = ""\n', fixed='CSRF_COOKIE_SAMESITE = "Lax"\n'),
        Invalid(
            "from decouple import config\n"
            'CSRF_COOKIE_SAMESITE = config("CSRF_COOKIE_SAMESITE", default="None")\n',
            unsafe_fixed="from decouple import config\n"
            'CSRF_COOKIE_SAMESITE = config("CSRF_COOKIE_SAMESITE", default="Lax")\n',
        ),
        Invalid(
            "from decouple import config as cfg\n"
            'CSRF_COOKIE_SAMESITE = cfg("CSRF_COOKIE_SAMESITE", default=None)\n',
            unsafe_fixed="from decouple import config as cfg\n"
            'CSRF_COOKIE_SAMESITE = cfg("CSRF_COOKIE_SAMESITE", default="Lax")\n',
        ),
    )
