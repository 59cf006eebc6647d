"""HS201-HS203: cookies set in code (``response.set_cookie`` and ``set_signed_cookie``).

The keyword names are the judges' observed names. The firewall enforces the same facts at
runtime on every ``Set-Cookie`` (flags: HS201, lifetime: HS202, integrity of what comes
back: HS203, size: HS204).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.cookies import MAX_COOKIE_AGE, MAX_COOKIE_BYTES
from hardsess.policy.judges import describe
from hardsess.policy.types import Observed, Options, Rule, Severity, Verdict

__all__ = ["FLAGS", "LANGUAGE_COOKIE", "RULES", "is_language_cookie", "required_flags"]


#: The flags HS201 asks of a cookie set in code, in the order the fix adds them.
FLAGS = ("secure", "httponly", "samesite")
#: Django's name for the language cookie when LANGUAGE_COOKIE_NAME is not set.
LANGUAGE_COOKIE = "django_language"


def is_language_cookie(key: Observed | None) -> bool:
    """``set_cookie("django_language", ...)`` or ``set_cookie(settings.LANGUAGE_COOKIE_NAME,
    ...)``: the language cookie, which carries no secret (HS121-HS123 are explicit_only)."""
    if key is None:
        return False
    if key.value == LANGUAGE_COOKIE:
        return True
    return key.source is not None and key.source.rsplit(".", 1)[-1] == "LANGUAGE_COOKIE_NAME"


def required_flags(values: Mapping[str, Observed], options: Options) -> tuple[str, ...]:
    """The flags a call must pass: none for the language cookie (only explicit values are
    judged, as for LANGUAGE_COOKIE_*), and no httponly for a cookie the site's JavaScript
    reads (HttpOnly would break that script)."""
    key = values.get("key")
    if is_language_cookie(key):
        return ()
    if key is not None and options.read_by_script(key.value) is not None:
        return ("secure", "samesite")
    return FLAGS


def _set_cookie_flags(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    key = values.get("key")
    script = None if key is None else options.read_by_script(key.value)
    missing = [k for k in required_flags(values, options) if k not in values]
    if missing:
        why = ""
        if script is not None:
            why = f"; httponly= is not asked: the cookie is read by JavaScript in {script}"
        yield Verdict(
            missing[0],
            f"the cookie is set without {', '.join(f'{k}=' for k in missing)}: "
            f"Django's defaults are not Secure, not HttpOnly and no SameSite{why}",
        )
    skip_httponly = script is not None or is_language_cookie(key)
    for keyword in ("secure", "httponly"):
        if keyword == "httponly" and skip_httponly:
            continue  # readable on purpose: its script reads it, or it holds no secret
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
    "no SameSite. Pass secure=True, httponly=True and samesite='Lax' (or 'Strict'). A flag "
    "a call leaves to **kwargs cannot be known and is not asked for (a falsy one the call "
    "names, such as httponly=None, still is); calls on "
    "something that is clearly not a response (request.set_cookie, a test client, a cookie "
    "jar). A cookie the site's own JavaScript reads (its templates and static files: "
    "document.cookie, $.cookie, Cookies.get, getCookie) is not asked for httponly=, and the "
    "language cookie (LANGUAGE_COOKIE_NAME, django_language) carries no secret: only explicit "
    "insecure values are judged for it, as HS121-HS123 do.",
    judge=_set_cookie_flags,
    fix_summary='add the missing keywords: secure=True, httponly=True, samesite="Lax" (safe; '
    "unsafe in a development module, or when a comment on the call says the cookie is used "
    "cross-site)",
    cwe=614,
)


def _cookie_lifetime(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for keyword in ("max_age", "expires"):
        observed = values.get(keyword)
        if observed is None:
            continue
        value = observed.value
        if keyword == "max_age" and type(value).__name__ == "timedelta":
            # Django accepts a timedelta for max_age; compared by name so the catalogue does
            # not import datetime on the pre-commit path.
            value = value.total_seconds()  # type: ignore[attr-defined]
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


def _cookie_size(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    key, value = values.get("key"), values.get("value")
    if key is None or value is None:
        return
    if not isinstance(key.value, str) or not isinstance(value.value, str):
        return  # unknown or not text: no opinion
    size = len(key.value.encode("utf-8", "surrogatepass")) + len(
        value.value.encode("utf-8", "surrogatepass")
    )
    if size > MAX_COOKIE_BYTES:
        yield Verdict(
            "value",
            f"the cookie's name and value are {size} bytes: browsers ignore a cookie over "
            f"{MAX_COOKIE_BYTES} bytes, so it is never stored",
        )


HS204 = Rule(
    id="HS204",
    name="set-cookie-too-large",
    severity=Severity.LOW,
    kind="code",
    settings=("key", "value"),
    summary="A cookie's name and value exceed 4096 bytes.",
    help="Browsers ignore a cookie whose name and value together exceed 4096 bytes (RFC "
    "6265bis; OWASP ASVS 5.0 3.3.5): the cookie is silently never stored and whatever relies "
    "on it breaks. Keep large state on the server (the session) and put only a key in the "
    "cookie. At runtime the firewall refuses such a cookie, and a name over 4096 characters, "
    "with a logged error instead of letting the browser drop it silently.",
    judge=_cookie_size,
)

RULES = (HS201, HS202, HS203, HS204)
