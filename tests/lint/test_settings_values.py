"""The module-level assignment collector: which statements count, last wins, unknown shadows."""

from __future__ import annotations

import libcst as cst

from hardsess.lint.settings_values import collect
from hardsess.policy import Origin


def values(source: str) -> dict[str, object]:
    module = collect(cst.parse_module(source), "settings.py")
    return {n: a.observed.value for n, a in module.assignments.items() if a.observed}


def test_last_assignment_wins() -> None:
    assert values("SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_SECURE = True\n") == {
        "SESSION_COOKIE_SECURE": True
    }


def test_if_try_with_and_class_bodies_count() -> None:
    source = (
        "import os\n"
        "if os.environ.get('PROD'):\n    A = 1\nelse:\n    B = 2\n"
        "try:\n    C = 3\nexcept ImportError:\n    D = 4\nfinally:\n    E = 5\n"
        "with open('x') as f:\n    F = 6\n"
        "class Prod(Configuration):\n    G = 7\n"
    )
    assert values(source) == {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7}


def test_a_known_condition_follows_only_the_branch_taken() -> None:
    source = "DEBUG = False\nif DEBUG:\n    X = 'dev'\nelse:\n    X = 'prod'\nX2 = X\n"
    assert values(source)["X"] == "prod"
    source = "DEBUG = False\nX = 'prod'\nif DEBUG:\n    X = 'dev'\n"
    assert values(source)["X"] == "prod"


def test_function_bodies_do_not_count() -> None:
    assert "X" not in values("def f():\n    X = False\n")


def test_unknown_shadows_an_earlier_known_value() -> None:
    module = collect(cst.parse_module("X = False\nX = compute()\n"), "settings.py")
    assert module.assignments["X"].observed is None
    assert module.values() == {}


def test_loops_make_their_targets_unknown() -> None:
    module = collect(cst.parse_module("X = False\nfor X in range(3):\n    pass\n"))
    assert module.assignments["X"].observed is None


def test_augmented_assignment_and_list_mutations_are_evaluated() -> None:
    source = (
        "MIDDLEWARE = ['a']\n"
        "MIDDLEWARE += ['b']\n"
        "MIDDLEWARE.insert(0, 'first')\n"
        "MIDDLEWARE.append('last')\n"
        "MIDDLEWARE.remove('a')\n"
        "AGE = 60\nAGE *= 2\n"
        "HARDSESS = {}\nHARDSESS['SESSION'] = {'REVOCATION': 'cache'}\n"
    )
    found = values(source)
    assert found["MIDDLEWARE"] == ["first", "b", "last"]
    assert found["AGE"] == 120
    assert found["HARDSESS"] == {"SESSION": {"REVOCATION": "cache"}}


def test_mutations_with_unknown_arguments_make_the_value_unknown() -> None:
    module = collect(cst.parse_module("MIDDLEWARE = ['a']\nMIDDLEWARE.append(extra())\n"))
    assert module.assignments["MIDDLEWARE"].observed is None
    module = collect(cst.parse_module("M = ['a']\nM += dynamic\n"))
    assert module.assignments["M"].observed is None


def test_tuple_unpacking() -> None:
    assert values("A, B = 1, 'x'\n") == {"A": 1, "B": "x"}
    module = collect(cst.parse_module("A, B = pair()\n"))
    assert module.assignments["A"].observed is None


def test_imports_are_recorded_in_order_for_deploy_mode() -> None:
    source = "from .base import *\nX = 1\nfrom .local import SECRET_KEY, DEBUG as D\n"
    module = collect(cst.parse_module(source), "proj/settings/prod.py")
    assert [(r.module, r.names) for r in module.imports] == [
        (".base", ("*",)),
        (".local", ("SECRET_KEY", "DEBUG")),
    ]
    assert module.imports[0].index < module.assignments["X"].index < module.imports[1].index


def test_assignment_records_the_nodes_a_fix_needs() -> None:
    source = "import os\nSESSION_COOKIE_SECURE = os.environ.get('S', 'False') == 'True'\n"
    module = collect(cst.parse_module(source), "settings.py")
    assignment = module.assignments["SESSION_COOKIE_SECURE"]
    assert assignment.observed is not None
    assert assignment.observed.origin is Origin.ENV_DEFAULT
    assert assignment.observed.source == "os.environ.get('S', 'False') == 'True'"
    assert isinstance(assignment.statement, cst.Assign)
    assert isinstance(assignment.line, cst.SimpleStatementLine)
    assert assignment.value is not None
    assert assignment.default is not None
    assert module.source(assignment.default) == "'False'"


def test_lookup_before_sees_the_bindings_of_that_time() -> None:
    module = collect(cst.parse_module("X = 1\nY = 2\nX = 3\n"))
    lookup = module.lookup_before(module.assignments["Y"].index)
    bound = lookup("X")
    assert bound is not None
    assert getattr(bound, "value", None) == 1
