"""The evaluator (expression semantics): every understood form, and what stays unknown.

What configuration libraries return is tested in test_config_readers.py."""

from __future__ import annotations

import libcst as cst
import pytest

from hardsess.lint.evaluator import Evaluated, evaluate
from hardsess.lint.settings_values import collect
from hardsess.policy import UNKNOWN_VALUE, Origin

from .conftest import value_of


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
