"""The evaluator's shared types (hardsess.lint.bindings): provenance, size limits, and the
two unknowns that mean different things."""

from __future__ import annotations

import pickle

import libcst as cst
import pytest

from hardsess.lint.bindings import (
    MAX_INT_BITS,
    MAX_SEQUENCE,
    UNKNOWN_BINDING,
    Evaluated,
    NotUnderstood,
    Ref,
    checked,
    derived,
)
from hardsess.lint.evaluator import evaluate
from hardsess.policy import UNKNOWN_VALUE, Origin


def test_an_environment_default_wins_the_provenance_of_a_computed_value() -> None:
    default = cst.parse_expression('"x"')
    literal = Evaluated("a")
    read = Evaluated("x", Origin.ENV_DEFAULT, "S", default)
    assert derived("ax", literal, read) == Evaluated("ax", Origin.ENV_DEFAULT, "S", default)
    assert derived("aa", literal, literal) == Evaluated("aa", Origin.COMPUTED)


def test_values_too_large_to_be_worth_knowing() -> None:
    assert checked(2**MAX_INT_BITS - 1) == 2**MAX_INT_BITS - 1
    with pytest.raises(NotUnderstood):
        checked(2**MAX_INT_BITS)
    with pytest.raises(NotUnderstood):
        checked("x" * (MAX_SEQUENCE + 1))


def test_an_unknown_binding_is_not_a_value_and_shadows_well_known_names() -> None:
    assert isinstance(UNKNOWN_BINDING, Ref)
    assert UNKNOWN_BINDING is not UNKNOWN_VALUE
    # ``os`` bound to something not understood is not the os module any more.
    shadowed = {"os": UNKNOWN_BINDING}.get
    expression = cst.parse_expression('os.environ.get("S", "x")')
    assert evaluate(expression, shadowed) is None
    assert evaluate(expression, {}.get) is not None


def test_the_unknown_value_is_one_object_everywhere() -> None:
    unknown = evaluate(cst.parse_expression("[f()]"), {}.get)
    assert unknown is not None
    assert unknown.value == [UNKNOWN_VALUE]
    assert unknown.value[0] is UNKNOWN_VALUE  # type: ignore[index]
    assert pickle.loads(pickle.dumps(UNKNOWN_VALUE)) is UNKNOWN_VALUE
