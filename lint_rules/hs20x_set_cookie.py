"""HS201-HS204: cookies set in code (catalogue: hardsess/policy/hs20x_set_cookie.py).

HS201 / HS202 are the worked example of a code rule: visit the nodes you need
(``visit_Call``), evaluate the arguments with ``call_values`` (the same evaluator as settings,
so ``max_age=ONE_YEAR`` with a module-level ``ONE_YEAR = 365 * 86400`` is understood), let the
catalogue judge them (``hardsess.policy.judge``) and ``report`` each verdict at the node it is
about, with a ``Rewrite`` when one is safe. Unknown values are ``Observed(UNKNOWN_VALUE)``:
present, never falsy.

HS203 (opt-in): a cookie is user input, whoever holds it can edit it. When a module sets a
cookie with ``set_cookie()`` and later trusts ``request.COOKIES[...]`` for the same name, the
value the server reads is whatever the user wrote. Django's ``set_signed_cookie()`` /
``get_signed_cookie()`` pair (or HardSessMiddleware, which signs every cookie) closes that.

The rule is opt-in (``--select HS203``): a module may read its cookie back only to display it,
and the linter cannot tell display from trust. It matches names written as constants only;
keys it cannot evaluate are never matched. No fix: both the write and every read must change.
"""

from __future__ import annotations

import libcst as cst

from hardsess.lint.rule import CodeRule, Invalid, ReportSink, Rewrite, Valid
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
_VIEWS = "views.py"
_SECURE_KEYWORDS = (("secure", "True"), ("httponly", "True"), ("samesite", '"Lax"'))


def cookie_call_values(rule: CodeRule, node: cst.Call) -> dict[str, object] | None:
    """The evaluated arguments of a set_cookie / set_signed_cookie call, or None (not one)."""
    method = rule.called_method(node)
    if method == "set_cookie":
        return rule.call_values(node, SET_COOKIE_PARAMETERS)  # type: ignore[return-value]
    if method == "set_signed_cookie":
        return rule.call_values(node, SET_SIGNED_COOKIE_PARAMETERS)  # type: ignore[return-value]
    return None


def report_at_keywords(rule: CodeRule, node: cst.Call) -> None:
    """Judge a set_cookie call and report each verdict at the keyword it is about (HS202,
    HS204: rules with no fix, whose verdicts name their argument)."""
    values = cookie_call_values(rule, node)
    if values is None:
        return
    for verdict in judge(rule.record, values, rule.options):  # type: ignore[arg-type]
        rule.report(rule.keyword_node(node, verdict.setting) or node, verdict)


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

    record = by_id("HS201")
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
        for verdict in judge(self.record, values, self.options):  # type: ignore[arg-type]
            if verdict.setting in dict(missing):
                self.report(node, verdict, fix=Rewrite(node, add_keywords(node, missing)))
            else:
                self.report(self.keyword_node(node, verdict.setting) or node, verdict)


class SetCookieLifetime(CodeRule):
    """max_age / expires beyond 400 days reads as "remember forever"."""

    record = by_id("HS202")
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
        report_at_keywords(self, node)


