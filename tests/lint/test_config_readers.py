"""The configuration readers (hardsess.lint.config_readers): what each library's read returns
(its default, with the variable), and the table the evaluator consults."""

from __future__ import annotations

import libcst as cst
import pytest

from hardsess.lint import config_readers
from hardsess.lint.config_readers import READERS, reader_for, strtobool
from hardsess.policy import Origin

from .conftest import value_of


@pytest.mark.parametrize(
    ("source", "value", "env_var"),
    [
        (
            'import os\nX = os.environ.get("DJANGO_SECURE", "False") == "True"',
            False,
            "DJANGO_SECURE",
        ),
        ('import os\nX = os.environ.get("S", "no").lower() in ("1", "true")', False, "S"),
        ('import os\nX = os.getenv("S", "1") == "1"', True, "S"),
        ('import os\nX = os.environ.get("S")', None, "S"),
        ('from os import environ as E\nX = E.get("S", "off") == "on"', False, "S"),
        ('import os as o\nX = o.getenv("S", "x")', "x", "S"),
        ('from os import getenv\nX = getenv("S", 5)', 5, "S"),
        ('import os\nX = not os.environ.get("S", "")', True, "S"),
        ('import os\nX = int(os.environ.get("AGE", "3600")) * 2', 7200, "AGE"),
        ('import environ\nenv = environ.Env()\nX = env.bool("S", default=False)', False, "S"),
        ('import environ\nE2 = environ.Env()\nX = E2.bool("S", False)', False, "S"),
        ('import environ\nenv = environ.Env()\nX = env("S", cast=bool, default=False)', False, "S"),
        ('import environ\nenv = environ.Env()\nX = env.int("AGE", default=60)', 60, "AGE"),
        ('import environ\nenv = environ.Env()\nX = env.str("N", default="sid")', "sid", "N"),
        ('import environ\nenv = environ.Env(S=(bool, False))\nX = env("S")', False, "S"),
        ('from environ import Env\nenv = Env()\nX = env.bool("S", default=False)', False, "S"),
        ('from decouple import config\nX = config("S", default=False, cast=bool)', False, "S"),
        ('from decouple import config as cfg\nX = cfg("S", default="off", cast=bool)', False, "S"),
        ('import decouple\nX = decouple.config("S", default="1", cast=bool)', True, "S"),
        ('from decouple import config\nX = config("A", default="60", cast=int)', 60, "A"),
        (
            "import os\nfrom distutils.util import strtobool\n"
            'X = bool(strtobool(os.environ.get("S", "false")))',
            False,
            "S",
        ),
        (
            'import os\ndef strtobool(v):\n    return v.lower() in ("1", "true")\n'
            'X = strtobool(os.getenv("S", "no"))',
            0,
            "S",
        ),
        ('import os\nS = os.environ.get("S", "0") == "1"\nX = S', False, "S"),
    ],
)
def test_environment_reads_judge_the_default(source: str, value: object, env_var: str) -> None:
    result = value_of(source)
    assert result is not None
    assert result.value == value
    assert result.origin is Origin.ENV_DEFAULT
    assert result.env_var == env_var


def test_django_configurations_values() -> None:
    source = "from configurations import values\nX = values.BooleanValue(False)\n"
    result = value_of(source)
    assert result is not None
    assert (result.value, result.origin, result.env_var) == (False, Origin.ENV_DEFAULT, None)
    named = value_of(
        "from configurations import values\nX = values.Value('s', environ_name='NAME')\n"
    )
    assert named is not None
    assert (named.value, named.env_var) == ("s", "DJANGO_NAME")
    fixed = value_of("from configurations import values\nX = values.IntegerValue(5, environ=False)")
    assert fixed is not None
    assert (fixed.value, fixed.origin) == (5, Origin.COMPUTED)
    assert value_of("from configurations import values\nX = values.SecretValue()\n") is None


def test_environment_default_node_is_the_written_default() -> None:
    source = 'import os\nX = os.environ.get("S", "False") == "True"'
    result = value_of(source)
    assert result is not None
    assert result.default is not None
    assert cst.Module([]).code_for_node(result.default) == '"False"'


