"""HS141: cookies meant for cross-site use, and what browsers demand of them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.cookies import samesite_none_needs_secure
from hardsess.policy.judges import describe
from hardsess.policy.types import Observed, Options, Rule, Severity, Verdict

__all__ = ["RULES"]


def _samesite_none_secure(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for family in ("SESSION", "CSRF", "LANGUAGE"):
        samesite = values.get(f"{family}_COOKIE_SAMESITE")
        secure = values.get(f"{family}_COOKIE_SECURE")
        if (
            samesite is not None
            and secure is not None
            and samesite_none_needs_secure(samesite.value, secure.value)
        ):
            yield Verdict(
                f"{family}_COOKIE_SAMESITE",
                f'{family}_COOKIE_SAMESITE is "None" but '
                f"{describe(f'{family}_COOKIE_SECURE', secure)}: "
                "browsers reject SameSite=None without Secure",
            )


HS141 = Rule(
    id="HS141",
    name="samesite-none-without-secure",
    severity=Severity.HIGH,
    kind="settings",
    settings=(
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_SECURE",
    ),
    summary="SameSite=None without Secure: browsers reject the cookie.",
    help="Browsers drop a SameSite=None cookie that is not Secure; the session or CSRF token "
    "silently stops working.",
    judge=_samesite_none_secure,
    cwe=1275,
    # Either flag resolves it: Secure makes SameSite=None valid, a SameSite minimum raises it.
    firewall_flags=("secure", "samesite"),
)

RULES = (HS141,)
