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

Which calls are cookie calls: ``set_cookie`` on something that may be a response. What is
known statically decides (:class:`ResponseAware`): a name assigned in the same function from a
response factory (``HttpResponse(...)``, ``render(...)``, ``redirect(...)``, ``JsonResponse``,
``super().dispatch(...)``, ``self.get_response(request)``) or annotated as a response is one;
a name assigned from, or annotated as, a request or a test client is not; otherwise the name
says: ``request``, ``self.request``, ``req``, ``client``, ``self.client``, a cookie jar
(``jar``, ``session.cookies``) are not responses, and everything else (``response``, ``resp``,
``r``, ``self.response``) is reported.
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from hardsess.lint.fix_safety import comments_in, looks_like_development, wants_cross_site
from hardsess.lint.rule import CodeRule, Invalid, ReportSink, Rewrite, Valid
from hardsess.policy import by_id, judge
from hardsess.policy.hs20x_set_cookie import required_flags

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
_SECURE_KEYWORDS = {"secure": "True", "httponly": "True", "samesite": '"Lax"'}

#: Callables whose result is a response (the last name of the callee).
_RESPONSE_FACTORIES = frozenset(
    {
        "render",
        "redirect",
        "render_to_response",
        "dispatch",
        "get_response",
        "process_response",
        "finalize_response",
        "render_to_string_response",
    }
)
_NOT_RESPONSE_FACTORIES = frozenset({"Client", "AsyncClient", "RequestFactory", "CookieJar"})
#: A receiver named like this is a request, a test client or a cookie jar, never a response.
_NOT_RESPONSE_NAME = re.compile(
    r"(?:^|_)(?:request|req|rq|client|browser|jar|cookiejar|cookies|factory)$", re.IGNORECASE
)


