"""The rule catalogue: *what* is insecure, as data, one family module per ID decade.

The ID predicts the file::

    hs10x_session_cookie  HS101-HS109  the session cookie and its store
    hs11x_csrf_cookie     HS111-HS112  the CSRF cookie
    hs12x_language_cookie HS121-HS123  the language cookie
    hs13x_secret_key      HS131-HS134  SECRET_KEY, its fallbacks, the legacy salt
    hs14x_cross_site      HS141        SameSite=None and what it needs
    hs15x_middleware      HS151-HS152  hardsess's middleware, present and in order
    hs20x_set_cookie      HS201-HS203  cookies set in code

Each family module writes every :class:`Rule` record beside its judge and lists them in
``RULES``. Shared parts: :mod:`~hardsess.policy.types` (severity, origin, the one unknown
value, observed value, verdict, rule), :mod:`~hardsess.policy.cookies` (the cookie facts the
firewall applies too: SameSite values, prefixes, size and age limits),
:mod:`~hardsess.policy.defaults` (Django's defaults and dotted paths) and
:mod:`~hardsess.policy.judges` (judge builders shared by the cookie families).

A judge looks at observed values and yields :class:`Verdict` objects; it never looks at source
code or at ``django.conf.settings`` itself. The linter (``hardsess.lint`` + ``lint_rules``)
says *where in source* a value comes from and feeds what it could evaluate; the system checks
(``hardsess.checks``) feed the live settings; the firewall applies the cookie facts. All of
them therefore reach the same judgement under the same ID and with the same message.

Observed values
    A judge receives a mapping of setting name (or, for code rules, keyword name) to
    :class:`Observed`. A name that is absent is *unknown or not written*: file-mode linting
    does not know what another settings module sets, so judges treat absence as "no opinion",
    except where a rule says otherwise. Deploy mode and the system checks fill in Django's
    defaults (origin ``DJANGO_DEFAULT``) so nothing is absent there.

This package must stay cheap to import (standard library only): it is imported by the
pre-filter path of the linter, by ``apps.py`` and by the firewall. No libcst, no Django
settings access.
"""

from __future__ import annotations

from collections.abc import Mapping

from hardsess.policy import (
    hs10x_session_cookie,
    hs11x_csrf_cookie,
    hs12x_language_cookie,
    hs13x_secret_key,
    hs14x_cross_site,
    hs15x_middleware,
    hs20x_set_cookie,
)
from hardsess.policy.cookies import MAX_COOKIE_AGE, MAX_COOKIE_BYTES, samesite_problem
from hardsess.policy.defaults import (
    COOKIE_MIDDLEWARE,
    DEFAULT_MAX_SESSION_AGE,
    DJANGO_DEFAULTS,
    FILE_ENGINE,
    JSON_SERIALIZER,
    LIFECYCLE_MIDDLEWARE,
    MIDDLEWARE,
    SIGNED_COOKIES_ENGINE,
    cookies_never_set,
    django_defaults,
)
from hardsess.policy.hs10x_session_cookie import is_pickle_serializer
from hardsess.policy.hs13x_secret_key import UNKNOWN_VALUE_SETTINGS, secret_key_weakness
from hardsess.policy.hs15x_middleware import middleware_order_problems
from hardsess.policy.judges import describe
from hardsess.policy.types import (
    UNKNOWN_VALUE,
    Judge,
    Observed,
    Options,
    Origin,
    Rule,
    Severity,
    Verdict,
)

__all__ = [
    "CATALOGUE",
    "COOKIE_MIDDLEWARE",
    "DEFAULT_MAX_SESSION_AGE",
    "DJANGO_DEFAULTS",
    "FILE_ENGINE",
    "JSON_SERIALIZER",
    "LIFECYCLE_MIDDLEWARE",
    "MAX_COOKIE_AGE",
    "MAX_COOKIE_BYTES",
    "MIDDLEWARE",
    "SETTINGS_NAMES",
    "SIGNED_COOKIES_ENGINE",
    "UNKNOWN_VALUE",
    "UNKNOWN_VALUE_SETTINGS",
    "Judge",
    "Observed",
    "Options",
    "Origin",
    "Rule",
    "Severity",
    "Verdict",
    "by_id",
    "cookies_never_set",
    "describe",
    "django_defaults",
    "is_pickle_serializer",
    "judge",
    "middleware_order_problems",
    "samesite_problem",
    "secret_key_weakness",
]

#: The family modules, in ID order. A new family (a new ID decade) is its import above and
#: one entry here.
FAMILIES = (
    hs10x_session_cookie,
    hs11x_csrf_cookie,
    hs12x_language_cookie,
    hs13x_secret_key,
    hs14x_cross_site,
    hs15x_middleware,
    hs20x_set_cookie,
)

CATALOGUE: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)

_BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in CATALOGUE}

#: Every setting name any settings rule looks at (the linter's pre-filter searches for them).
SETTINGS_NAMES: frozenset[str] = frozenset(
    s for rule in CATALOGUE if rule.kind == "settings" for s in rule.settings
)


def by_id(rule_id: str) -> Rule:
    """The rule with that ID; KeyError names the unknown ID."""
    return _BY_ID[rule_id]


def judge(
    rule: Rule, values: Mapping[str, Observed], options: Options | None = None
) -> list[Verdict]:
    """All verdicts of one rule on the observed values (empty for rules with no judge)."""
    if rule.judge is None:
        return []
    return list(rule.judge(values, options or Options()))
