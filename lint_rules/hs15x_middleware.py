"""hardsess's own middleware: installed but missing (HS151), or standing too low (HS152);
hardsess installed with Django's signed_cookies engine, which signs the session twice (HS154).

The cookie firewall must wrap every Django middleware that reads or sets cookies: on the way
in it verifies cookies before SessionMiddleware, CsrfViewMiddleware, LocaleMiddleware or
MessageMiddleware read them; on the way out it sees the cookies they set. Django runs
MIDDLEWARE top-down for requests and bottom-up for responses, so "wraps" means "stands above".

HS153, the page cache standing below SessionMiddleware or CsrfViewMiddleware, is the same
order mistake made with Django's cache middleware (the PYSEC-2026-50 shape: one user's page,
cached without Vary: Cookie, served to everyone). No fix: where the cache belongs depends on
what else the stack varies on.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from hardsess.lint.rule import Invalid, Rewrite, SettingsRewriteContext, SettingsRule, Valid
from hardsess.policy import MIDDLEWARE, by_id

_SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
_CSRF = "django.middleware.csrf.CsrfViewMiddleware"
_SECURITY = "django.middleware.security.SecurityMiddleware"
_COMMON = "django.middleware.common.CommonMiddleware"
_MESSAGES = "django.contrib.messages.middleware.MessageMiddleware"


def _middleware(*paths: str, name: str = "MIDDLEWARE", brackets: str = "[]") -> str:
    """A multi-line ``MIDDLEWARE = [...]`` as Django's startproject writes it."""
    body = "".join(f'    "{p}",\n' for p in paths)
    return f"{name} = {brackets[0]}\n{body}{brackets[1]}\n"


class MiddlewareMissing(SettingsRule):
    """HS151: ``hardsess`` is in INSTALLED_APPS but its middleware is not in MIDDLEWARE."""

    record = by_id("HS151")
    VALID = (
        Valid('INSTALLED_APPS = ["hardsess"]\n' + _middleware(_SECURITY, MIDDLEWARE, _SESSION)),
        Valid('INSTALLED_APPS = ["django.contrib.sessions"]\n' + _middleware(_SESSION)),
        # MIDDLEWARE built from names the linter cannot read: no opinion.
        Valid('INSTALLED_APPS = ["hardsess"]\nMIDDLEWARE = [*BASE_MIDDLEWARE, "x.Y"]\n'),
        Valid(
            'INSTALLED_APPS = ["hardsess"]\n'
            "MIDDLEWARE = [  # hardsess: ignore[HS151]\n"
            f'    "{_SESSION}",\n'
            "]\n"
        ),
    )
    INVALID = (
        Invalid(
            'INSTALLED_APPS = ["django.contrib.sessions", "hardsess"]\n'
            + _middleware(_SECURITY, _SESSION, _CSRF)
        ),
        Invalid(
            'INSTALLED_APPS = ("hardsess.apps.HardSessConfig",)\n'
            + _middleware(_SESSION, brackets="()")
        ),
        Invalid(
            'INSTALLED_APPS = ["django.contrib.sessions"]\n'
            'INSTALLED_APPS += ["hardsess"]\n' + _middleware(_SESSION)
        ),
    )


