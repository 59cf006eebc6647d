"""HS101-HS109: the session cookie and the store behind it, in source.

The records and judges are in ``hardsess/policy/hs10x_session_cookie.py``; this module holds the
lint rule classes and their examples. HS101 / HS102 are the worked example of a settings rule:
the catalogue record does the judging and the engine's generic fix does the fixing, so the
class only carries its examples. Copy one for another settings rule: one class per ID,
``record = by_id("HS1xx")``, ``VALID`` and ``INVALID`` examples that show every form the rule
understands (literal, computed, environment default with its unsafe fix, unknown stays
silent). Override ``fix`` only when the generic fix (hardsess.lint.rule) is not the right one.

- HS103: Django 2.1 added ``SESSION_COOKIE_SAMESITE`` with ``"Lax"`` as its default; Django 3.1
  began sending ``SameSite=None`` explicitly for ``"None"``.
- HS104-HS106 (age, Domain, ``__Host-`` / ``__Secure-`` prefixes) have no automatic fix:
  shortening sessions logs users out sooner, dropping a Domain logs them out of sibling
  subdomains, and a prefix needs Secure, Path and Domain to agree. Each is a product decision,
  so the finding explains and a human chooses.
- HS107: Django 5.0 removed ``PickleSerializer`` (deprecated since 4.1), so projects that still
  pickle sessions carry their own copy: the rule matches any serializer path that names pickle.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id

_TIMEDELTA = "from datetime import timedelta\n"
_JSON = "django.contrib.sessions.serializers.JSONSerializer"
_SIGNED = "django.contrib.sessions.backends.signed_cookies"
_FILE = "django.contrib.sessions.backends.file"


class SessionCookieSecure(SettingsRule):
    """SESSION_COOKIE_SECURE must be true in production settings."""

    record = by_id("HS101")
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

    record = by_id("HS102")
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


class SessionCookieSameSite(SettingsRule):
    """HS103: None, False, "None" or a value Django rejects at response time."""

    record = by_id("HS103")
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
            "SESSION_COOKIE_SAMESITE = False  # keep this comment\n",
            fixed='SESSION_COOKIE_SAMESITE = "Lax"  # keep this comment\n',
        ),
        # A comment saying the cookie is used cross-site: Lax would break that, so the fix
        # is unsafe (hardsess.lint.fix_safety).
        Invalid(
            "SESSION_COOKIE_SAMESITE = False  # embedded widget\n",
            unsafe_fixed='SESSION_COOKIE_SAMESITE = "Lax"  # embedded widget\n',
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


class SessionCookieAge(SettingsRule):
    """HS104: above the configured maximum (14 days by default) or not a positive number."""

    record = by_id("HS104")
    VALID = (
        Valid("SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day\n"),
        Valid("SESSION_COOKIE_AGE = 1209600  # exactly the 14-day maximum\n"),
        Valid(_TIMEDELTA + "SESSION_COOKIE_AGE = timedelta(hours=12).total_seconds()\n"),
        Valid("HOUR = 3600\nSESSION_COOKIE_AGE = 4 * HOUR\n"),
        Valid('import os\nSESSION_COOKIE_AGE = int(os.environ["SESSION_COOKIE_AGE"])\n'),
        Valid("SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # hardsess: ignore[HS104]\n"),
    )
    INVALID = (
        Invalid("SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # a month\n"),
        Invalid(_TIMEDELTA + "SESSION_COOKIE_AGE = timedelta(days=90).total_seconds()\n"),
        Invalid(_TIMEDELTA + "SESSION_COOKIE_AGE = int(timedelta(days=30).total_seconds())\n"),
        Invalid(
            "import datetime\n"
            "SESSION_COOKIE_AGE = (datetime.timedelta(weeks=2) + datetime.timedelta(days=1))"
            ".total_seconds()\n"
        ),
        Invalid("DAY = 24 * 60 * 60\nSESSION_COOKIE_AGE = 365 * DAY\n"),
        Invalid("SESSION_COOKIE_AGE = 0\n"),
        Invalid("SESSION_COOKIE_AGE = -1\n"),
        Invalid(
            "import environ\n"
            "env = environ.Env()\n"
            'SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 365)\n'
        ),
        Invalid(
            "from decouple import config\n"
            'SESSION_COOKIE_AGE = config("SESSION_COOKIE_AGE", default=31536000, cast=int)\n'
        ),
        Invalid(
            "from configurations import Configuration\n\n\n"
            "class Production(Configuration):\n"
            "    SESSION_COOKIE_AGE = 60 * 60 * 24 * 60\n"
        ),
    )


class CookieDomainShared(SettingsRule):
    """HS105: a Domain on the session or CSRF cookie shares it with every subdomain."""

    record = by_id("HS105")
    VALID = (
        Valid("SESSION_COOKIE_DOMAIN = None\nCSRF_COOKIE_DOMAIN = None\n"),
        Valid('import os\nSESSION_COOKIE_DOMAIN = os.environ.get("COOKIE_DOMAIN")\n'),
        Valid('LANGUAGE_COOKIE_DOMAIN = ".example.com"  # carries no secret\n'),
        Valid('SESSION_COOKIE_DOMAIN = ".example.com"  # hardsess: ignore[HS105]\n'),
    )
    INVALID = (
        Invalid('SESSION_COOKIE_DOMAIN = ".example.com"\n'),
        Invalid(
            'SESSION_COOKIE_DOMAIN = "example.com"\nCSRF_COOKIE_DOMAIN = ".example.com"\n',
            count=2,
        ),
        Invalid(
            'import os\nSESSION_COOKIE_DOMAIN = os.environ.get("COOKIE_DOMAIN", ".example.com")\n'
        ),
        Invalid('PARENT = ".example.com"\nCSRF_COOKIE_DOMAIN = PARENT\n'),
    )


class CookiePrefixBroken(SettingsRule):
    """HS106: a ``__Host-`` / ``__Secure-`` / ``__Http-`` / ``__Host-Http-`` name whose
    attributes make browsers drop it."""

    record = by_id("HS106")
    VALID = (
        Valid('SESSION_COOKIE_NAME = "__Host-sessionid"\nSESSION_COOKIE_SECURE = True\n'),
        Valid(
            'SESSION_COOKIE_NAME = "__Secure-sessionid"\n'
            "SESSION_COOKIE_SECURE = True\n"
            'SESSION_COOKIE_DOMAIN = ".example.com"  # __Secure- allows a Domain\n'
        ),
        Valid('SESSION_COOKIE_NAME = "sessionid"\nSESSION_COOKIE_SECURE = False\n'),
        Valid(
            'DEBUG = False\nCSRF_COOKIE_NAME = "__Host-csrftoken"\nCSRF_COOKIE_SECURE = not DEBUG\n'
        ),
        # Secure is not written here: another settings module may set it.
        Valid('SESSION_COOKIE_NAME = "__Host-sessionid"\n'),
        # Django's session cookie is HttpOnly by default: __Host-Http- only needs Secure.
        Valid('SESSION_COOKIE_NAME = "__Host-Http-sessionid"\nSESSION_COOKIE_SECURE = True\n'),
        Valid(
            'CSRF_COOKIE_NAME = "__Http-csrftoken"\n'
            "CSRF_COOKIE_SECURE = True\n"
            "CSRF_COOKIE_HTTPONLY = True\n"
        ),
    )
    INVALID = (
        Invalid(
            'SESSION_COOKIE_NAME = "__Host-sessionid"\n'
            "SESSION_COOKIE_SECURE = True\n"
            'SESSION_COOKIE_DOMAIN = ".example.com"\n'
        ),
        Invalid(
            'CSRF_COOKIE_NAME = "__Host-csrftoken"\n'
            "CSRF_COOKIE_SECURE = True\n"
            'CSRF_COOKIE_PATH = "/app/"\n'
        ),
        Invalid('SESSION_COOKIE_NAME = "__Secure-sessionid"\nSESSION_COOKIE_SECURE = False\n'),
        Invalid(
            "import os\n"
            'SESSION_COOKIE_NAME = "__Host-id"\n'
            'SESSION_COOKIE_SECURE = os.getenv("HTTPS", "") == "on"\n'
        ),
        Invalid(
            'DEBUG = True\nSESSION_COOKIE_NAME = "__Host-id"\nSESSION_COOKIE_SECURE = not DEBUG\n'
        ),
        # The page's script reads this CSRF cookie; __Http- forbids exactly that.
        Invalid(
            'CSRF_COOKIE_NAME = "__Http-csrftoken"\n'
            "CSRF_COOKIE_SECURE = True\n"
            "CSRF_COOKIE_HTTPONLY = False\n"
        ),
        # __Host-Http- carries __Host-'s rules too.
        Invalid(
            'SESSION_COOKIE_NAME = "__Host-Http-sessionid"\n'
            "SESSION_COOKIE_SECURE = True\n"
            'SESSION_COOKIE_PATH = "/app/"\n'
        ),
        Invalid(
            'SESSION_COOKIE_NAME = "__Http-sessionid"\n'
            "SESSION_COOKIE_SECURE = False\n"
            "SESSION_COOKIE_HTTPONLY = False\n"
        ),
    )


class SessionSerializerPickle(SettingsRule):
    """HS107: a pickle-based SESSION_SERIALIZER; the fix is Django's JSONSerializer."""

    record = by_id("HS107")
    VALID = (
        Valid(f'SESSION_SERIALIZER = "{_JSON}"\n'),
        Valid('SESSION_SERIALIZER = "myproject.sessions.MsgPackSerializer"\n'),
        Valid('import os\nSESSION_SERIALIZER = os.environ["SESSION_SERIALIZER"]\n'),
        Valid(
            'SESSION_SERIALIZER = "myproject.sessions.PickleSerializer"'
            "  # hardsess: ignore[HS107]\n"
        ),
    )
    INVALID = (
        Invalid(
            "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n",
            fixed=f'SESSION_SERIALIZER = "{_JSON}"\n',
        ),
        Invalid(
            'SESSION_SERIALIZER = "myproject.sessions.PickleSerializer"  # holds models\n',
            fixed=f'SESSION_SERIALIZER = "{_JSON}"  # holds models\n',
        ),
        Invalid(
            'SESSION_SERIALIZER = (\n    "myproject.sessions.PickleSerializer"  # models\n)\n',
            fixed=f'SESSION_SERIALIZER = (\n    "{_JSON}"  # models\n)\n',
        ),
        Invalid(
            "import os\n"
            'SESSION_SERIALIZER = os.environ.get("SESSION_SERIALIZER", "app.PickleSerializer")\n',
            unsafe_fixed="import os\n"
            f'SESSION_SERIALIZER = os.environ.get("SESSION_SERIALIZER", "{_JSON}")\n',
        ),
        Invalid(
            "from configurations import Configuration\n\n\n"
            "class Base(Configuration):\n"
            '    SESSION_SERIALIZER = "myproject.sessions.PickleSerializer"\n',
            fixed="from configurations import Configuration\n\n\n"
            "class Base(Configuration):\n"
            f'    SESSION_SERIALIZER = "{_JSON}"\n',
        ),
    )


