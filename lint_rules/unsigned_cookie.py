"""HS203 (opt-in): a cookie set unsigned with ``set_cookie()`` and read back in the same module.

A cookie is user input: whoever holds it can edit it. When a module sets a cookie with
``set_cookie()`` and later trusts ``request.COOKIES[...]`` for the same name, the value the
server reads is whatever the user wrote. Django's ``set_signed_cookie()`` /
``get_signed_cookie()`` pair (or HardSessMiddleware, which signs every cookie) closes that.

The rule is opt-in (``--select HS203``): a module may read its cookie back only to display it,
and the linter cannot tell display from trust. It matches names written as constants only;
keys it cannot evaluate are never matched. No fix: both the write and every read must change.
"""

from __future__ import annotations

import libcst as cst

from hardsess.lint.rule import CodeRule, Invalid, ReportSink, Valid
from hardsess.policy import by_id

_VIEWS = "views.py"


class UnsignedTrustedCookie(CodeRule):
    """Report ``set_cookie(K, ...)`` when the same module reads ``K`` from ``.COOKIES``."""

    policy = by_id("HS203")
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