class MiddlewareOrder(SettingsRule):
    """HS152: the firewall stands below a cookie-setting Django middleware.

    Rewrite (safe): move the firewall's entry, with its own comma and trailing comment, to just
    above the first cookie middleware that stands above it; nothing else moves. Only a
    ``MIDDLEWARE = [...]`` / ``(...)`` literal of plain strings is rewritten.
    """

    record = by_id("HS152")
    VALID = (
        Valid(_middleware(_SECURITY, MIDDLEWARE, _SESSION, _CSRF)),
        Valid(_middleware(MIDDLEWARE, _SESSION)),
        Valid(_middleware(_SESSION, _CSRF)),  # no firewall: HS151's business
        # Suppressed on the statement's first line, where the finding points.
        Valid(
            "MIDDLEWARE = [  # hardsess: ignore[HS152]\n"
            f'    "{_SESSION}",\n'
            f'    "{MIDDLEWARE}",\n'
            "]\n"
        ),
    )
    INVALID = (
        Invalid(
            _middleware(_SECURITY, _SESSION, MIDDLEWARE, _COMMON, _CSRF),
            fixed=_middleware(_SECURITY, MIDDLEWARE, _SESSION, _COMMON, _CSRF),
        ),
        Invalid(
            "MIDDLEWARE = [\n"
            f'    "{_SECURITY}",\n'
            f'    "{_SESSION}",\n'
            f'    "{_CSRF}",\n'
            f'    "{MIDDLEWARE}",  # added last\n'
            "]\n",
            fixed="MIDDLEWARE = [\n"
            f'    "{_SECURITY}",\n'
            f'    "{MIDDLEWARE}",  # added last\n'
            f'    "{_SESSION}",\n'
            f'    "{_CSRF}",\n'
            "]\n",
        ),
        Invalid(
            f'MIDDLEWARE = ["{_SESSION}", "{_MESSAGES}", "{MIDDLEWARE}"]\n',
            fixed=f'MIDDLEWARE = ["{MIDDLEWARE}", "{_SESSION}", "{_MESSAGES}"]\n',
        ),
        Invalid(
            f"MIDDLEWARE = (\n    '{_SESSION}',\n    '{MIDDLEWARE}'\n)\n",
            fixed=f"MIDDLEWARE = (\n    '{MIDDLEWARE}',\n    '{_SESSION}'\n)\n",
        ),
        Invalid(
            "MIDDLEWARE = [\n"
            f'    "{_SESSION}",  # sessions\n'
            f'    "{MIDDLEWARE}",  # added last\n'
            "]\n",
            fixed="MIDDLEWARE = [\n"
            f'    "{MIDDLEWARE}",  # added last\n'
            f'    "{_SESSION}",  # sessions\n'
            "]\n",
        ),
        Invalid(
            "MIDDLEWARE = [\n"
            "    # Django's own\n"
            f'    "{_SECURITY}",\n'
            f'    "{_SESSION}",\n'
            "\n"
            "    # ours: verifies and signs every cookie\n"
            f'    "{MIDDLEWARE}",\n'
            f'    "{_CSRF}",\n'
            "]\n",
            fixed="MIDDLEWARE = [\n"
            "    # Django's own\n"
            f'    "{_SECURITY}",\n'
            "\n"
            "    # ours: verifies and signs every cookie\n"
            f'    "{MIDDLEWARE}",\n'
            f'    "{_SESSION}",\n'
            f'    "{_CSRF}",\n'
            "]\n",
        ),
        Invalid(
            "MIDDLEWARE = (\n"
            "    # a\n"
            f'    "{_SESSION}",  # s\n'
            "    # c\n"
            f'    "{_CSRF}",\n'
            "    # h\n"
            f'    "{MIDDLEWARE}"  # firewall\n'
            ")\n",
            fixed="MIDDLEWARE = (\n"
            "    # h\n"
            f'    "{MIDDLEWARE}",  # firewall\n'
            "    # a\n"
            f'    "{_SESSION}",  # s\n'
            "    # c\n"
            f'    "{_CSRF}"\n'
            ")\n",
        ),
        # Built with +=: the order is known, but there is no single literal to rewrite.
        Invalid(f'MIDDLEWARE = ["{_SESSION}"]\nMIDDLEWARE += ["{MIDDLEWARE}"]\n'),
    )

    def rewrite(self, context: SettingsRewriteContext) -> Rewrite | None:
        """Move the firewall entry up (see the class docstring); None when not rewritable."""
        assignment = context.assignment
        if assignment is None or not isinstance(assignment.value, (cst.List, cst.Tuple)):
            return None
        container = assignment.value
        elements = list(container.elements)
        paths = [_plain_string(e) for e in elements]
        if any(p is None for p in paths):
            return None
        kinds = [context.options.classify_middleware(p) for p in paths if p is not None]
        if "hardsess" not in kinds:
            return None
        source = kinds.index("hardsess")
        above = [i for i, k in enumerate(kinds[:source]) if k is not None and k != "hardsess"]
        if not above:
            return None
        return Rewrite(
            container,
            _move(container, source, above[0]),
            safe=True,
            description=f"move {MIDDLEWARE} above {paths[above[0]]}",
        )


