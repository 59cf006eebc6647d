"""Rewrites: the generic settings rewrite, and applying rewrites to a module.

A :class:`~hardsess.lint.finding.Rewrite` replaces one node (found by identity) with another;
it is how a finding is fixed. :func:`generic_settings_rewrite` is what a settings rule offers
unless it says otherwise (:meth:`hardsess.lint.rule.SettingsRule.rewrite`), in file mode and
deploy mode alike. :func:`apply_rewrites` applies a batch in one transform; when two overlap
(one node inside another) only the first is applied and the engine runs another pass, so every
rewrite sees the source the previous one produced. Writing files (atomically) lives in
:mod:`hardsess.lint.writer`.

Only the engine and the rule API import this module; it imports neither of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import libcst as cst

from hardsess.lint.evaluator import evaluate
from hardsess.lint.finding import Rewrite
from hardsess.lint.fix_safety import comments_in, looks_like_development, wants_cross_site
from hardsess.policy import UNKNOWN_VALUE, Observed, Options, Origin, Rule, Verdict, judge
from hardsess.policy.cookies import HTTPONLY_COOKIES

if TYPE_CHECKING:
    from hardsess.lint.settings_values import Assignment, SettingsModule

__all__ = [
    "SettingsRewriteContext",
    "apply_rewrites",
    "breaking_risk",
    "generic_settings_rewrite",
]


class SettingsRewriteContext(NamedTuple):
    """What a settings rule's rewrite sees for one verdict.

    ``assignment`` is the last module-level assignment of ``verdict.setting`` in the file that
    holds it (None when no file writes it); ``module`` is everything collected from that file
    (``module.assignments``, ``module.lookup_before(index)`` to re-evaluate an expression).
    ``values`` are the values the verdict was judged on: the file's own in file mode, the
    effective ones across modules in deploy mode (None: ``module.values()``).
    """

    rule: Rule
    verdict: Verdict
    assignment: Assignment | None
    module: SettingsModule
    options: Options
    values: Mapping[str, Observed] | None = None

    @property
    def assignments(self) -> Mapping[str, Assignment]:
        return self.module.assignments

    def judged_values(self) -> Mapping[str, Observed]:
        """The values the verdict was judged on (see the class docstring)."""
        return self.module.values() if self.values is None else self.values


def generic_settings_rewrite(context: SettingsRewriteContext) -> Rewrite | None:
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
            risk = breaking_risk(context)
            description = f"set {secure}" + (f" (unsafe: {risk})" if risk else "")
            return Rewrite(assignment.value, replacement, safe=not risk, description=description)
        return None
    if observed.origin is Origin.ENV_DEFAULT and assignment.default is not None:
        if assignment.value is None:
            return None
        for candidate in _default_candidates(secure, assignment.default):
            new_value = assignment.value.deep_replace(assignment.default, candidate)
            if new_value is assignment.value or not isinstance(new_value, cst.BaseExpression):
                return None  # the default is written elsewhere (through a name): not here
            if _silences(context, new_value, None):
                return Rewrite(
                    assignment.default,
                    candidate,
                    safe=False,
                    description=f"change the environment default to {_code(candidate)}",
                )
    return None


def breaking_risk(context: SettingsRewriteContext) -> str | None:
    """Why fixing this verdict can break the site (so the fix is not safe), or None.

    Secure in a development module logs everyone out of a plain-HTTP runserver; SameSite
    where the assignment's comment says the cookie is used cross-site (an iframe) breaks that
    use; HttpOnly on a cookie the site's JavaScript reads breaks that script
    (hardsess.lint.fix_safety).
    """
    setting = context.verdict.setting
    if setting.endswith("_SECURE") and looks_like_development(context.module.path):
        return "a development module may be served over plain HTTP"
    assignment = context.assignment
    if (
        setting.endswith("_SAMESITE")
        and assignment is not None
        and assignment.line is not None
        and wants_cross_site(comments_in(assignment.line))
    ):
        return "a comment says the cookie is used cross-site"
    if setting in HTTPONLY_COOKIES:
        name_setting, default = HTTPONLY_COOKIES[setting]
        name = context.judged_values().get(name_setting)
        where = context.options.read_by_script(default if name is None else name.value)
        if where is not None:
            return f"the cookie is read by JavaScript in {where}"
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
    context: SettingsRewriteContext,
    new_value: cst.BaseExpression,
    literal: cst.BaseExpression | None,
) -> bool:
    assignment = context.assignment
    assert assignment is not None
    lookup = context.module.lookup_before(assignment.index)
    evaluated = evaluate(new_value, lookup)
    if evaluated is None or evaluated.value is UNKNOWN_VALUE:
        return False
    values = dict(context.judged_values())
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
    def __init__(self, rewrites: Sequence[Rewrite]) -> None:
        self.replacements = {id(r.node): r.replacement for r in rewrites}

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        replacement = self.replacements.get(id(original_node))
        return updated_node if replacement is None else replacement


def apply_rewrites(module: cst.Module, rewrites: Sequence[Rewrite]) -> tuple[cst.Module, int]:
    """Apply the rewrites that do not overlap; returns the new module and how many applied.

    Overlap is judged on the nodes' subtrees: a rewrite whose node contains, or lies inside,
    an already chosen rewrite's node waits for the next pass.
    """
    chosen: list[Rewrite] = []
    claimed: set[int] = set()
    for rewrite in rewrites:
        subtree = _subtree_ids(rewrite.node)
        if id(rewrite.node) in claimed or subtree & claimed:
            continue
        chosen.append(rewrite)
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
