"""HS111-HS112: the CSRF cookie. (Its domain and prefix are judged with the session cookie's,
under HS105 and HS106; SameSite=None without Secure under HS141.) With CSRF_USE_SESSIONS the
token lives in the session and there is no CSRF cookie to judge."""

from __future__ import annotations

from hardsess.policy.judges import FLAG_FIX, SAMESITE_FIX, flag_true, samesite, with_csrf_cookie
from hardsess.policy.types import Rule, Severity

__all__ = ["RULES"]

HS111 = Rule(
    id="HS111",
    name="csrf-cookie-not-secure",
    severity=Severity.HIGH,
    kind="settings",
    settings=("CSRF_COOKIE_SECURE",),
    summary="The CSRF cookie is sent over plain HTTP.",
    help="Without Secure the CSRF cookie travels over plain HTTP, where it can be read or "
    "replaced by a network attacker. Django's default is False.",
    judge=with_csrf_cookie(
        flag_true("CSRF_COOKIE_SECURE", "the CSRF cookie is also sent over plain HTTP")
    ),
    secure_value="True",
    fix_summary=FLAG_FIX,
    cwe=614,
    deploy_only=True,
    firewall_flags=("secure",),
    django_checks=("security.W016",),
)

HS112 = Rule(
    id="HS112",
    name="csrf-cookie-samesite",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("CSRF_COOKIE_SAMESITE",),
    summary="The CSRF cookie has no effective SameSite protection.",
    help="SameSite=Lax (Django's default) keeps the CSRF cookie off cross-site requests. "
    "None, False, 'None' or a value Django rejects removes that defence or breaks the "
    "response.",
    judge=with_csrf_cookie(samesite("CSRF_COOKIE_SAMESITE")),
    secure_value='"Lax"',
    fix_summary=SAMESITE_FIX,
    cwe=1275,
    firewall_flags=("samesite",),
)

RULES = (HS111, HS112)
