"""Positions (hardsess.lint.positions): the cheap per-statement positions equal libcst's own, and
a file ``ast`` cannot parse falls back to the whole-module way."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from hardsess.lint.positions import Positions

from .conftest import cookie_sources


def test_cheap_positions_equal_libcst_metadata_positions() -> None:
    for path, code in cookie_sources():
        module = cst.parse_module(code)
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        positions = Positions(module, code)
        for top in module.body:
            for node in (top, *top.children):
                assert positions.range(node, top) == expected[node], path


def test_statement_spans_and_the_fallback_when_ast_cannot_parse() -> None:
    source = "@decorated\ndef f():\n    pass\nX = [\n    1,\n]\n"
    module = cst.parse_module(source)
    spans = Positions(module, source).statement_spans()
    assert spans is not None
    assert [spans[id(s)] for s in module.body] == [(1, 3), (4, 6)]
    # ``ast`` refuses what libcst parsed (a NUL byte here): positions still come out.
    odd = "X = 1\n"
    positions = Positions(cst.parse_module(odd), "X = \0")
    assert positions.statement_spans() is None
    assert positions.range(positions.module.body[0]) is not None