def _last_name(node: cst.BaseExpression) -> str | None:
    """``b`` for ``a.b``, ``b`` for ``b``, ``dispatch`` for ``super().dispatch``."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Call):
        return _last_name(node.func)
    return None


def _kind_of_type(name: str | None) -> bool | None:
    """True: a response type or factory; False: clearly not one; None: cannot tell."""
    if name is None:
        return None
    if name.endswith("Response") or name in _RESPONSE_FACTORIES:
        return True
    if name.endswith(("Request", "Client")) or name in _NOT_RESPONSE_FACTORIES:
        return False
    return None


class ResponseAware(CodeRule):
    """A code rule that only judges ``set_cookie`` on what may be a response (module doc).

    It remembers, per function, which local names were assigned from a response factory or
    annotated with a response type (True) or a request / client type (False).
    """

    def __init__(self, sink: ReportSink) -> None:
        super().__init__(sink)
        self._scopes: list[dict[str, bool]] = [{}]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is not None:
            self._remember(node.name.value, _kind_of_type(_last_name(node.annotation.annotation)))

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            value = node.value
            kind = _kind_of_type(_last_name(value)) if isinstance(value, cst.Call) else None
            self._remember(node.targets[0].target.value, kind)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name):
            self._remember(node.target.value, _kind_of_type(_last_name(node.annotation.annotation)))

    def _remember(self, name: str, kind: bool | None) -> None:
        if kind is None:
            self._scopes[-1].pop(name, None)
        else:
            self._scopes[-1][name] = kind

    def may_be_response(self, receiver: cst.BaseExpression) -> bool:
        """Whether ``receiver`` (of ``receiver.set_cookie``) may be a response."""
        if isinstance(receiver, cst.Name):
            for scope in reversed(self._scopes):
                if receiver.value in scope:
                    return scope[receiver.value]
        if isinstance(receiver, cst.Call):
            kind = _kind_of_type(_last_name(receiver))
            if kind is not None:
                return kind
        name = _last_name(receiver)
        return name is None or _NOT_RESPONSE_NAME.search(name) is None

    def cookie_call_values(self, node: cst.Call) -> dict[str, object] | None:
        """The evaluated arguments of a set_cookie / set_signed_cookie call on what may be a
        response, or None (not one). The key keeps its source text even when its value is
        unknown (``settings.LANGUAGE_COOKIE_NAME``)."""
        method = self.called_method(node)
        if method not in ("set_cookie", "set_signed_cookie"):
            return None
        assert isinstance(node.func, cst.Attribute)
        if not self.may_be_response(node.func.value):
            return None
        positional = (
            SET_COOKIE_PARAMETERS if method == "set_cookie" else SET_SIGNED_COOKIE_PARAMETERS
        )
        # ``**kwargs`` may carry any flag, but not one the call also names: an explicit
        # ``httponly=None`` is judged, a missing flag is unknown.
        values = self.call_values(node, positional, behind_stars=positional)
        if values is None:
            return None
        key = values.get("key")
        argument = _key_argument(node)
        if key is not None and key.source is None and argument is not None:
            values["key"] = replace(key, source=cst.Module(body=[]).code_for_node(argument))
        return values  # type: ignore[return-value]


def _key_argument(node: cst.Call) -> cst.BaseExpression | None:
    for index, arg in enumerate(node.args):
        if (arg.keyword is None and index == 0) or (
            arg.keyword is not None and arg.keyword.value == "key"
        ):
            return arg.value
    return None


def cookie_call_values(rule: ResponseAware, node: cst.Call) -> dict[str, object] | None:
    """The evaluated arguments of a cookie call on a possible response, or None."""
    return rule.cookie_call_values(node)


def report_at_keywords(rule: ResponseAware, node: cst.Call) -> None:
    """Judge a set_cookie call and report each verdict at the keyword it is about (HS202,
    HS204: rules with no fix, whose verdicts name their argument)."""
    values = cookie_call_values(rule, node)
    if values is None:
        return
    for verdict in judge(rule.record, values, rule.options):  # type: ignore[arg-type]
        rule.report(rule.keyword_node(node, verdict.setting) or node, verdict)


def add_keywords(node: cst.Call, keywords: list[tuple[str, str]]) -> cst.Call:
    """``node`` with ``name=value`` keywords appended, in the call's own layout.

    The new keywords are separated like the call's existing arguments (``, `` on one line, or
    one per line with the same indentation); what stood after the last argument (a trailing
    comma, the newline before a ``)`` on its own line) moves to the new last one.
    """
    args = list(node.args)
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma
    elif len(args) == 1 and isinstance(args[-1].comma, cst.Comma):
        separator = args[-1].comma
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
    if args:
        last = args[-1]
        new_args[-1] = new_args[-1].with_changes(
            comma=last.comma, whitespace_after_arg=last.whitespace_after_arg
        )
        args[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
    else:
        new_args[-1] = new_args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(args=[*args, *new_args])


class SetCookieFlags(ResponseAware):
    """set_cookie must pass secure=True, httponly=True and a SameSite of Lax or Strict."""

    record = by_id("HS201")
    SCOPE = "trigger-statements"
    VALID = (
        Valid(
            'response.set_cookie("k", "v", secure=True, httponly=True, samesite="Lax")\n',
            path="views.py",
        ),
        Valid("response.set_cookie('k', 'v', **COOKIE_FLAGS)\n", path="views.py"),
        Valid("response.set_cookie('k', 'v', httponly=True, **flags)\n", path="views.py"),
        Valid("response.set_cookie(*args, secure=True)\n", path="views.py"),
        Valid(
            "response.set_cookie('k', 'v', secure=settings.S, httponly=True, samesite='Strict')\n",
            path="views.py",
        ),
        Valid("response.set_cookie('k', 'v')  # noqa: HS201\n", path="views.py"),
        # Not a response: a request, a test client, a cookie jar.
        Valid("self.request.set_cookie('k', 'v')\n", path="views.py"),
        Valid("def f(request):\n    request.set_cookie('k', 'v')\n", path="views.py"),
        Valid("self.client.set_cookie('k', 'v')\n", path="tests.py"),
        Valid("session.cookies.set_cookie(cookie)\n", path="views.py"),
        Valid("def f(out: HttpRequest):\n    out.set_cookie('k', 'v')\n", path="middleware.py"),
        Valid("def f():\n    c = Client()\n    c.set_cookie('k', 'v')\n", path="views.py"),
        # The language cookie carries no secret: only explicit insecure values are judged.
        Valid("response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang)\n", path="views.py"),
        Valid("response.set_cookie('django_language', 'fr', httponly=False)\n", path="views.py"),
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
        # A response the names do not show: assigned from a factory, or annotated.
        Invalid(
            "def f(request):\n    client = HttpResponse()\n    client.set_cookie('k', 'v')\n",
            path="views.py",
            fixed="def f(request):\n    client = HttpResponse()\n"
            "    client.set_cookie('k', 'v', secure=True, httponly=True, samesite=\"Lax\")\n",
        ),
        Invalid(
            "def process_response(self, request, r):\n    r.set_cookie('k', 'v', secure=True)\n",
            path="middleware.py",
            fixed="def process_response(self, request, r):\n"
            "    r.set_cookie('k', 'v', secure=True, httponly=True, samesite=\"Lax\")\n",
        ),
        # The closing parenthesis on its own line stays there.
        Invalid(
            'response.set_cookie(\n    "k", "v"\n)\n',
            path="views.py",
            fixed='response.set_cookie(\n    "k", "v", secure=True, httponly=True, '
            'samesite="Lax"\n)\n',
        ),
        Invalid(
            'response.set_cookie("k",\n                    "v",\n                    max_age=3\n'
            "                    )\n",
            path="views.py",
            fixed='response.set_cookie("k",\n                    "v",\n'
            "                    max_age=3,\n                    secure=True,\n"
            "                    httponly=True,\n"
            '                    samesite="Lax"\n                    )\n',
        ),
        # Fixes that could break the site are not safe: Secure in a development module,
        # SameSite where a comment says the cookie is used cross-site.
        Invalid(
            'response.set_cookie("k", "v")\n',
            path="myproject/settings/dev_views.py",
            fixed=None,
            unsafe_fixed='response.set_cookie("k", "v", secure=True, httponly=True, '
            'samesite="Lax")\n',
        ),
        Invalid(
            "def view(request, response):\n"
            "    # Read inside the partner's iframe: must stay SameSite=None.\n"
            '    response.set_cookie("embed", "v", secure=True, httponly=True)\n',
            path="views.py",
            fixed=None,
            unsafe_fixed="def view(request, response):\n"
            "    # Read inside the partner's iframe: must stay SameSite=None.\n"
            '    response.set_cookie("embed", "v", secure=True, httponly=True, samesite="Lax")\n',
        ),
        # **kwargs cannot pass a flag the call names: an explicit falsy one is reported.
        Invalid(
            "kwargs = {}\nresponse.set_cookie('k', key, httponly=None, **kwargs)\n",
            path="views.py",
        ),
        Invalid("response.set_cookie(*args, secure=False)\n", path="views.py"),
        # The language cookie: an explicit insecure value is still reported.
        Invalid(
            "response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, secure=False)\n",
            path="views.py",
        ),
    )

    def __init__(self, sink: ReportSink) -> None:
        super().__init__(sink)
        self._statements: list[cst.SimpleStatementLine] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statements.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._statements.pop()

    def visit_Call(self, node: cst.Call) -> None:
        values = cookie_call_values(self, node)
        if values is None:
            return
        wanted = required_flags(values, self.options)  # type: ignore[arg-type]
        missing = [(k, _SECURE_KEYWORDS[k]) for k in wanted if k not in values]
        fix = self._fix(node, missing) if missing else None
        for verdict in judge(self.record, values, self.options):  # type: ignore[arg-type]
            if verdict.setting in dict(missing):
                self.report(node, verdict, fix=fix)
            else:
                self.report(self.keyword_node(node, verdict.setting) or node, verdict)

    def _fix(self, node: cst.Call, missing: list[tuple[str, str]]) -> Rewrite:
        """Adding the flags is safe, except where it can break the site: Secure in a
        development module (plain-HTTP runserver), SameSite where a comment says the cookie
        is used cross-site."""
        added = ", ".join(f"{k}={v}" for k, v in missing)
        names = dict(missing)
        why = ""
        if "secure" in names and looks_like_development(self.path):
            why = "unsafe: a development module may be served over plain HTTP"
        elif "samesite" in names and wants_cross_site(
            comments_in(self._statements[-1] if self._statements else node)
        ):
            why = "unsafe: a comment says the cookie is used cross-site"
        description = f"add {added}" + (f" ({why})" if why else "")
        return Rewrite(node, add_keywords(node, missing), safe=not why, description=description)


class SetCookieLifetime(ResponseAware):
    """max_age / expires beyond 400 days reads as "remember forever"."""

    record = by_id("HS202")
    SCOPE = "trigger-statements"
    VALID = (
        Valid("response.set_cookie('k', 'v', max_age=3600)\n", path="views.py"),
        Valid("response.set_cookie('k', 'v', max_age=settings.AGE)\n", path="views.py"),
        Valid("self.request.set_cookie('k', 'v', max_age=10**9)\n", path="views.py"),
    )
    INVALID = (
        Invalid("response.set_cookie('k', 'v', max_age=10 * 365 * 86400)\n", path="views.py"),
        Invalid(
            "from datetime import timedelta\nFOREVER = timedelta(days=3650).total_seconds()\n"
            "def view(request):\n    response.set_signed_cookie('k', 'v', max_age=FOREVER)\n",
            path="views.py",
        ),
        Invalid("response.set_cookie('k', 'v', 10**9)\n", path="views.py"),  # positional
        Invalid(
            "def dispatch(self, request):\n"
            "    cookies = super().dispatch(request)  # a response, whatever its name\n"
            "    cookies.set_cookie('k', 'v', max_age=10**9)\n"
            "    return cookies\n",
            path="views.py",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        report_at_keywords(self, node)


class SetCookieTooLarge(ResponseAware):
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


class UnsignedTrustedCookie(ResponseAware):
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
        Valid(
            "def view(self):\n"
            '    self.request.set_cookie("theme", "dark")  # not a response\n'
            '    return self.request.COOKIES["theme"]\n',
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
        if (
            method == "set_cookie"
            and isinstance(node.func, cst.Attribute)
            and self.may_be_response(node.func.value)
        ):
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
