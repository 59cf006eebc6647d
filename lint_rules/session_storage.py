"""How sessions are stored: pickle serializer (HS107), signed-cookie engine (HS108), file
engine in a shared temporary directory (HS109).

Django 5.0 removed ``PickleSerializer`` (deprecated since 4.1), so projects that still pickle
sessions carry their own copy: the rule matches any serializer path that names pickle.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id

_JSON = "django.contrib.sessions.serializers.JSONSerializer"
_SIGNED = "django.contrib.sessions.backends.signed_cookies"
_FILE = "django.contrib.sessions.backends.file"


class SessionSerializerPickle(SettingsRule):
    """HS107: a pickle-based SESSION_SERIALIZER; the fix is Django's JSONSerializer."""

    policy = by_id("HS107")
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

    policy = by_id("HS108")
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
    )


class SessionFilesInTemp(SettingsRule):
    """HS109: the file engine without SESSION_FILE_PATH, or with one under a shared temp dir."""

    policy = by_id("HS109")
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
