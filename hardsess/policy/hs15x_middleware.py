"""HS151-HS154: hardsess's own parts present and in their place (its middleware, its session
engine) and the page cache below the session."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.defaults import HARDSESS_COOKIES_ENGINE, MIDDLEWARE, SIGNED_COOKIES_ENGINE
from hardsess.policy.types import Observed, Options, Rule, Severity, Verdict

__all__ = ["RULES", "middleware_order_problems"]


def _installed(values: Mapping[str, Observed]) -> bool:
    apps = values.get("INSTALLED_APPS")
    if apps is None or not isinstance(apps.value, (list, tuple)):
        return False
    return any(
        isinstance(a, str) and (a == "hardsess" or a.startswith("hardsess.apps."))
        for a in apps.value
    )


def _middleware_list(values: Mapping[str, Observed]) -> list[str] | None:
    middleware = values.get("MIDDLEWARE")
    if middleware is None or not isinstance(middleware.value, (list, tuple)):
        return None
    if not all(isinstance(m, str) for m in middleware.value):
        return None
    return [str(m) for m in middleware.value]


def _middleware_missing(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    middleware = _middleware_list(values)
    if middleware is None or not _installed(values):
        return
    if not any(options.classify_middleware(m) == "hardsess" for m in middleware):
        yield Verdict(
            "MIDDLEWARE",
            f"hardsess is in INSTALLED_APPS but {MIDDLEWARE} is not in MIDDLEWARE: no cookie "
            "is enforced, signed or verified at runtime",
        )


HS151 = Rule(
    id="HS151",
    name="middleware-missing",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("MIDDLEWARE", "INSTALLED_APPS"),
    summary="hardsess is installed but its middleware is not.",
    help=f"With hardsess in INSTALLED_APPS but {MIDDLEWARE} absent from MIDDLEWARE, nothing "
    "is enforced at runtime: no flags, no signing, no verification.",
    judge=_middleware_missing,
    cwe=693,
)


def middleware_order_problems(middleware: list[str], options: Options) -> list[str]:
    """Names of cookie-setting middleware that stand above the firewall (empty: order is fine)."""
    kinds = [options.classify_middleware(m) for m in middleware]
    if "hardsess" not in kinds:
        return []
    position = kinds.index("hardsess")
    return [k for k in kinds[:position] if k is not None and k != "hardsess"]


def _middleware_order(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    middleware = _middleware_list(values)
    if middleware is None:
        return
    above = middleware_order_problems(middleware, options)
    if above:
        yield Verdict(
            "MIDDLEWARE",
            f"{MIDDLEWARE} stands below {', '.join(above)}: it must wrap them to see and "
            "enforce their cookies",
        )


HS152 = Rule(
    id="HS152",
    name="middleware-order",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("MIDDLEWARE",),
    summary="The hardsess middleware stands below a cookie-setting middleware.",
    help="HardSessMiddleware must stand above SessionMiddleware, CsrfViewMiddleware, "
    "LocaleMiddleware and MessageMiddleware: on the way in it must verify cookies before "
    "they read them, and on the way out it must see the cookies they set.",
    judge=_middleware_order,
    fix_summary="move the hardsess middleware up, just above the first of them (safe)",
    cwe=693,
)


#: Django's page-cache middleware that stores responses (UpdateCacheMiddleware's half of it).
_CACHE_STORES = (
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.CacheMiddleware",
)
#: The middleware that add ``Vary: Cookie`` (and the user's own Set-Cookie) on the way out.
_VARY_ON_COOKIE = ("SessionMiddleware", "CsrfViewMiddleware")


def _cache_below_cookies(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    middleware = _middleware_list(values)
    if middleware is None:
        return
    for position, path in enumerate(middleware):
        if path not in _CACHE_STORES:
            continue
        # Responses travel up MIDDLEWARE: whatever stands above the cache runs after it.
        above = [
            kind
            for kind in map(options.classify_middleware, middleware[:position])
            if kind in _VARY_ON_COOKIE
        ]
        if above:
            yield Verdict(
                "MIDDLEWARE",
                f"{path.rpartition('.')[2]} stands below {', '.join(dict.fromkeys(above))}: it "
                "stores each page before Vary: Cookie is added, so one user's page (with their "
                "CSRF token) is served to everyone",
            )
            return


HS153 = Rule(
    id="HS153",
    name="cache-middleware-below-session",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("MIDDLEWARE",),
    summary="The page cache stores responses before the session adds Vary: Cookie.",
    help="Responses pass MIDDLEWARE from the bottom up, so UpdateCacheMiddleware (or "
    "CacheMiddleware) below SessionMiddleware or CsrfViewMiddleware caches each page before "
    "they add Vary: Cookie. The cache key then ignores the cookie and FetchFromCacheMiddleware "
    "serves one user's page, CSRF token and all, to every visitor. Django's documentation "
    "puts UpdateCacheMiddleware first and FetchFromCacheMiddleware last; SESSION_SAVE_EVERY_"
    "REQUEST makes it worse, since every response of a visitor with a session is personal.",
    judge=_cache_below_cookies,
    cwe=524,
)


def _django_cookie_engine(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    engine = values.get("SESSION_ENGINE")
    if engine is None or engine.value != SIGNED_COOKIES_ENGINE or not _installed(values):
        return
    yield Verdict(
        "SESSION_ENGINE",
        "SESSION_ENGINE is Django's signed_cookies engine with hardsess installed: the session "
        "cookie is signed twice (Django's salted HMAC, then the firewall's) and outside the "
        f"keyring's rotation; {HARDSESS_COOKIES_ENGINE} signs it once with the keyring",
    )


HS154 = Rule(
    id="HS154",
    name="session-engine-signed-twice",
    severity=Severity.LOW,
    kind="settings",
    settings=("SESSION_ENGINE", "INSTALLED_APPS"),
    summary="Django's signed_cookies engine with hardsess: the session is signed twice.",
    help="With hardsess installed, Django's signed_cookies engine signs the session with its "
    "own salted HMAC over SECRET_KEY and the firewall signs the cookie again: two MACs each "
    "way, and a session whose inner signature ignores HARDSESS['KEYS'] (rotation, retired "
    f"keys). {HARDSESS_COOKIES_ENGINE} keeps the session in the cookie the same way, signed "
    "once with the keyring and the firewall's wire format. Switching logs nobody out: it reads "
    "Django-signed sessions (until HARDSESS['DJANGO_SESSIONS_UNTIL'], if set) and re-issues "
    "them in its own format (docs/sessions.md, 'hardsess's signed-cookie engine').",
    judge=_django_cookie_engine,
    secure_value=f'"{HARDSESS_COOKIES_ENGINE}"',
    fix_summary="replace with hardsess's engine (safe: it reads Django's sessions meanwhile)",
)

RULES = (HS151, HS152, HS153, HS154)
