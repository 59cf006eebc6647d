"""HS121-HS123: the language cookie. It carries no secret, so these rules are
``explicit_only``: they judge what a settings module writes, never Django's default."""

from __future__ import annotations

from hardsess.policy.judges import FLAG_FIX, SAMESITE_FIX, flag_true, samesite
from hardsess.policy.types import Rule, Severity

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

HS122 = Rule(
    id="HS122",
    name="language-cookie-not-httponly",
    severity=Severity.LOW,
    kind="settings",
    settings=("LANGUAGE_COOKIE_HTTPONLY",),
    summary="The language cookie is explicitly readable by JavaScript.",
    help="An explicit False for LANGUAGE_COOKIE_HTTPONLY. Django's default is not judged.",
    judge=flag_true(
        "LANGUAGE_COOKIE_HTTPONLY", "scripts on the page can read it", explicit_only=True
    ),
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