_UPDATE_CACHE = "django.middleware.cache.UpdateCacheMiddleware"
_FETCH_CACHE = "django.middleware.cache.FetchFromCacheMiddleware"


class CacheMiddlewareBelowSession(SettingsRule):
    """HS153: the page cache must see responses after SessionMiddleware and CSRF have."""

    record = by_id("HS153")
    VALID = (
        # Django's documented order: UpdateCacheMiddleware first, FetchFromCacheMiddleware last.
        Valid(_middleware(_UPDATE_CACHE, _SECURITY, _SESSION, _CSRF, _FETCH_CACHE)),
        Valid(_middleware(_SESSION, _CSRF)),  # no page cache
        Valid(_middleware("django.middleware.cache.CacheMiddleware", _SESSION, _CSRF)),
        Valid(_middleware(_UPDATE_CACHE, _SESSION, _FETCH_CACHE, brackets="()")),
    )
    INVALID = (
        Invalid(_middleware(_SECURITY, _SESSION, _UPDATE_CACHE, _CSRF, _FETCH_CACHE)),
        Invalid(_middleware(_SECURITY, _CSRF, _COMMON, "django.middleware.cache.CacheMiddleware")),
        Invalid(
            "SESSION_SAVE_EVERY_REQUEST = True\n"
            + _middleware(_SESSION, _CSRF, _UPDATE_CACHE, _FETCH_CACHE, brackets="()")
        ),
    )


def _plain_string(element: cst.BaseElement) -> str | None:
    if isinstance(element, cst.Element) and isinstance(element.value, cst.SimpleString):
        value = element.value.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _move(container: cst.List | cst.Tuple, source: int, target: int) -> cst.List | cst.Tuple:
    """``container`` with the element at ``source`` moved to ``target`` (< source).

    Comments travel with their entry. A trailing comment sits in the entry's own comma (or, for
    the last entry, on the closing bracket); comment lines above an entry sit in the comma of
    the entry before it (or after the opening bracket). So the entry moves with its comma; when
    it was the last entry it trades commas with the entry that becomes last (the last comma
    decides how the list closes), the two trailing comments swapping between that comma and
    the closing bracket; and the comment lines above each entry are put back above it.
    """
    order = list(range(len(container.elements)))
    order.insert(target, order.pop(source))
    leading = _leading_lines(container)
    moved = _move_with_commas(container, source, target)
    if leading is None:
        return moved
    return _with_leading_lines(moved, [leading[i] for i in order])


def _move_with_commas(
    container: cst.List | cst.Tuple, source: int, target: int
) -> cst.List | cst.Tuple:
    elements = list(container.elements)
    item = elements.pop(source)
    elements.insert(target, item)
    if source != len(container.elements) - 1:
        return container.with_changes(elements=elements)
    new_last = elements[-1]
    item_comma, last_comma = new_last.comma, item.comma
    closing = _closing(container)
    if (
        isinstance(closing, cst.ParenthesizedWhitespace)
        and isinstance(item_comma, cst.Comma)
        and isinstance(item_comma.whitespace_after, cst.ParenthesizedWhitespace)
    ):
        layout = item_comma.whitespace_after
        item_comma = item_comma.with_changes(
            whitespace_after=layout.with_changes(first_line=closing.first_line)
        )
        closing = closing.with_changes(first_line=layout.first_line)
    elements[target] = item.with_changes(comma=item_comma)
    elements[-1] = new_last.with_changes(comma=last_comma)
    return _with_closing(container.with_changes(elements=elements), closing)


def _slot(container: cst.List | cst.Tuple, index: int) -> cst.BaseParenthesizableWhitespace | None:
    """The whitespace just before element ``index``: where the lines above it live."""
    if index > 0:
        comma = container.elements[index - 1].comma
        return comma.whitespace_after if isinstance(comma, cst.Comma) else None
    if isinstance(container, cst.List):
        return container.lbracket.whitespace_after
    return container.lpar[0].whitespace_after if container.lpar else None