class SetCookieTooLarge(CodeRule):
    """A name and value whose bytes exceed what browsers store."""

    record = by_id("HS204")
    SCOPE = "trigger-statements"
    VALID = (
        Valid("response.set_cookie('k', 'v' * 4000)\n", path="views.py"),
        Valid("response.set_cookie('k', payload * 100)\n", path="views.py"),  # unknown
        Valid("response.set_cookie(name, 'v' * 5000)\n", path="views.py"),  # unknown name
    )
    INVALID = (
        Invalid("response.set_cookie('cart', 'x' * 5000)\n", path="views.py"),
        Invalid(
            "BLOB = 'é' * 2100  # two bytes each in UTF-8\n"
            "def view(request):\n    response.set_signed_cookie('k', BLOB, salt='s')\n",
            path="views.py",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        report_at_keywords(self, node)


class UnsignedTrustedCookie(CodeRule):
    """Report ``set_cookie(K, ...)`` when the same module reads ``K`` from ``.COOKIES``."""

    record = by_id("HS203")
    VALID = (
        Valid(
            "def view(request, response):\n"
            '    theme = request.get_signed_cookie("theme", default="light")\n'
            '    response.set_signed_cookie("theme", theme)\n',
            path=_VIEWS,
        ),
        Valid(
            'def view(request, response):\n    response.set_cookie("seen_banner", "1")\n',
            path=_VIEWS,
        ),
        Valid(
            "def view(request, response):\n"
            '    response.set_cookie("a", "1")\n'
            '    return request.COOKIES.get("b")\n',
            path=_VIEWS,
        ),
        Valid(
            "def view(request, response, name):\n"
            "    response.set_cookie(name, '1')\n"
            "    return request.COOKIES.get(name)  # names unknown: never matched\n",
            path=_VIEWS,
        ),
        Valid(
            "def view(request, response):\n"
            '    response.set_cookie("theme", "dark")  # hardsess: ignore[HS203]\n'
            '    return request.COOKIES["theme"]\n',
            path=_VIEWS,
        ),
    )
    INVALID = (
        Invalid(
            "def view(request, response):\n"
            '    role = request.COOKIES.get("role", "guest")\n'
            '    response.set_cookie("role", role, secure=True, httponly=True, samesite="Lax")\n',
            path=_VIEWS,
        ),
        Invalid(
            'CART = "cart_id"\n\n\n'
            "def add(request, response):\n"
            "    response.set_cookie(key=CART, value='42')\n\n\n"
            "def show(request):\n"
            "    return request.COOKIES[CART]\n",
            path=_VIEWS,
        ),
        Invalid(
            "def view(request, response):\n"
            '    if "tier" in request.COOKIES:\n'
            "        return\n"
            '    response.set_cookie("tier", "free")\n'
            '    response.set_cookie("tier", "gold")\n',
            path=_VIEWS,
            count=2,
        ),
    )

    def __init__(self, sink: ReportSink) -> None:
        super().__init__(sink)
        self._writes: list[tuple[str, cst.Call]] = []
        self._reads: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        method = self.called_method(node)
        if method == "set_cookie":
            key = self._key_of(node)
            if key is not None:
                self._writes.append((key, node))
        elif (
            method == "get"
            and isinstance(node.func, cst.Attribute)
            and _is_cookies(node.func.value)
            and node.args
        ):
            self._read(node.args[0].value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if _is_cookies(node.value) and len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index):
                self._read(index.value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for target in node.comparisons:
            if isinstance(target.operator, cst.In) and _is_cookies(target.comparator):
                self._read(node.left)

    def leave_Module(self, original_node: cst.Module) -> None:
        for key, call in self._writes:
            if key in self._reads:
                self.report(
                    call,
                    f'the cookie "{key}" is set unsigned and read back from request.COOKIES in '
                    "this module: the user can edit it; use set_signed_cookie() and "
                    "get_signed_cookie()",
                )

    def _key_of(self, node: cst.Call) -> str | None:
        for index, arg in enumerate(node.args):
            if arg.star:
                return None
            if (arg.keyword is None and index == 0) or (
                arg.keyword is not None and arg.keyword.value == "key"
            ):
                return self._constant(arg.value)
        return None

    def _read(self, node: cst.BaseExpression) -> None:
        key = self._constant(node)
        if key is not None:
            self._reads.add(key)

    def _constant(self, node: cst.BaseExpression) -> str | None:
        observed = self.evaluate(node)
        if observed is None or not observed.is_literal or not isinstance(observed.value, str):
            return None
        return observed.value


def _is_cookies(node: cst.BaseExpression) -> bool:
    """``<anything>.COOKIES``: request.COOKIES, self.request.COOKIES, req.COOKIES."""
    return isinstance(node, cst.Attribute) and node.attr.value == "COOKIES"
