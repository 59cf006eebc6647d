"""HS201-HS203: cookies set in code (``response.set_cookie`` and ``set_signed_cookie``).

The keyword names are the judges' observed names. The firewall enforces the same facts at
runtime on every ``Set-Cookie`` (flags: HS201, lifetime: HS202, integrity of what comes
back: HS203).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.cookies import MAX_COOKIE_AGE
from hardsess.policy.judges import describe
from hardsess.policy.types import Observed, Options, Rule, Severity, Verdict

__all__ = ["RULES"]


def _set_cookie_flags(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    missing = [k for k in ("secure", "httponly", "samesite") if k not in values]
    if missing:
        yield Verdict(
            missing[0],
            f"the cookie is set without {', '.join(f'{k}=' for k in missing)}: "
            "Django's defaults are not Secure, not HttpOnly and no SameSite",
        )
    for keyword in ("secure", "httponly"):
        observed = values.get(keyword)
        if observed is not None and observed.is_literal and not observed.value:
            yield Verdict(keyword, f"{describe(keyword, observed)}: the cookie loses that flag")
    samesite = values.get("samesite")
    if samesite is not None and samesite.is_literal:
        value = samesite.value
        if value is None or value is False or (isinstance(value, str) and value.lower() == "none"):
            yield Verdict(
                "samesite", f"{describe('samesite', samesite)}: sent on cross-site requests"
            )


HS201 = Rule(
    id="HS201",
    name="set-cookie-flags",
    severity=Severity.MEDIUM,
    kind="code",
    settings=("secure", "httponly", "samesite"),
    summary="A cookie is set without Secure, HttpOnly or SameSite.",
    help="response.set_cookie() and set_signed_cookie() default to no Secure, no HttpOnly and "
    "no SameSite. Pass secure=True, httponly=True and samesite='Lax' (or 'Strict'). Calls "
    "that pass **kwargs are skipped: their flags cannot be known.",
    judge=_set_cookie_flags,
    fix_summary='add the missing keywords: secure=True, httponly=True, samesite="Lax" (safe)',
    cwe=614,
)


def _cookie_lifetime(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for keyword in ("max_age", "expires"):
        observed = values.get(keyword)
        if observed is None:
            continue
        value = observed.value
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and value > MAX_COOKIE_AGE
        ):
            yield Verdict(
                keyword,
                f"{keyword} is {value:.0f} seconds ({value / 86400:.0f} days): browsers cap "
                "cookies at 400 days; this reads as 'remember forever'",
            )


HS202 = Rule(
    id="HS202",
    name="set-cookie-lifetime",
    severity=Severity.LOW,
    kind="code",
    settings=("max_age", "expires"),
    summary="A cookie asks to live longer than 400 days.",
    help="Browsers cap cookie lifetimes at 400 days. A longer max_age is a sign of 'remember "
    "forever', which keeps a stolen cookie valid as long.",
    judge=_cookie_lifetime,
    cwe=613,
)

HS203 = Rule(
    id="HS203",
    name="set-cookie-unsigned-trusted",
    severity=Severity.LOW,
    kind="code",
    settings=("value",),
    summary="A cookie the site reads back is set unsigned (opt-in).",
    help="A cookie set with set_cookie() and read back from request.COOKIES in the same module "
    "can be edited by the user. Use set_signed_cookie() / get_signed_cookie(), or run "
    "HardSessMiddleware, which signs every cookie. Opt-in: select HS203 to run it.",
    judge=None,  # a judgement on source structure, made by the lint rule itself
    cwe=565,
    opt_in=True,
)

RULES = (HS201, HS202, HS203)