def _leading_lines(
    container: cst.List | cst.Tuple,
) -> list[Sequence[cst.EmptyLine]] | None:
    """The comment and blank lines above each element; None unless one entry per line."""
    found: list[Sequence[cst.EmptyLine]] = []
    for index in range(len(container.elements)):
        slot = _slot(container, index)
        if not isinstance(slot, cst.ParenthesizedWhitespace):
            return None
        found.append(slot.empty_lines)
    return found


def _with_leading_lines(
    container: cst.List | cst.Tuple, leading: list[Sequence[cst.EmptyLine]]
) -> cst.List | cst.Tuple:
    elements = list(container.elements)
    for index in range(1, len(elements)):
        comma = elements[index - 1].comma
        if isinstance(comma, cst.Comma) and isinstance(
            comma.whitespace_after, cst.ParenthesizedWhitespace
        ):
            whitespace = comma.whitespace_after.with_changes(empty_lines=leading[index])
            elements[index - 1] = elements[index - 1].with_changes(
                comma=comma.with_changes(whitespace_after=whitespace)
            )
    container = container.with_changes(elements=elements)
    first = _slot(container, 0)
    if not isinstance(first, cst.ParenthesizedWhitespace):
        return container
    first = first.with_changes(empty_lines=leading[0])
    if isinstance(container, cst.List):
        return container.with_changes(
            lbracket=container.lbracket.with_changes(whitespace_after=first)
        )
    lpar = list(container.lpar)
    lpar[0] = lpar[0].with_changes(whitespace_after=first)
    return container.with_changes(lpar=lpar)


def _closing(container: cst.List | cst.Tuple) -> cst.BaseParenthesizableWhitespace | None:
    """The whitespace before the closing bracket (where the last entry's comment lives)."""
    if isinstance(container, cst.List):
        return container.rbracket.whitespace_before
    return container.rpar[-1].whitespace_before if container.rpar else None


def _with_closing(
    container: cst.List | cst.Tuple, closing: cst.BaseParenthesizableWhitespace | None
) -> cst.List | cst.Tuple:
    if closing is None:
        return container
    if isinstance(container, cst.List):
        return container.with_changes(
            rbracket=container.rbracket.with_changes(whitespace_before=closing)
        )
    rpar = list(container.rpar)
    rpar[-1] = rpar[-1].with_changes(whitespace_before=closing)
    return container.with_changes(rpar=rpar)


_DJANGO_COOKIES = "django.contrib.sessions.backends.signed_cookies"
_HARDSESS_COOKIES = "hardsess.backends.signed_cookies"


class SessionEngineSignedTwice(SettingsRule):
    """HS154: with hardsess installed, Django's signed_cookies engine: suggest hardsess's."""

    record = by_id("HS154")
    VALID = (
        Valid(f'INSTALLED_APPS = ["hardsess"]\nSESSION_ENGINE = "{_HARDSESS_COOKIES}"\n'),
        # Without hardsess there is nothing to sign twice.
        Valid(
            f'INSTALLED_APPS = ["django.contrib.sessions"]\nSESSION_ENGINE = "{_DJANGO_COOKIES}"\n'
        ),
        Valid(
            'INSTALLED_APPS = ["hardsess"]\n'
            'SESSION_ENGINE = "django.contrib.sessions.backends.db"\n'
        ),
        Valid(
            'INSTALLED_APPS = ["hardsess"]\n'
            f'SESSION_ENGINE = "{_DJANGO_COOKIES}"  # hardsess: ignore[HS154]\n'
        ),
    )
    INVALID = (
        Invalid(
            f'INSTALLED_APPS = ["hardsess"]\nSESSION_ENGINE = "{_DJANGO_COOKIES}"\n',
            fixed=f'INSTALLED_APPS = ["hardsess"]\nSESSION_ENGINE = "{_HARDSESS_COOKIES}"\n',
        ),
        Invalid(
            'INSTALLED_APPS = ("django.contrib.sessions", "hardsess.apps.HardSessConfig")\n'
            f"SESSION_ENGINE = '{_DJANGO_COOKIES}'\n",
            fixed='INSTALLED_APPS = ("django.contrib.sessions", "hardsess.apps.HardSessConfig")\n'
            f'SESSION_ENGINE = "{_HARDSESS_COOKIES}"\n',
        ),
    )
