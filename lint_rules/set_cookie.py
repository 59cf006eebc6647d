"""HS201 / HS202: flags and lifetime of cookies set in code (``set_cookie`` calls).

The worked example of a code rule: visit the nodes you need (``visit_Call``), evaluate the
arguments with ``call_values`` (the same evaluator as settings, so ``max_age=ONE_YEAR`` with a
module-level ``ONE_YEAR = 365 * 86400`` is understood), let the catalogue judge them
(``hardsess.policy.judge``) and ``report`` each verdict at the node it is about, with a
``Fix`` when one is safe. Unknown values are ``Observed(UNKNOWN)``: present, never falsy.
"""

from __future__ import annotations

import libcst as cst

from hardsess.lint.rule import CodeRule, Fix, Invalid, Valid
from hardsess.policy import by_id, judge

#: HttpResponse.set_cookie's positional parameters, in order.
SET_COOKIE_PARAMETERS = (
    "key",
    "value",
    "max_age",
    "expires",
    "path",
    "domain",
    "secure",
    "httponly",
    "samesite",
)
#: set_signed_cookie(key, value, salt="", **kwargs): the rest are keyword-only.
SET_SIGNED_COOKIE_PARAMETERS = ("key", "value", "salt")
_SECURE_KEYWORDS = (("secure", "True"), ("httponly", "True"), ("samesite", '"Lax"'))


def cookie_call_values(rule: CodeRule, node: cst.Call) -> dict[str, object] | None:
    """The evaluated arguments of a set_cookie / set_signed_cookie call, or None (not one)."""
    method = rule.called_method(node)
    if method == "set_cookie":
        return rule.call_values(node, SET_COOKIE_PARAMETERS)  # type: ignore[return-value]
    if method == "set_signed_cookie":
        return rule.call_values(node, SET_SIGNED_COOKIE_PARAMETERS)  # type: ignore[return-value]
    return None


def add_keywords(node: cst.Call, keywords: list[tuple[str, str]]) -> cst.Call:
    """``node`` with ``name=value`` keywords appended, in the call's own layout.

    One-line calls get ``, `` separators; a multi-line call with a trailing comma gets one
    keyword per line, indented like the others, and keeps its trailing comma.
    """
    args = list(node.args)
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma
    tail = args[-1].comma if args else cst.MaybeSentinel.DEFAULT
    new_args = [
        cst.Arg(
            keyword=cst.Name(name),
            value=cst.parse_expression(value),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=cst.SimpleWhitespace(""),
            ),
            comma=separator,
        )
        for name, value in keywords
    ]
    new_args[-1] = new_args[-1].with_changes(comma=tail)
    if args:
        if isinstance(tail, cst.Comma) and len(args) == 1:
            separator = tail
        args[-1] = args[-1].with_changes(comma=separator)
    return node.with_changes(args=[*args, *new_args])


class SetCookieFlags(CodeRule):
    """set_cookie must pass secure=True, httponly=True and a SameSite of Lax or Strict."""

    policy = by_id("HS201")
    SCOPE = "trigger-statements"
    VALID = (
        Valid(
            'response.set_cookie("k", "v", secure=True, httponly=True, samesite="Lax")\n',
            path="views.py",
        ),
        Valid("response.set_cookie('k', 'v', **COOKIE_FLAGS)\n", path="views.py"),
        Valid(
            "response.set_cookie('k', 'v', secure=settings.S, httponly=True, samesite='Strict')\n",
            path="views.py",
        ),
        Valid("response.set_cookie('k', 'v')  # noqa: HS201\n", path="views.py"),
    )
    INVALID = (
        Invalid(
            'response.set_cookie("k", "v")\n',
            path="views.py",
            fixed='response.set_cookie("k", "v", secure=True, httponly=True, samesite="Lax")\n',
        ),
        Invalid(
            'response.set_cookie(\n    "k",\n    "v",\n    httponly=True,\n)\n',
            path="views.py",
            fixed='response.set_cookie(\n    "k",\n    "v",\n    httponly=True,\n'
            '    secure=True,\n    samesite="Lax",\n)\n',
        ),
        Invalid(
            'response.set_signed_cookie("k", "v", secure=False, httponly=True, samesite="Lax")\n',
            path="views.py",
        ),
        Invalid(
            'INSECURE = None\nresponse.set_cookie("k", "v", secure=True, httponly=True, '
            "samesite=INSECURE)\n",
            path="views.py",
        ),
        # Added by the rules engineer: explicit "None", set_signed_cookie's salt, a partial call.
        Invalid(
            'response.set_cookie("k", "v", secure=True, httponly=True, samesite="None")\n',
            path="views.py",
        ),
        Invalid(
            'response.set_signed_cookie("k", "v", salt="cart")\n',
            path="views.py",
            fixed='response.set_signed_cookie("k", "v", salt="cart", secure=True, httponly=True, '
            'samesite="Lax")\n',
        ),
        Invalid(
            'response.set_cookie("k", "v", max_age=3600, secure=True)\n',
            path="views.py",
            fixed='response.set_cookie("k", "v", max_age=3600, secure=True, httponly=True, '
            'samesite="Lax")\n',
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        values = cookie_call_values(self, node)
        if values is None:
            return
        missing = [(k, v) for k, v in _SECURE_KEYWORDS if k not in values]
        for verdict in judge(self.policy, values, self.options):  # type: ignore[arg-type]
            if verdict.setting in dict(missing):
                self.report(node, verdict, fix=Fix(node, add_keywords(node, missing)))
            else:
                self.report(self.keyword_node(node, verdict.setting) or node, verdict)


class SetCookieLifetime(CodeRule):
    """max_age / expires beyond 400 days reads as "remember forever"."""

    policy = by_id("HS202")
    SCOPE = "trigger-statements"
    VALID = (
        Valid("response.set_cookie('k', 'v', max_age=3600)\n", path="views.py"),
        Valid("response.set_cookie('k', 'v', max_age=settings.AGE)\n", path="views.py"),
    )
    INVALID = (
        Invalid("response.set_cookie('k', 'v', max_age=10 * 365 * 86400)\n", path="views.py"),
        Invalid(
            "from datetime import timedelta\nFOREVER = timedelta(days=3650).total_seconds()\n"
            "def view(request):\n    response.set_signed_cookie('k', 'v', max_age=FOREVER)\n",
            path="views.py",
        ),
        Invalid("response.set_cookie('k', 'v', 10**9)\n", path="views.py"),  # positional
    )

    def visit_Call(self, node: cst.Call) -> None:
        values = cookie_call_values(self, node)
        if values is None:
            return
        for verdict in judge(self.policy, values, self.options):  # type: ignore[arg-type]
            self.report(self.keyword_node(node, verdict.setting) or node, verdict)
