"""Linting one file (hardsess.lint.linter): which rules run, the settings judgement both modes
share, and the code rules' one traversal (evaluation, reporting, statements skipped)."""

from __future__ import annotations

import libcst as cst
import pytest

from hardsess.lint import linter
from hardsess.lint.config import Config
from hardsess.lint.linter import _Dispatcher, judge_values, lint_data, robust_verdicts, selected_ids
from hardsess.lint.registry import RuleSet, load_rules
from hardsess.lint.rule import CodeRule
from hardsess.policy import CATALOGUE, UNKNOWN_VALUE, Observed, Options, Origin, by_id

from .conftest import cookie_sources

VIEWS = (
    "from datetime import timedelta\n"
    "ONE_YEAR = timedelta(days=365 * 2).total_seconds()\n"
    "\n"
    "def view(request, response):\n"
    "    response.set_cookie('a', 'v', max_age=ONE_YEAR, secure=True, httponly=True,\n"
    "                        samesite='Lax')\n"
    "    response.set_cookie('b', 'v', **flags)\n"
    "    response.set_cookie('c', 'v', secure=settings.SECURE, httponly=True, samesite='Lax')\n"
    "    response.delete_cookie('d')\n"
)


def test_module_constants_are_evaluated_and_positions_point_at_the_keyword() -> None:
    result = lint_data(VIEWS, "views.py", Config())
    assert result.error is None
    [finding] = result.findings
    assert finding.rule_id == "HS202"
    assert (finding.line, finding.column) == (5, 35)
    assert finding.source_line.strip().startswith("response.set_cookie('a'")
    assert finding.setting == "max_age"


class _Recorder(CodeRule):
    record = by_id("HS203")
    seen: list[str] = []  # noqa: RUF012 - a test probe

    def visit_Call(self, node: cst.Call) -> None:
        method = self.called_method(node)
        if method:
            values = self.call_values(node, ("key", "value"))
            self.seen.append(f"{method}:{sorted(values) if values is not None else None}")
            if values is not None and values.get("value") is not None:
                assert values["value"].value is not UNKNOWN_VALUE or method == "set_cookie"

    def leave_Module(self, node: cst.Module) -> None:
        self.seen.append("end")
        self.report(node.body[0], "a string report")


def test_one_traversal_reaches_every_rule_in_order() -> None:
    rules = load_rules()
    both = RuleSet(settings={}, code={**rules.code, "HS203": _Recorder})
    _Recorder.seen = []
    result = lint_data(VIEWS, "views.py", Config(select=("HS2", "HS203")), rules=both)
    assert _Recorder.seen == [
        "total_seconds:[]",
        "set_cookie:['httponly', 'key', 'max_age', 'samesite', 'secure', 'value']",
        "set_cookie:None",
        "set_cookie:['httponly', 'key', 'samesite', 'secure', 'value']",
        "delete_cookie:['key']",
        "end",
    ]
    ids = sorted(f.rule_id for f in result.findings)
    assert ids == ["HS202", "HS203"]
    string_report = next(f for f in result.findings if f.rule_id == "HS203")
    assert string_report.message == "a string report"
    assert string_report.line == 1


def test_dispatcher_collects_visit_and_leave_methods() -> None:
    class Sink:
        statements: list[cst.SimpleStatementLine] = []  # noqa: RUF012

    dispatcher = _Dispatcher(Sink(), [_Recorder(Sink())])  # type: ignore[arg-type]
    assert set(dispatcher.visits) == {"Call"}
    assert set(dispatcher.leaves) == {"Module"}


def test_unknown_keyword_values_never_produce_a_finding() -> None:
    source = "def v(r):\n    r.set_cookie('k', 'v', secure=S, httponly=H, samesite=X, max_age=A)\n"
    assert lint_data(source, "views.py", Config()).findings == []


def test_visiting_only_trigger_statements_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = cookie_sources()
    assert len(sources) > 3
    pruned = [lint_data(code, path, Config()).findings for path, code in sources]
    monkeypatch.setattr(linter, "_statements_to_visit", lambda module, *rest: module.body)
    full = [lint_data(code, path, Config()).findings for path, code in sources]
    assert pruned == full
    assert sum(len(f) for f in full) >= 4  # the tricky module alone has four


def test_statements_without_a_trigger_are_skipped() -> None:
    from hardsess.lint.positions import Positions

    _, tricky = cookie_sources()[-1]
    module = cst.parse_module(tricky)
    rules = load_rules()
    chosen = linter._statements_to_visit(
        module,
        tricky.encode(),
        [rules.code["HS201"], rules.code["HS202"]],
        Positions(module, tricky),
    )
    kinds = [type(s).__name__ for s in chosen]
    assert kinds == ["FunctionDef", "ClassDef", "SimpleStatementLine"]  # not the imports
    assert lint_data(tricky, "views.py", Config()).findings[0].line == 8


# --------------------------------------------------------------------------- which rules, judged


def test_selected_ids_by_kind_and_per_file() -> None:
    rules = load_rules()
    config = Config(select=("HS10", "HS20"), per_file_ignores={"legacy/*": ("HS101",)})
    assert selected_ids(config, rules, kind="settings")[:2] == ["HS101", "HS102"]
    # Every code rule of the HS20x family except the opt-in one (HS203); a new rule joins it.
    assert selected_ids(config, rules, kind="code") == [
        r.id for r in CATALOGUE if r.kind == "code" and not r.opt_in
    ]
    assert selected_ids(config, rules, kind="code")[:2] == ["HS201", "HS202"]
    everywhere = selected_ids(config, rules)
    assert "HS101" not in selected_ids(config, rules, path="legacy/settings.py")
    assert set(selected_ids(config, rules, path="legacy/settings.py")) == set(everywhere) - {
        "HS101"
    }
    assert "HS203" not in selected_ids(Config(), rules)  # opt-in


def test_judge_values_gives_the_rule_class_with_each_verdict() -> None:
    rules = load_rules()
    values = {"SESSION_COOKIE_SECURE": Observed(False), "CSRF_COOKIE_SECURE": Observed(False)}
    judged = judge_values(values, ["HS101", "HS111", "HS201"], Options(), rules)
    assert [(cls.record.id, v.setting) for cls, v in judged] == [
        ("HS101", "SESSION_COOKIE_SECURE"),
        ("HS111", "CSRF_COOKIE_SECURE"),
    ]
    assert judged[0][0] is rules.settings["HS101"]


def test_a_verdict_that_depends_on_an_unknown_setting_is_dropped() -> None:
    rule = by_id("HS109")
    values = {"SESSION_ENGINE": Observed("django.contrib.sessions.backends.file")}
    assert robust_verdicts(rule, values, frozenset(), Options())
    unknown = frozenset({"SESSION_FILE_PATH"})
    assert robust_verdicts(rule, values, unknown, Options()) == []
    with_path = {**values, "SESSION_FILE_PATH": Observed("/tmp", Origin.LITERAL)}
    assert robust_verdicts(rule, with_path, frozenset(), Options())
