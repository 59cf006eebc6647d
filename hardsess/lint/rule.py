"""The rule API: what a module in ``lint_rules/`` subclasses.

A rule module holds one class per catalogue ID. The class says *where in source* a value
comes from; :mod:`hardsess.policy` (the catalogue) says *what* is insecure. The engine finds
every subclass of :class:`SettingsRule` and :class:`CodeRule` in every module of the
``lint_rules`` package (``pkgutil``), keyed by ``record.id``; one class per ID.

Examples
    ``VALID`` and ``INVALID`` hold :class:`Valid` / :class:`Invalid` examples. The test suite
    (``tests/lint/test_examples.py``) lints each example with only that rule selected
    (``hardsess.lint.api.lint_source(code, path, select=[ID])``) and checks:

    * a :class:`Valid` example has no finding of the rule;
    * an :class:`Invalid` example has exactly ``count`` findings of the rule;
    * ``fix_source(code, path, select=[ID])`` equals ``fixed`` (``None``: no safe fix, the
      source is unchanged), and ``fix_source(..., unsafe=True)`` equals ``unsafe_fixed``
      (``None``: the same as the safe result);
    * the fixed source parses, and fixing it again changes nothing.

    ``path`` decides which rules run: settings rules only run on settings paths (see
    ``hardsess.lint.discovery.is_settings_path``), so settings examples keep the default
    ``"settings.py"`` and code examples may use ``"views.py"``.

Settings rules
    A :class:`SettingsRule` needs no code: the engine collects the module-level assignments of
    the file (:func:`hardsess.lint.settings_values.collect`), evaluates them to
    :class:`~hardsess.policy.Observed` values and calls the policy judge. Each verdict is
    reported at the assignment of ``verdict.setting`` (line 1 when the file does not assign
    it). How a verdict is fixed is a :class:`Rewrite` (replace one node with another, safe or
    unsafe, with a description); the default :meth:`SettingsRule.rewrite` is generic:

    * a *literal* value (``Origin.LITERAL``) is replaced by ``record.secure_value``: safe;
    * an environment read (``Origin.ENV_DEFAULT``) gets its *default argument* replaced by a
      value that makes the judge silent (``record.secure_value`` or a string spelling of it,
      e.g. ``"True"`` inside ``os.environ.get("X", "False") == "True"``): unsafe;
    * anything else: no rewrite.

    Override ``rewrite`` for a special one (HS152 reorders MIDDLEWARE); return ``None`` for
    none. The generic rewrite is only offered if the judge is silent on the rewritten value: a
    fix cannot lie. Deploy mode asks the same method, on the file that holds the effective
    value.

Code rules
    A :class:`CodeRule` is visited by the engine in ONE traversal shared by all code rules.
    Write ``visit_<Node>(self, node)`` / ``leave_<Node>(self, node)`` methods named after libcst
    node classes (``visit_Call``, ``leave_Module``); their return values are ignored. Call
    :meth:`CodeRule.report` for a finding (``fix=Rewrite(...)`` when one fixes it);
    :meth:`CodeRule.evaluate` and :meth:`CodeRule.call_values` evaluate expressions with the
    same evaluator settings use.
    The byte-level pre-filter only parses a file that contains one of
    ``hardsess.lint.prefilter.CODE_TRIGGERS``; a rule's ``TRIGGERS`` must be among them (a
    test checks it), so add new trigger bytes there first. A rule that only judges the call
    it visits (no context from elsewhere in the module) sets ``SCOPE = "trigger-statements"``:
    when all active rules do, the engine skips top-level statements whose text contains no
    trigger, which matters on large modules (HS201/HS202 do; HS203, which pairs set_cookie
    with request.COOKIES reads anywhere in the module, must keep the default ``"module"``).

Suppression (``# hardsess: ignore[HS101]``, ``# noqa: HS101``) is handled by the engine when a
rule reports: a rule never looks at comments.

Worked example, a settings rule (see ``lint_rules/hs10x_session_cookie.py``)::

    from hardsess.lint.rule import Invalid, SettingsRule, Valid
    from hardsess.policy import by_id

    class SessionCookieSecure(SettingsRule):
        record = by_id("HS101")
        VALID = (Valid("SESSION_COOKIE_SECURE = True\\n"),)
        INVALID = (
            Invalid(
                "SESSION_COOKIE_SECURE = False  # keep\\n",
                fixed="SESSION_COOKIE_SECURE = True  # keep\\n",
            ),
            Invalid(
                'import os\\nSESSION_COOKIE_SECURE = os.environ.get("S", "0") == "1"\\n',
                unsafe_fixed=(
                    'import os\\nSESSION_COOKIE_SECURE = os.environ.get("S", "1") == "1"\\n'
                ),
            ),
        )

Worked example, a code rule (see ``lint_rules/hs20x_set_cookie.py``)::

    import libcst as cst
    from hardsess.lint.rule import CodeRule, Invalid, Valid
    from hardsess.policy import by_id, judge

    class CookieLifetime(CodeRule):
        record = by_id("HS202")
        VALID = (Valid("response.set_cookie('k', 'v', max_age=3600)\\n", path="views.py"),)
        INVALID = (Invalid("r.set_cookie('k', max_age=10**9)\\n", path="views.py"),)

        def visit_Call(self, node: cst.Call) -> None:
            if self.called_method(node) not in ("set_cookie", "set_signed_cookie"):
                return
            values = self.call_values(node, positional=("key", "value", "max_age"))
            if values is None:  # **kwargs: cannot know
                return
            for verdict in judge(self.record, values, self.options):
                self.report(self.keyword_node(node, verdict.setting) or node, verdict)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, NamedTuple, Protocol

import libcst as cst

from hardsess.lint.finding import Rewrite
from hardsess.lint.rewrites import SettingsRewriteContext, generic_settings_rewrite
from hardsess.policy import UNKNOWN_VALUE, Observed, Options, Origin, Rule, Verdict

__all__ = [
    "CODE_RULE_TRIGGERS",
    "CodeRule",
    "Invalid",
    "ReportSink",
    "Rewrite",
    "SettingsRewriteContext",
    "SettingsRule",
    "Valid",
]


class Valid(NamedTuple):
    """Source on which the rule reports nothing."""

    code: str
    path: str = "settings.py"


@dataclass(frozen=True)
class Invalid:
    """Source on which the rule reports ``count`` findings.

    ``fixed``: the source after ``--fix`` (None: no safe fix, unchanged). ``unsafe_fixed``: the
    source after ``--fix --unsafe-fixes`` (None: the same as the safe result).
    """

    code: str
    path: str = "settings.py"
    fixed: str | None = None
    unsafe_fixed: str | None = None
    count: int = 1


#: What a code rule's calls look like by default; see ``hardsess.lint.prefilter``.
CODE_RULE_TRIGGERS: tuple[bytes, ...] = (b"set_cookie", b"set_signed_cookie")


# --------------------------------------------------------------------------- settings rules


class SettingsRule:
    """A rule judged on a settings module's values; subclass and set ``record``."""

    record: ClassVar[Rule]
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def rewrite(self, context: SettingsRewriteContext) -> Rewrite | None:
        """The rewrite that fixes one verdict, or None. Default: the generic value rewrite
        (module doc). The engine asks in file mode and in deploy mode alike."""
        return generic_settings_rewrite(context)


