"""Facts about cookies that both the judges and the firewall apply.

What browsers accept is not a matter of taste, so it is written once: the judges of the
catalogue read these facts on settings and source, and the firewall
(``hardsess.firewall``) reads the same facts on every ``Set-Cookie`` it corrects or refuses,
logging the rule ID each fact belongs to. Standard library only, cheap to import.

Sources: RFC 6265bis (draft-ietf-httpbis-rfc6265bis, approved by the IESG), section 4.1.3
(prefixes), 5.5 (the 400-day cap), 5.6 (the 4096-byte limit); Django's ``set_cookie`` for
the SameSite values it accepts; the ``__Http-`` / ``__Host-Http-`` prefixes as Chrome 140
ships them (draft-ietf-httpbis-layered-cookies carries them forward); CHIPS
(draft-cutler-httpbis-partitioned-cookies: ``Partitioned`` is ignored without Secure).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, NamedTuple

__all__ = [
    "HOST_HTTP_PREFIX",
    "HOST_PREFIX",
    "HTTPONLY_COOKIES",
    "HTTP_PREFIX",
    "MAX_COOKIE_AGE",
    "MAX_COOKIE_BYTES",
    "PREFIX_RULES",
    "SAMESITE_CANONICAL",
    "SAMESITE_STRICTNESS",
    "SAMESITE_VALUES",
    "SECURE_PREFIX",
    "PrefixRules",
    "partitioned_needs_secure",
    "prefix_of",
    "prefix_rules",
    "samesite_none_needs_secure",
    "samesite_problem",
]

#: Each ``*_HTTPONLY`` setting: the setting naming its cookie, and Django's default name. A
#: cookie the site's JavaScript reads (Options.read_by_script) must not be made HttpOnly.
HTTPONLY_COOKIES: Mapping[str, tuple[str, str]] = {
    "SESSION_COOKIE_HTTPONLY": ("SESSION_COOKIE_NAME", "sessionid"),
    "CSRF_COOKIE_HTTPONLY": ("CSRF_COOKIE_NAME", "csrftoken"),
    "LANGUAGE_COOKIE_HTTPONLY": ("LANGUAGE_COOKIE_NAME", "django_language"),
}

#: HS202: browsers cap a cookie's lifetime at 400 days; a longer ask reads as "forever".
MAX_COOKIE_AGE = 400 * 24 * 60 * 60
#: HS204: browsers ignore a cookie whose name and value together exceed 4096 bytes.
MAX_COOKIE_BYTES = 4096

#: The SameSite values Django's set_cookie accepts, lowercased, with the spelling it sends.
SAMESITE_CANONICAL: Mapping[str, str] = {"lax": "Lax", "strict": "Strict", "none": "None"}
SAMESITE_VALUES: tuple[str, ...] = tuple(SAMESITE_CANONICAL)
#: How much each SameSite value withholds: a policy's minimum is met by this value or above.
SAMESITE_STRICTNESS: Mapping[str, int] = {"none": 0, "lax": 1, "strict": 2}

#: HS106: the cookie name prefixes whose rules the browser enforces (matched without regard to
#: case, as RFC 6265bis section 4.1.3 requires). ``__Http-`` and ``__Host-Http-`` (Chrome 140)
#: also demand HttpOnly, and the browser refuses them from ``document.cookie``: only the server
#: can set them.
Prefix = Literal["__Host-Http-", "__Host-", "__Http-", "__Secure-"]
HOST_HTTP_PREFIX: Final = "__Host-Http-"
HOST_PREFIX: Final = "__Host-"
HTTP_PREFIX: Final = "__Http-"
SECURE_PREFIX: Final = "__Secure-"


def prefix_of(name: str) -> Prefix | None:
    """The prefix the browser will hold ``name`` to, or None (the longest one that matches:
    ``__Host-Http-x`` is held to ``__Host-Http-``, which includes ``__Host-``)."""
    head = name[:12].lower()
    if head.startswith("__host-"):
        return HOST_HTTP_PREFIX if head == "__host-http-" else HOST_PREFIX
    if head.startswith("__secure-"):
        return SECURE_PREFIX
    if head.startswith("__http-"):
        return HTTP_PREFIX
    return None


class PrefixRules(NamedTuple):
    """What a prefix demands of a cookie's attributes (HS106)."""

    secure: bool  # Secure must be set
    root_path: bool  # Path must be /
    host_only: bool  # no Domain attribute
    httponly: bool = False  # HttpOnly must be set (and only the server may set it)


PREFIX_RULES: Mapping[Prefix, PrefixRules] = {
    HOST_HTTP_PREFIX: PrefixRules(secure=True, root_path=True, host_only=True, httponly=True),
    HOST_PREFIX: PrefixRules(secure=True, root_path=True, host_only=True),
    HTTP_PREFIX: PrefixRules(secure=True, root_path=False, host_only=False, httponly=True),
    SECURE_PREFIX: PrefixRules(secure=True, root_path=False, host_only=False),
}


def prefix_rules(name: str) -> PrefixRules | None:
    """The rules ``name``'s prefix demands, or None for a name with no prefix."""
    prefix = prefix_of(name)
    return None if prefix is None else PREFIX_RULES[prefix]


def samesite_problem(value: object) -> str | None:
    """Why a SameSite value is unsafe, as Django would emit it, or None when it is fine."""
    if value is None or value is False or value == "":
        return "no SameSite attribute is sent, so the browser decides"
    if not isinstance(value, str):
        return "it is not a string; Django raises ValueError when it sets the cookie"
    lowered = value.lower()
    if lowered == "none":
        return "the cookie is sent on cross-site requests"
    if lowered not in SAMESITE_CANONICAL:
        return "Django rejects it (only Lax, Strict or None) when it sets the cookie"
    return None


def samesite_none_needs_secure(samesite: object, secure: object) -> bool:
    """HS141: browsers reject a SameSite=None cookie that is not Secure."""
    return isinstance(samesite, str) and samesite.lower() == "none" and not secure


def partitioned_needs_secure(partitioned: object, secure: object) -> bool:
    """HS142: a Partitioned cookie must be Secure (browsers ignore the attribute, or the
    cookie, otherwise)."""
    return bool(partitioned) and not secure
