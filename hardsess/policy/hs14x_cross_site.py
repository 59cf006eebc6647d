"""HS141-HS143: cookies meant for cross-site use, and what browsers demand of them.

HS142 and HS143 judge ``HARDSESS`` itself: its per-cookie policy (``HARDSESS["COOKIES"]``,
whose ``partitioned`` key asks the firewall for CHIPS) and ``HARDSESS["EMBEDDED"]``, the site's
statement that its pages are served inside other sites' iframes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hardsess.policy.cookies import partitioned_needs_secure, samesite_none_needs_secure
from hardsess.policy.defaults import DJANGO_DEFAULTS
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


def _cookie_policies(values: Mapping[str, Observed]) -> Mapping[Any, Any] | None:
    """``HARDSESS["COOKIES"]`` as far as it is known: None when HARDSESS or it is absent or not
    understood (no opinion then), and the empty dict when HARDSESS has no COOKIES."""
    hardsess = values.get("HARDSESS")
    if hardsess is None or not isinstance(hardsess.value, Mapping):
        return None
    policies = hardsess.value.get("COOKIES", {})
    return policies if isinstance(policies, Mapping) else None


def _entry(policies: Mapping[Any, Any], name: object) -> dict[Any, Any]:
    """The keys cookie ``name`` gets from the policy: its own entry over ``"*"``."""
    star = policies.get("*")
    own = policies.get(name) if name != "*" else None
    merged: dict[Any, Any] = dict(star) if isinstance(star, Mapping) else {}
    if isinstance(own, Mapping):
        merged.update(own)
    return merged


def _partitioned_secure(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    policies = _cookie_policies(values)
    if not policies:
        return
    for name, own in policies.items():
        # An entry that inherits both keys from "*" is reported once, at "*".
        if name != "*" and not (
            isinstance(own, Mapping) and ("partitioned" in own or "secure" in own)
        ):
            continue
        entry = _entry(policies, name)
        # Only a literal False counts: an unknown value never produces a finding.
        if partitioned_needs_secure(
            entry.get("partitioned") is True, entry.get("secure", True) is not False
        ):
            yield Verdict(
                "HARDSESS",
                f"HARDSESS['COOKIES'][{name!r}] asks for Partitioned with 'secure': False: "
                "browsers refuse a Partitioned cookie that is not Secure (the firewall adds "
                "Secure)",
            )


HS142 = Rule(
    id="HS142",
    name="partitioned-without-secure",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("HARDSESS",),
    summary="A Partitioned (CHIPS) cookie without Secure.",
    help="Browsers only keep a Partitioned cookie that is also Secure. A per-cookie policy in "
    "HARDSESS['COOKIES'] (its own entry or the '*' it inherits) that says "
    "'partitioned': True and 'secure': False contradicts itself; the firewall adds Secure and "
    "logs HS142 on every such cookie. Remove 'secure': False.",
    judge=_partitioned_secure,
    cwe=1275,
)


_DJANGO_COOKIES = ("SESSION", "CSRF", "LANGUAGE")


def _embedded_unpartitioned(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    hardsess = values.get("HARDSESS")
    if hardsess is None or not isinstance(hardsess.value, Mapping):
        return
    if hardsess.value.get("EMBEDDED") is not True:
        return
    policies = _cookie_policies(values)
    if policies is None:
        return
    for family in _DJANGO_COOKIES:
        samesite = values.get(f"{family}_COOKIE_SAMESITE")
        if samesite is None or not isinstance(samesite.value, str):
            continue
        if samesite.value.lower() != "none":
            continue
        if family == "CSRF":
            use_sessions = values.get("CSRF_USE_SESSIONS")
            if use_sessions is not None and use_sessions.value is True:
                continue  # no CSRF cookie at all
        named = values.get(f"{family}_COOKIE_NAME")
        name = named.value if named is not None else DJANGO_DEFAULTS.get(f"{family}_COOKIE_NAME")
        if not isinstance(name, str):
            continue
        partitioned = _entry(policies, name).get("partitioned", False)
        if partitioned is False:
            yield Verdict(
                f"{family}_COOKIE_SAMESITE",
                f"{family}_COOKIE_SAMESITE is \"None\" and HARDSESS['EMBEDDED'] is True, but "
                f"the cookie {name!r} is not Partitioned: a browser blocking third-party "
                "cookies drops it inside the iframe (set "
                f"HARDSESS['COOKIES'][{name!r}]['partitioned'] = True)",
            )
    for name, own in policies.items():
        if name == "*" or not isinstance(own, Mapping):
            continue
        entry = _entry(policies, name)
        samesite_value = entry.get("samesite")
        if (
            isinstance(samesite_value, str)
            and samesite_value.lower() == "none"
            and entry.get("partitioned", False) is False
        ):
            yield Verdict(
                "HARDSESS",
                f"HARDSESS['COOKIES'][{name!r}] is SameSite=None and HARDSESS['EMBEDDED'] is "
                "True, but it is not Partitioned: a browser blocking third-party cookies drops "
                "it inside the iframe",
            )


HS143 = Rule(
    id="HS143",
    name="embedded-cookie-unpartitioned",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=(
        "HARDSESS",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_SAMESITE",
        "CSRF_COOKIE_NAME",
        "CSRF_USE_SESSIONS",
        "LANGUAGE_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_NAME",
    ),
    summary="An embedded site's SameSite=None cookie is not Partitioned.",
    help="With HARDSESS['EMBEDDED'] = True the site says its pages run inside other sites' "
    "iframes. There a cookie needs SameSite=None to be sent at all, and, in a browser that "
    "blocks third-party cookies (Chrome with the setting, Safari, Firefox's strict mode, "
    "Chrome's incognito), it is only kept when it is Partitioned (CHIPS): the browser stores "
    "it in a jar of the embedding site. Give the cookie 'partitioned': True in "
    "HARDSESS['COOKIES'].",
    judge=_embedded_unpartitioned,
    cwe=1275,
)

RULES = (HS141, HS142, HS143)
