"""Line and column of reported nodes, computed cheaply and only for files with findings.

libcst's PositionProvider regenerates the whole module with position bookkeeping (and
MetadataWrapper adds a traversal), which costs more than parsing a settings file. Instead:

1. ``ast.parse`` (C speed) gives the line where each top-level statement's code starts;
2. the top-level statement holding the node is regenerated alone, in a one-statement module,
   with PositionProvider; its positions are shifted by the difference between the two.

Top-level statements start at column 0, so columns need no shift. When ``ast`` cannot parse
what libcst did (syntax newer than the running Python), the whole module is resolved the
usual way.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

__all__ = ["Positions"]


class Positions:
    """Positions of nodes of ``module`` (parsed from ``source``)."""

    def __init__(self, module: cst.Module, source: bytes | str) -> None:
        self.module = module
        self.source = source
        self._starts: dict[int, int] | None = None
        self._spans: dict[int, tuple[int, int]] = {}
        self._ast_failed = False
        self._per_statement: dict[int, tuple[Mapping[cst.CSTNode, CodeRange], int]] = {}
        self._whole: Mapping[cst.CSTNode, CodeRange] | None = None

    def range(self, node: cst.CSTNode, top: cst.CSTNode | None = None) -> CodeRange | None:
        """The syntactic range of ``node``; ``top`` is the top-level statement holding it."""
        if top is not None and not self._ast_failed:
            starts = self._statement_starts()
            if starts is not None and id(top) in starts:
                found = self._in_statement(node, top, starts[id(top)])
                if found is not None:
                    return found
        return self._everything().get(node)

    def _everything(self) -> Mapping[cst.CSTNode, CodeRange]:
        if self._whole is None:
            self._whole = _resolve(self.module)
        return self._whole

    def _statement_starts(self) -> dict[int, int] | None:
        if self._starts is None:
            try:
                tree = ast.parse(self.source)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._ast_failed = True
                return None
            starts: dict[int, int] = {}
            body = iter(tree.body)
            for statement in self.module.body:
                count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
                first: ast.stmt | None = None
                last: ast.stmt | None = None
                for _ in range(count):
                    last = next(body, None)
                    first = first or last
                if first is None or last is None:
                    self._ast_failed = True
                    return None
                starts[id(statement)] = first.lineno
                decorators = getattr(first, "decorator_list", None) or []
                begin = min([first.lineno, *(d.lineno for d in decorators)])
                self._spans[id(statement)] = (begin, last.end_lineno or last.lineno)
            self._starts = starts
        return self._starts

    def statement_spans(self) -> Mapping[int, tuple[int, int]] | None:
        """First and last source line of each top-level statement (keyed by ``id``), or None
        when ``ast`` cannot parse the source."""
        if self._statement_starts() is None:
            return None
        return self._spans

    def _in_statement(self, node: cst.CSTNode, top: cst.CSTNode, line: int) -> CodeRange | None:
        cached = self._per_statement.get(id(top))
        if cached is None:
            assert isinstance(top, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
            alone = cst.Module(
                body=[top],
                default_indent=self.module.default_indent,
                default_newline=self.module.default_newline,
            )
            found = _resolve(alone)
            shift = line - found[top].start.line
            cached = (found, shift)
            self._per_statement[id(top)] = cached
        found, shift = cached
        where = found.get(node)
        if where is None:
            return None
        if shift == 0:
            return where
        return CodeRange(
            (where.start.line + shift, where.start.column),
            (where.end.line + shift, where.end.column),
        )


def _resolve(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """PositionProvider's ranges for every node of ``module``.

    MetadataWrapper.resolve adds a full (batched) traversal before the provider's own
    code-generation pass; running the provider directly halves the cost. That uses libcst's
    provider internals (``_gen_impl`` / ``_computed``), so any change there falls back to the
    public way.
    """
    provider = PositionProvider()
    try:
        provider._gen_impl(module)
        computed = cast(Mapping[cst.CSTNode, CodeRange], provider._computed)
    except (AttributeError, TypeError):
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return computed
