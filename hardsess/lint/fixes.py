"""Fixes: the generic settings value fix, and applying fixes to a module.

A :class:`~hardsess.lint.rule.Fix` replaces one node (found by identity) with another.
:func:`apply_fixes` applies a batch in one transform; when two fixes overlap (one node inside
another) only the first is applied and the engine runs another pass, so every fix sees the
source the previous one produced. Writing files (atomically) lives in
:mod:`hardsess.lint.writer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import libcst as cst

from hardsess.lint.evaluator import UNKNOWN, evaluate
from hardsess.lint.rule import Fix, SettingsFixContext
from hardsess.policy import Observed, Origin, judge

__all__ = ["apply_fixes", "generic_settings_fix"]


def generic_settings_fix(context: SettingsFixContext) -> Fix | None:
    """Literal: replace it by ``secure_value`` (safe). Environment default: replace the default
    argument by a value that silences the judge (unsafe). Otherwise None.

    Every candidate is re-evaluated and re-judged; a fix that would not silence the verdict is
    never offered.
    """
    assignment = context.assignment
    secure = context.rule.secure_value
    if assignment is None or assignment.observed is None or secure is None:
        return None
    observed = assignment.observed
    if observed.origin is Origin.LITERAL and assignment.value is not None:
        # Exactly the catalogue's spelling (predictable for examples and reviews).
        replacement = _with_parens(_parse(secure), assignment.value)
        if _silences(context, replacement, replacement):
            return Fix(assignment.value, replacement, safe=True, description=f"set {secure}")
        return None
    if observed.origin is Origin.ENV_DEFAULT and assignment.default is not None:
        if assignment.value is None:
            return None
        for candidate in _default_candidates(secure, assignment.default):
            new_value = assignment.value.deep_replace(assignment.default, candidate)
            if new_value is assignment.value or not isinstance(new_value, cst.BaseExpression):
                return None  # the default is written elsewhere (through a name): not here
            if _silences(context, new_value, None):
                return Fix(
                    assignment.default,
                    candidate,
                    safe=False,
                    description=f"change the environment default to {_code(candidate)}",
                )
    return None


@lru_cache(maxsize=256)
def _parse(source: str) -> cst.BaseExpression:
    """Parsed once per spelling: nodes are immutable, so sharing them between fixes is safe."""
    return cst.parse_expression(source)


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _with_parens(new: cst.BaseExpression, old: cst.BaseExpression) -> cst.BaseExpression:
    """Keep the parentheses written around the old value."""
    if old.lpar and hasattr(new, "lpar"):
        return new.with_changes(lpar=old.lpar, rpar=old.rpar)
    return new


def _default_candidates(secure: str, default: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Spellings of the secure value, in the flavour of the default as written first."""
    secure_value = _parse(secure)
    evaluated = evaluate(secure_value, lambda name: None)
    spelled: list[str] = []
    if evaluated is not None:
        value = evaluated.value
        text = value if isinstance(value, str) else str(value)
        words = [text, text.lower(), text.upper()]
        if value is True:
            words += ["1", "yes", "on"]
        elif value is False:
            words += ["0", "no", "off"]
        quote = '"'
        if isinstance(default, cst.SimpleString):
            quote = default.quote
        spelled = [f"{quote}{w}{quote}" for w in dict.fromkeys(words)]
    python = [secure]
    ordered = spelled + python if isinstance(default, cst.SimpleString) else python + spelled
    return [_with_parens(_parse(c), default) for c in ordered]


def _silences(
    context: SettingsFixContext,
    new_value: cst.BaseExpression,
    literal: cst.BaseExpression | None,
) -> bool:
    assignment = context.assignment
    assert assignment is not None
    lookup = context.module.lookup_before(assignment.index)
    evaluated = evaluate(new_value, lookup)
    if evaluated is None or evaluated.value is UNKNOWN:
        return False
    values = dict(context.module.values())
    old = values.get(context.verdict.setting)
    observed = evaluated.observed(None)
    if old is not None:
        observed = replace(observed, source=old.source)
    if literal is not None:
        observed = Observed(observed.value, Origin.LITERAL, None, observed.source)
    values[context.verdict.setting] = observed
    return not any(
        v.setting == context.verdict.setting for v in judge(context.rule, values, context.options)
    )


class _Replacer(cst.CSTTransformer):
    def __init__(self, fixes: Sequence[Fix]) -> None:
        self.replacements = {id(f.node): f.replacement for f in fixes}

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        replacement = self.replacements.get(id(original_node))
        return updated_node if replacement is None else replacement


def apply_fixes(module: cst.Module, fixes: Sequence[Fix]) -> tuple[cst.Module, int]:
    """Apply the fixes that do not overlap; returns the new module and how many were applied.

    Overlap is judged on the nodes' subtrees: a fix whose node contains, or lies inside, an
    already chosen fix's node waits for the next pass.
    """
    chosen: list[Fix] = []
    claimed: set[int] = set()
    for fix in fixes:
        subtree = _subtree_ids(fix.node)
        if id(fix.node) in claimed or subtree & claimed:
            continue
        chosen.append(fix)
        claimed |= subtree
    if not chosen:
        return module, 0
    return module.visit(_Replacer(chosen)), len(chosen)


def _subtree_ids(node: cst.CSTNode) -> set[int]:
    ids = {id(node)}
    stack = list(node.children)
    while stack:
        child = stack.pop()
        ids.add(id(child))
        stack.extend(child.children)
    return ids