class SessionEngineSignedCookies(SettingsRule):
    """HS108: signed-cookie sessions survive logout unless hardsess revocation is configured."""

    record = by_id("HS108")
    VALID = (
        Valid('SESSION_ENGINE = "django.contrib.sessions.backends.db"\n'),
        Valid('SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"\n'),
        Valid(
            f'SESSION_ENGINE = "{_SIGNED}"\nHARDSESS = {{"SESSION": {{"REVOCATION": "cache"}}}}\n'
        ),
        Valid(f'SESSION_ENGINE = "{_SIGNED}"  # hardsess: ignore[HS108]\n'),
    )
    INVALID = (
        Invalid(f'SESSION_ENGINE = "{_SIGNED}"\n'),
        Invalid(
            f'SESSION_ENGINE = "{_SIGNED}"\n'
            'SESSION_SERIALIZER = "myproject.sessions.PickleSerializer"\n'
        ),
        Invalid(
            f'SESSION_ENGINE = "{_SIGNED}"\nHARDSESS = {{"SESSION": {{"REVOCATION": None}}}}\n'
        ),
        Invalid(f'import os\nSESSION_ENGINE = os.environ.get("SESSION_ENGINE", "{_SIGNED}")\n'),
        # hardsess's own engine keeps the session in the cookie too: logout needs the marks.
        Invalid('SESSION_ENGINE = "hardsess.backends.signed_cookies"\n'),
    )


class SessionFilesInTemp(SettingsRule):
    """HS109: the file engine without SESSION_FILE_PATH, or with one under a shared temp dir."""

    record = by_id("HS109")
    VALID = (
        Valid(f'SESSION_ENGINE = "{_FILE}"\nSESSION_FILE_PATH = "/var/lib/myproject/sessions"\n'),
        Valid('SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n'),
        Valid('SESSION_FILE_PATH = "/tmp/sessions"  # the file engine is not in use here\n'),
        # A path the linter cannot evaluate is not "unset": no opinion.
        Valid(
            "from pathlib import Path\n"
            "BASE_DIR = Path(__file__).resolve().parent.parent\n"
            f'SESSION_ENGINE = "{_FILE}"\n'
            'SESSION_FILE_PATH = BASE_DIR / "sessions"\n'
        ),
    )
    INVALID = (
        Invalid(f'SESSION_ENGINE = "{_FILE}"\n'),
        Invalid(f'SESSION_ENGINE = "{_FILE}"\nSESSION_FILE_PATH = "/tmp/myproject-sessions"\n'),
        Invalid(f'SESSION_ENGINE = "{_FILE}"\nSESSION_FILE_PATH = "/dev/shm"\n'),
    )