# --------------------------------------------------------------------------- code rules


class ReportSink(Protocol):
    """The engine side of a code rule (one per file): evaluation and reporting."""

    path: str
    options: Options

    def evaluate(self, node: cst.BaseExpression) -> Observed | None: ...

    def report(
        self, rule: CodeRule, node: cst.CSTNode, verdict: Verdict | str, fix: Rewrite | None
    ) -> None: ...


class CodeRule:
    """A rule that visits libcst nodes of any Python file; subclass and set ``record``.

    One instance per file and rule. ``visit_<Node>`` / ``leave_<Node>`` methods are called in
    source order during the single shared traversal.
    """

    record: ClassVar[Rule]
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()
    #: Byte strings of which a file must contain one for this rule to possibly report.
    TRIGGERS: ClassVar[tuple[bytes, ...]] = CODE_RULE_TRIGGERS
    #: ``"module"``: the rule sees every node of the file. ``"trigger-statements"``: it only
    #: reports on nodes in top-level statements whose text contains one of ``TRIGGERS``, so
    #: when every active rule says so the engine skips the other statements (Module visit /
    #: leave methods are still called). Faster on large modules; only for rules that need no
    #: context from elsewhere in the file (module-level constants still resolve).
    SCOPE: ClassVar[Literal["module", "trigger-statements"]] = "module"

    def __init__(self, sink: ReportSink) -> None:
        self._sink = sink

    @property
    def path(self) -> str:
        return self._sink.path

    @property
    def options(self) -> Options:
        return self._sink.options

    def report(
        self, node: cst.CSTNode, verdict: Verdict | str, *, fix: Rewrite | None = None
    ) -> None:
        """Report a finding of this rule at ``node`` (suppression comments are honoured);
        ``fix`` is the rewrite that fixes it, if there is one."""
        self._sink.report(self, node, verdict, fix)

    def evaluate(self, node: cst.BaseExpression) -> Observed | None:
        """The value of an expression, or None when unknown (module-level names resolve)."""
        return self._sink.evaluate(node)

    # -- helpers for calls

    @staticmethod
    def called_method(node: cst.Call) -> str | None:
        """``"set_cookie"`` for ``anything.set_cookie(...)``; None for non-attribute calls."""
        if isinstance(node.func, cst.Attribute):
            return node.func.attr.value
        return None

    @staticmethod
    def keyword_node(node: cst.Call, keyword: str) -> cst.Arg | None:
        """The ``keyword=...`` argument of a call, or None."""
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg
        return None

    def call_values(
        self,
        node: cst.Call,
        positional: Sequence[str] = (),
        *,
        behind_stars: Sequence[str] | None = None,
    ) -> dict[str, Observed] | None:
        """Arguments of a call by name: evaluated, or ``Observed(UNKNOWN_VALUE)`` when not
        understood.

        ``positional`` names the positional parameters in order. Returns None when the call
        passes ``*args`` or ``**kwargs``: its arguments cannot be known. Unless
        ``behind_stars`` names the parameters such a call may pass through them: then an
        explicit keyword keeps its value (Python refuses one name twice, so ``httponly=None``
        beside ``**kwargs`` is what the call passes), and every other name in
        ``behind_stars`` is unknown, positional arguments after a ``*args`` included.
        """
        values: dict[str, Observed] = {}
        index = 0
        starred = False
        for arg in node.args:
            if arg.star:
                if behind_stars is None:
                    return None
                starred = True
            elif arg.keyword is None:
                if index < len(positional) and not starred:
                    values[positional[index]] = self._value(arg.value)
                index += 1
            else:
                values[arg.keyword.value] = self._value(arg.value)
        if starred:
            assert behind_stars is not None
            for name in behind_stars:
                values.setdefault(name, Observed(UNKNOWN_VALUE, Origin.COMPUTED))
        return values

    def _value(self, node: cst.BaseExpression) -> Observed:
        observed = self.evaluate(node)
        if observed is None:
            return Observed(UNKNOWN_VALUE, Origin.COMPUTED)
        return observed
