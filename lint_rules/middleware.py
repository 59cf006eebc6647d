"""hardsess's own middleware: installed but missing (HS151), or standing too low (HS152).

The cookie firewall must wrap every Django middleware that reads or sets cookies: on the way
in it verifies cookies before SessionMiddleware, CsrfViewMiddleware, LocaleMiddleware or
MessageMiddleware read them; on the way out it sees the cookies they set. Django runs
MIDDLEWARE top-down for requests and bottom-up for responses, so "wraps" means "stands above".
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from hardsess.lint.rule import Fix, Invalid, SettingsFixContext, SettingsRule, Valid
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

    policy = by_id("HS151")
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

    Fix (safe): move the firewall's entry, with its own comma and trailing comment, to just
    above the first cookie middleware that stands above it; nothing else moves. Only a
    ``MIDDLEWARE = [...]`` / ``(...)`` literal of plain strings is rewritten.
    """

    policy = by_id("HS152")
    VALID = (
        Valid(_middleware(_SECURITY, MIDDLEWARE, _SESSION, _CSRF)),
        Valid(_middleware(MIDDLEWARE, _SESSION)),
        Valid(_middleware(_SESSION, _CSRF)),  # no firewall: HS151's business
        Valid(
            "MIDDLEWARE = [\n"
            f'    "{_SESSION}",\n'
            f'    "{MIDDLEWARE}",  # hardsess: ignore[HS152]\n'
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
        # Built with +=: the order is known, but there is no single literal to rewrite.
        Invalid(f'MIDDLEWARE = ["{_SESSION}"]\nMIDDLEWARE += ["{MIDDLEWARE}"]\n'),
    )

    def fix(self, context: SettingsFixContext) -> Fix | None:
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
        moved = _move(elements, source, above[0])
        return Fix(
            container,
            container.with_changes(elements=moved),
            safe=True,
            description=f"move {MIDDLEWARE} above {paths[above[0]]}",
        )


def _plain_string(element: cst.BaseElement) -> str | None:
    if isinstance(element, cst.Element) and isinstance(element.value, cst.SimpleString):
        value = element.value.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _move(elements: Sequence[cst.BaseElement], source: int, target: int) -> list[cst.BaseElement]:
    """``elements`` with the one at ``source`` moved to ``target`` (< source).

    Each element keeps its own comma, so a trailing comment travels with its entry. The comma
    of the last slot also decides how the list closes (trailing comma or not, the indentation
    of the closing bracket), so when the moved element was the last one it trades that layout
    with the element that becomes last, each keeping its own trailing comment.
    """
    reordered = list(elements)
    item = reordered.pop(source)
    reordered.insert(target, item)
    if source == len(elements) - 1:
        new_last = reordered[-1]
        reordered[-1] = new_last.with_changes(comma=_layout(item.comma, new_last.comma))
        reordered[target] = item.with_changes(comma=_layout(new_last.comma, item.comma))
    return reordered


def _layout(
    layout: cst.Comma | cst.MaybeSentinel, comment_from: cst.Comma | cst.MaybeSentinel
) -> cst.Comma | cst.MaybeSentinel:
    """``layout``'s comma and line breaks with the same-line comment of ``comment_from``."""
    if not isinstance(layout, cst.Comma) or not isinstance(comment_from, cst.Comma):
        return layout
    after, mine = layout.whitespace_after, comment_from.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace) and isinstance(
        mine, cst.ParenthesizedWhitespace
    ):
        return layout.with_changes(whitespace_after=after.with_changes(first_line=mine.first_line))
    return layout
