"""HS151-HS152: hardsess's own middleware, present and in its place."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.defaults import MIDDLEWARE
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

RULES = (HS151, HS152)
