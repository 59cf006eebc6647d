"""The value evaluator: every understood form, and what stays unknown."""

from __future__ import annotations

import libcst as cst
import pytest

from hardsess.lint.evaluator import Evaluated, evaluate
from hardsess.lint.settings_values import collect
from hardsess.policy import UNKNOWN_VALUE, Origin


def value_of(source: str, name: str = "X") -> Evaluated | None:
    """Evaluate the last assignment of ``name`` in ``source`` with its module's bindings."""
    module = collect(cst.parse_module(source), "settings.py", sources=())
    assignment = module.assignments.get(name)
    return None if assignment is None else assignment.evaluated


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("X = True", True),
        ("X = None", None),
        ("X = 3", 3),
        ("X = 1.5", 1.5),
        ("X = -1", -1),
        ("X = 'a'", "a"),
        ("X = b'a'", b"a"),
        ("X = 'a' 'b'", "ab"),
        ("X = [1, 'a', None]", [1, "a", None]),
        ("X = (1, 2)", (1, 2)),
        ("X = {'a': {'b': True}}", {"a": {"b": True}}),
        ("X = {1, 2}", {1, 2}),
    ],
)
def test_literals_are_literal(source: str, expected: object) -> None:
    result = value_of(source)
    assert result is not None
    assert result.value == expected
    assert type(result.value) is type(expected)
    assert result.origin is Origin.LITERAL


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("DEBUG = False\nX = not DEBUG", True),
        ("X = not 0", True),
        ("X = 60 * 60 * 24 * 7 * 2", 1209600),
        ("DAY = 86400\nX = 30 * DAY", 2592000),
        ("X = 10 // 3 + 2 ** 3 - 7 % 4", 8),
        ("X = 1 / 4", 0.25),
        ("from datetime import timedelta\nX = timedelta(days=2).total_seconds()", 172800.0),
        ("import datetime\nX = datetime.timedelta(hours=1, minutes=1).total_seconds()", 3660.0),
        ("import datetime as dt\nX = dt.timedelta(1).total_seconds() * 2", 172800.0),
        ("X = f'a{1}b'", "a1b"),
        ("X = 'Lax'.lower()", "lax"),
        ("X = 'a' if True else 'b'", "a"),
        ("X = 0 or 'fallback'", "fallback"),
        ("X = 1 < 2 <= 2", True),
        ("X = 'a' in ('a', 'b')", True),
        ("BASE = ['a']\nX = BASE + ['b']", ["a", "b"]),
        ("BASE = ['a']\nX = [*BASE, 'b']", ["a", "b"]),
        ("X = bool(1)", True),
        ("X = int('5')", 5),
        ("C = {'k': 1}\nX = C['k']", 1),
    ],
)
def test_computed_values(source: str, expected: object) -> None:
    result = value_of(source)
    assert result is not None
    assert result.value == expected
    assert result.origin is Origin.COMPUTED


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


@pytest.mark.parametrize(
    "source",
    [
        'import os\nX = os.environ["S"]',
        'import os\nX = os.environ["S"] == "1"',
        "X = settings.SECURE",
        "X = some_call()",
        "X = UNDEFINED_NAME",
        'import environ\nenv = environ.Env()\nX = env.bool("S")',
        'from decouple import config\nX = config("S", cast=bool)',
        'from decouple import config\nX = config("S", default=False, cast=Csv())',
        "X = 10 ** 10 ** 10",
        "X = 'x' * 10 ** 9",
        "X = 1 / 0",
        "X = [1][5]",
        "X = f'{SOMETHING}'",
        "X = lambda: 1",
        "X = os.environ.get(KEY, 'x')",
        "import os\nX = os.environ.get('S', 'x') + os.environ['T']",
        "bool = str\nX = bool(0)",
    ],
)
def test_unknown(source: str) -> None:
    result = value_of(source)
    assert result is None or result.value is UNKNOWN_VALUE


def test_list_items_keep_their_own_provenance_and_source() -> None:
    source = 'import os\nSECRET_KEY_FALLBACKS = [os.environ["OLD"], "literal-key"]\n'
    module = collect(cst.parse_module(source), "settings.py")
    observed = module.assignments["SECRET_KEY_FALLBACKS"].observed
    assert observed is not None
    first, second = observed.parts
    assert first.value is UNKNOWN_VALUE
    assert first.source == 'os.environ["OLD"]'
    assert second.value == "literal-key"
    assert second.origin is Origin.LITERAL
    assert second.source == '"literal-key"'


def test_evaluate_directly_with_a_lookup() -> None:
    bound = {"DEBUG": Evaluated(True)}
    result = evaluate(cst.parse_expression("not DEBUG"), bound.get)
    assert result is not None
    assert result.value is False
    assert evaluate(cst.parse_expression("not MISSING"), bound.get) is None
