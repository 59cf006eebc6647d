"""The configuration styles real projects use, end to end: a small settings module (or view)
per style, linted as a file, and the finding it must give, or not give when the default is
secure or nothing can be known."""

from __future__ import annotations

import pytest

from hardsess.lint.api import fix_source, lint_source


def rules(source: str, path: str = "settings.py") -> list[str]:
    return sorted(f.rule_id for f in lint_source(source, path))


CONFIGURATIONS = """\
from configurations import Configuration, values

class Production(Configuration):
    SESSION_COOKIE_SECURE = values.BooleanValue({secure})
"""


@pytest.mark.parametrize(("secure", "expected"), [("False", ["HS101"]), ("True", [])])
def test_django_configurations_class(secure: str, expected: list[str]) -> None:
    assert rules(CONFIGURATIONS.format(secure=secure)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import local as conf\nSESSION_COOKIE_SECURE = getattr(conf, 'SECURE', False)\n",
            ["HS101"],
        ),
        (
            "import local as conf\nSESSION_COOKIE_SECURE = getattr(conf, 'SECURE', True)\n",
            [],
        ),
        ("import local as conf\nSESSION_COOKIE_SECURE = getattr(conf, 'SECURE')\n", []),
        (
            "import configparser\nconfig = configparser.ConfigParser()\nconfig.read('site.ini')\n"
            "SESSION_COOKIE_SECURE = config.getboolean('security', 'SECURE', fallback=False)\n",
            ["HS101"],
        ),
        (
            "import configparser\nconfig = configparser.ConfigParser()\n"
            "SESSION_COOKIE_SECURE = config.getboolean('security', 'SECURE')\n",
            [],
        ),
        (
            "from decouple import config\n"
            "SESSION_COOKIE_SECURE = config('SECURE', default=False, cast=bool)\n"
            "CSRF_COOKIE_SECURE = config('CSRF', default='yes', cast=bool)\n",
            ["HS101"],
        ),
        (
            "from environs import Env\nenv = Env()\nenv.read_env()\n"
            "SESSION_COOKIE_SECURE = env.bool('SECURE', False)\n"
            "CSRF_COOKIE_SECURE = env.bool('CSRF', default=True)\n",
            ["HS101"],
        ),
        (
            "import environ\nenv = environ.FileAwareEnv(SECURE=(bool, False))\n"
            "SESSION_COOKIE_SECURE = env('SECURE')\n",
            ["HS101"],
        ),
        (
            "from datetime import timedelta\n"
            "SESSION_COOKIE_AGE = timedelta(weeks=8).total_seconds()\n",
            ["HS104"],
        ),
        (
            "from datetime import timedelta\n"
            "SESSION_COOKIE_AGE = timedelta(days=1).total_seconds()\n",
            [],
        ),
    ],
)
def test_settings_read_through_a_library(source: str, expected: list[str]) -> None:
    assert rules(source) == expected


def test_the_unsafe_fix_replaces_the_default_of_a_getattr() -> None:
    source = "import local as conf\nSESSION_COOKIE_SECURE = getattr(conf, 'SECURE', False)\n"
    fixed = fix_source(source, unsafe=True, select=["HS101"])
    assert fixed.endswith("getattr(conf, 'SECURE', True)\n")


@pytest.mark.parametrize(
    ("max_age", "expected"),
    [
        ("timedelta(days=500)", ["HS202"]),
        ("timedelta(days=500).total_seconds()", ["HS202"]),
        ("timedelta(days=30)", []),
        ("timedelta(days=DAYS)", []),
    ],
)
def test_timedelta_max_age(max_age: str, expected: list[str]) -> None:
    source = (
        "from datetime import timedelta\n"
        "def view(request, response):\n"
        f"    response.set_cookie('k', 'v', max_age={max_age}, secure=True, httponly=True,"
        " samesite='Lax')\n"
    )
    assert rules(source, "views.py") == expected


GUARDED = """\
import configuration
TIMEOUT = getattr(configuration, "LOGIN_TIMEOUT", None)
if {test}:
    SESSION_COOKIE_AGE = TIMEOUT
"""


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        # Inside the branch the name is what the deployment set, not its default None.
        ("TIMEOUT is not None", []),
        ("TIMEOUT", []),
        ("TIMEOUT is not None and True", []),
        # A test that says nothing about TIMEOUT: its default None is still a value here.
        ("configuration.DEBUG", ["HS104"]),
        ("TIMEOUT is None", ["HS104"]),
    ],
)
def test_a_branch_guarded_by_its_own_name_sees_the_name_set(test: str, expected: list[str]) -> None:
    assert rules(GUARDED.format(test=test)) == expected


def test_the_narrowed_name_gets_its_value_back_after_the_branch() -> None:
    source = GUARDED.format(test="TIMEOUT is not None") + "SESSION_COOKIE_AGE = TIMEOUT\n"
    assert rules(source) == ["HS104"]
