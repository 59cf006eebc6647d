"""The catalogue rule each correction or refusal of the firewall answers to.

The firewall is the runtime remedy of rules the linter and the checks report, so what it logs
carries the same ID (docs/runtime.md has the table):

============================================================  =====================================
what the firewall does                                        rule
============================================================  =====================================
adds Secure / HttpOnly / SameSite to Django's own cookies     the cookie's own rule (HS101-HS103,
                                                              HS111-HS112, HS121-HS123)
adds a flag to any other cookie, or a flag no rule covers     HS201 set-cookie-flags
adopts or refuses a raw ``Set-Cookie`` header                 HS201 (a cookie set with no flags)
adds Secure to SameSite=None                                  HS141 samesite-none-without-secure
corrects a ``__Host-`` / ``__Secure-`` / ``__Http-`` /         HS106 cookie-prefix-broken
``__Host-Http-`` cookie
adds Secure to a Partitioned cookie                           HS142 partitioned-without-secure
caps or rewrites a lifetime                                   HS202 set-cookie-lifetime
refuses a cookie too large for a browser to keep              HS204 set-cookie-too-large
rejects an incoming cookie (unsigned, tampered, tossed...)    HS203 set-cookie-unsigned-trusted
============================================================  =====================================

Which of Django's settings rules covers which flag is read from the catalogue itself (the rule
judging ``SESSION_COOKIE_SECURE`` is the session cookie's Secure rule), so this module holds no
copy of it; :func:`flag_rules` turns it into a table keyed by the cookie names in force, built
once per settings snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from hardsess.policy import CATALOGUE

__all__ = [
    "CROSS_SITE",
    "DEFAULT_FLAG_RULES",
    "FLAGS",
    "INCOMING",
    "LIFETIME",
    "LOGGED",
    "PARTITIONED",
    "PREFIX",
    "RAW_HEADER",
    "TOO_LARGE",
    "flag_rules",
]

#: A flag added to a cookie no cookie-specific rule covers (set-cookie-flags).
FLAGS: Final = "HS201"
#: A lifetime capped at the policy's maximum or rewritten so that the cap holds.
LIFETIME: Final = "HS202"
#: Every incoming rejection: a cookie the site reads back must be signed; this is the remedy.
INCOMING: Final = "HS203"
#: Refused: name and value over MAX_COOKIE_BYTES, or a name no browser keeps.
TOO_LARGE: Final = "HS204"
#: A broken ``__Host-`` / ``__Secure-`` prefix corrected.
PREFIX: Final = "HS106"
#: SameSite=None without Secure corrected.
CROSS_SITE: Final = "HS141"
#: Partitioned without Secure corrected.
PARTITIONED: Final = "HS142"
#: A ``Set-Cookie`` header written straight into response.headers: a cookie set without the
#: flags ``set_cookie`` would give it, adopted (then hardened and signed) or refused.
RAW_HEADER: Final = FLAGS

#: The flags of a cookie with no rule of its own.
DEFAULT_FLAG_RULES: Mapping[str, str] = {"secure": FLAGS, "httponly": FLAGS, "samesite": FLAGS}

#: Django's cookies with flag rules: the prefix of their settings (``SESSION_COOKIE_SECURE``...)
#: and the setting naming the cookie.
_DJANGO_COOKIES = (
    ("LANGUAGE_COOKIE", "LANGUAGE_COOKIE_NAME"),
    ("SESSION_COOKIE", "SESSION_COOKIE_NAME"),
    ("CSRF_COOKIE", "CSRF_COOKIE_NAME"),
)


def _rules_by_setting() -> dict[str, str]:
    """The rule judging exactly one setting, by that setting (the catalogue's own table)."""
    return {
        rule.settings[0]: rule.id
        for rule in CATALOGUE
        if rule.kind == "settings" and len(rule.settings) == 1
    }


_BY_SETTING = _rules_by_setting()

#: Flag rules by settings prefix: {"SESSION_COOKIE": {"secure": "HS101", ...}, ...}.
FLAG_RULES_BY_PREFIX: Mapping[str, Mapping[str, str]] = {
    prefix: {
        flag: _BY_SETTING.get(f"{prefix}_{flag.upper()}", default)
        for flag, default in DEFAULT_FLAG_RULES.items()
    }
    for prefix, _ in _DJANGO_COOKIES
}

#: Every ID the firewall can log (a test checks that the catalogue holds each).
LOGGED: tuple[str, ...] = tuple(
    sorted(
        {FLAGS, LIFETIME, INCOMING, TOO_LARGE, PREFIX, CROSS_SITE, PARTITIONED, RAW_HEADER}
        | {rule for rules in FLAG_RULES_BY_PREFIX.values() for rule in rules.values()}
    )
)


def flag_rules(django_settings: Any) -> dict[str, Mapping[str, str]]:
    """Cookie name -> flag -> rule ID for Django's own cookies under ``django_settings``.

    A name missing from the table takes :data:`DEFAULT_FLAG_RULES`. Where two settings give
    one name, the later of language, session, CSRF wins, as in the cookie requirements; with
    ``CSRF_USE_SESSIONS`` there is no CSRF cookie, so no name answers to its rules.
    """
    return {
        getattr(django_settings, name_setting): FLAG_RULES_BY_PREFIX[prefix]
        for prefix, name_setting in _DJANGO_COOKIES
        if not (prefix == "CSRF_COOKIE" and django_settings.CSRF_USE_SESSIONS)
    }
