"""HS121-HS123: the language cookie. It carries no secret, so these rules are
``explicit_only``: they judge what a settings module writes, never Django's default."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.cookies import HTTPONLY_COOKIES
from hardsess.policy.judges import FLAG_FIX, SAMESITE_FIX, flag_true, samesite
from hardsess.policy.types import Observed, Options, Rule, Severity, Verdict

__all__ = ["RULES"]

HS121 = Rule(
    id="HS121",
    name="language-cookie-not-secure",
    severity=Severity.LOW,
    kind="settings",
    settings=("LANGUAGE_COOKIE_SECURE",),
    summary="The language cookie is explicitly sent over plain HTTP.",
    help="An explicit False (or a False environment default) for LANGUAGE_COOKIE_SECURE. "
    "Django's default is not judged: the language cookie carries no secret.",
    judge=flag_true(
        "LANGUAGE_COOKIE_SECURE",
        "the language cookie is also sent over plain HTTP",
        explicit_only=True,
    ),
    secure_value="True",
    fix_summary=FLAG_FIX,
    cwe=614,
    deploy_only=True,
    explicit_only=True,
    firewall_flags=("secure",),
)

_httponly = flag_true(
    "LANGUAGE_COOKIE_HTTPONLY", "scripts on the page can read it", explicit_only=True
)


def _language_httponly(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    """As flag_true, but silent when the site's own JavaScript reads the language cookie:
    then the False is what makes that script work. (LANGUAGE_COOKIE_NAME is read when the
    values hold it, but is not among the rule's settings: the firewall maps the rule by its
    one setting.)"""
    name_setting, default = HTTPONLY_COOKIES["LANGUAGE_COOKIE_HTTPONLY"]
    name = values.get(name_setting)
    if options.read_by_script(default if name is None else name.value) is not None:
        return
    yield from _httponly(values, options)


HS122 = Rule(
    id="HS122",
    name="language-cookie-not-httponly",
    severity=Severity.LOW,
    kind="settings",
    settings=("LANGUAGE_COOKIE_HTTPONLY",),
    summary="The language cookie is explicitly readable by JavaScript.",
    help="An explicit False for LANGUAGE_COOKIE_HTTPONLY. Django's default is not judged, "
    "and neither is a language cookie the site's own JavaScript reads (its templates and "
    "static files), for which the False is deliberate.",
    judge=_language_httponly,
    secure_value="True",
    fix_summary=FLAG_FIX,
    cwe=1004,
    explicit_only=True,
    firewall_flags=("httponly",),
)

HS123 = Rule(
    id="HS123",
    name="language-cookie-samesite",
    severity=Severity.LOW,
    kind="settings",
    settings=("LANGUAGE_COOKIE_SAMESITE",),
    summary="The language cookie explicitly has no effective SameSite.",
    help="An explicit None, 'None' or invalid LANGUAGE_COOKIE_SAMESITE. Django's default is "
    "not judged.",
    judge=samesite("LANGUAGE_COOKIE_SAMESITE", explicit_only=True),
    secure_value='"Lax"',
    fix_summary=SAMESITE_FIX,
    cwe=1275,
    explicit_only=True,
    firewall_flags=("samesite",),
)

RULES = (HS121, HS122, HS123)