def test_the_table_is_consulted_in_order_and_names_each_library() -> None:
    assert all(reader.library for reader in READERS)
    assert reader_for("os.getenv") is READERS[0]
    assert reader_for("decouple.config") is reader_for("proj.decouple.AutoConfig()")
    # strtobool is found before an Env() instance's methods, as the table is ordered.
    found = reader_for("environ.Env().strtobool")
    assert found is not None
    assert found.library == "distutils"
    assert reader_for("environ.Env().bool") is not reader_for("environ.Env()")
    assert reader_for("environ.Env().unknown_method") is None
    assert reader_for("pathlib.Path") is None


def test_what_the_table_derives() -> None:
    conventional = sorted(config_readers.CONVENTIONAL_NAMES)
    assert conventional == ["datetime", "decouple", "environ", "getattr", "os", "strtobool"]
    assert sorted(config_readers.DEFINED_FUNCTIONS) == ["strtobool"]
    assert sorted(config_readers.READS_WITHOUT_DEFAULT) == ["os.environ"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("yes", 1), ("ON", 1), ("1", 1), ("off", 0), ("F", 0), ("maybe", None), (1, None)],
)
def test_strtobool(word: object, expected: int | None) -> None:
    assert strtobool(word) == expected


def test_reader_instances_keep_their_scheme() -> None:
    module = "import environ\nenv = environ.Env(S=(bool, True), N=(str, x))\nX = env('S')\n"
    result = value_of(module)
    assert result is not None
    assert (result.value, result.origin, result.env_var) == (True, Origin.ENV_DEFAULT, "S")
    assert value_of(module.replace("env('S')", "env('N')")) is None  # default not known


@pytest.mark.parametrize(
    ("source", "value", "env_var"),
    [
        (
            'import environ\nenv = environ.FileAwareEnv()\nX = env.bool("S", default=False)',
            False,
            "S",
        ),
        ('from environ import FileAwareEnv\nenv = FileAwareEnv()\nX = env("S", default=0)', 0, "S"),
        ('from environs import Env\nenv = Env()\nX = env.bool("S", False)', False, "S"),
        ('import environs\nenv = environs.Env()\nX = env.int("AGE", default=60)', 60, "AGE"),
        ('from environs import Env\nenv = Env()\nX = env("N", "sid")', "sid", "N"),
        ("import local as conf\nX = getattr(conf, 'SECURE', False)", False, "conf.SECURE"),
        ("from . import local\nX = getattr(local, 'AGE', 60) * 2", 120, "local.AGE"),
        (
            "import configparser\ncp = configparser.ConfigParser()\ncp.read('site.ini')\n"
            "X = cp.getboolean('security', 'SECURE', fallback=False)",
            False,
            "[security] SECURE",
        ),
        (
            "from configparser import RawConfigParser\ncp = RawConfigParser()\n"
            "X = cp.get('s', 'SAMESITE', fallback='None')",
            "None",
            "[s] SAMESITE",
        ),
    ],
)
def test_more_libraries_judge_the_default(source: str, value: object, env_var: str) -> None:
    result = value_of(source)
    assert result is not None
    assert (result.value, result.origin, result.env_var) == (value, Origin.ENV_DEFAULT, env_var)


@pytest.mark.parametrize(
    "source",
    [
        # No default: the library raises when the variable is unset, so nothing is known.
        'from environs import Env\nenv = Env()\nX = env.bool("S")',
        'import environ\nenv = environ.FileAwareEnv()\nX = env.bool("S")',
        "import configparser\ncp = configparser.ConfigParser()\nX = cp.getboolean('s', 'K')",
        "import local\nX = getattr(local, 'SECURE')",
        # getattr on data is not a configuration read.
        "D = {}\nX = getattr(D, 'SECURE', False)",
        "X = getattr(object(), 'SECURE', False)",
    ],
)
def test_reads_without_a_default_are_unknown(source: str) -> None:
    assert value_of(source) is None


def test_environs_is_not_read_as_django_environ() -> None:
    # django-environ's env(K, cast, default) takes the default third; environs' second.
    environs = reader_for("environs.Env()")
    assert environs is not None
    assert environs.library == "environs"
    assert value_of('from environs import Env\nenv = Env()\nX = env("S", False)') is not None
    assert value_of('import environ\nenv = environ.Env()\nX = env("S", False)') is None
