"""What each cookie must look like: its flags, whether it is signed, how long it may live.

``HARDSESS["COOKIES"]`` maps a cookie name (or ``"*"``, every other cookie) to a dict with any of
these keys; what is not given is inherited from ``"*"`` and then from the built-in defaults:

=========== ============== ====================================================================
key         default        meaning
=========== ============== ====================================================================
secure      True           add ``Secure`` (never removed if the view set it)
httponly    True           add ``HttpOnly``
samesite    ``"Lax"``      minimum SameSite: a weaker (or missing) value is raised to it;
                           ``None`` sets no minimum
sign        True           sign on the way out, verify on the way in
max_age     400 days       cap on Max-Age / Expires (browsers cap at 400 days anyway)
path        ``"/"``        Path used when the cookie is re-issued after a key rotation
domain      None           Domain used when the cookie is re-issued after a key rotation
=========== ============== ====================================================================

Django's own cookies get their path and domain from Django's settings, and the CSRF cookie is
exempt from HttpOnly and from signing while ``CSRF_COOKIE_HTTPONLY`` is False (JavaScript must
read it, e.g. to send the X-CSRFToken header). A per-name entry overrides those defaults.

(Formerly ``hardsess.cookie_policy``: "policy" now names only the rule catalogue,
:mod:`hardsess.policy`, whose cookie facts these requirements are checked against.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hardsess.firewall import rule_ids
from hardsess.policy.cookies import MAX_COOKIE_AGE, SAMESITE_CANONICAL, SAMESITE_STRICTNESS

__all__ = [
    "FIELDS",
    "MESSAGES_COOKIE_NAME",
    "SETTING",
    "CookieRequirements",
    "RequirementsResolver",
    "validate_cookies_setting",
]

SETTING = "HARDSESS['COOKIES']"
#: The name Django's cookie message storage uses.
MESSAGES_COOKIE_NAME = "messages"


@dataclass(frozen=True, slots=True)
class CookieRequirements:
    """What one cookie must look like when it leaves, and whether it must arrive signed.

    The values of one ``HARDSESS["COOKIES"]`` entry, inherited and resolved.
    """

    secure: bool = True
    httponly: bool = True
    #: Canonical ("Strict", "Lax", "None") minimum, or None for no minimum.
    samesite: str | None = "Lax"
    sign: bool = True
    max_age: int = MAX_COOKIE_AGE
    path: str = "/"
    domain: str | None = None
    #: SAMESITE_STRICTNESS of ``samesite`` (-1 without a minimum), precomputed for the hot path.
    samesite_strictness: int = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        strictness = SAMESITE_STRICTNESS[self.samesite.lower()] if self.samesite is not None else -1
        object.__setattr__(self, "samesite_strictness", strictness)


FIELDS = frozenset(f.name for f in dataclasses.fields(CookieRequirements) if f.init)


def _field_problems(where: str, entry: Mapping[Any, Any]) -> list[str]:
    problems: list[str] = []
    unknown = sorted(str(k) for k in entry if k not in FIELDS)
    if unknown:
        problems.append(f"{where} has unknown key(s): {', '.join(unknown)}")
    for flag in ("secure", "httponly", "sign"):
        if flag in entry and not isinstance(entry[flag], bool):
            problems.append(f"{where}['{flag}'] must be True or False")
    if "samesite" in entry:
        value = entry["samesite"]
        if value is not None and (
            not isinstance(value, str) or value.lower() not in SAMESITE_CANONICAL
        ):
            problems.append(f"{where}['samesite'] must be 'Strict', 'Lax', 'None' or None")
    if "max_age" in entry:
        value = entry["max_age"]
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_COOKIE_AGE
        ):
            problems.append(
                f"{where}['max_age'] must be None or seconds between 1 and {MAX_COOKIE_AGE}"
            )
    if "path" in entry and not (isinstance(entry["path"], str) and entry["path"].startswith("/")):
        problems.append(f"{where}['path'] must be a string starting with '/'")
    if "domain" in entry and entry["domain"] is not None and not isinstance(entry["domain"], str):
        problems.append(f"{where}['domain'] must be a string or None")
    return problems


def validate_cookies_setting(raw: object) -> list[str]:
    """Every problem with a ``HARDSESS["COOKIES"]`` value, as sentences; empty when valid."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return [f"{SETTING} must be a dict of cookie name to policy"]
    problems: list[str] = []
    for name, entry in raw.items():
        where = f"{SETTING}[{name!r}]"
        if not isinstance(name, str) or not name:
            problems.append(f"{SETTING} keys must be cookie names or '*'")
        elif not isinstance(entry, Mapping):
            problems.append(f"{where} must be a dict")
        else:
            problems.extend(_field_problems(where, entry))
    return problems


def _normalise(entry: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(entry)
    if "samesite" in values and values["samesite"] is not None:
        values["samesite"] = SAMESITE_CANONICAL[str(values["samesite"]).lower()]
    if "max_age" in values and values["max_age"] is None:
        values["max_age"] = MAX_COOKIE_AGE
    return values


class RequirementsResolver:
    """Resolves a cookie name to its :class:`CookieRequirements` with one dict lookup.

    Built once per settings object (see :mod:`hardsess.firewall.snapshot`). Names that are
    neither Django's own cookies nor listed in ``HARDSESS["COOKIES"]`` share the ``"*"``
    requirements object, so an attacker sending many cookie names cannot grow any cache.
    """

    __slots__ = ("default", "django_flags", "flag_rules", "named")

    def __init__(self, raw: object, django_settings: Any) -> None:
        problems = validate_cookies_setting(raw)
        if problems:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("; ".join(problems))
        entries: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        star = _normalise(entries.get("*", {}))
        self.default = CookieRequirements(**star)
        builtin = self._django_cookies(django_settings)
        #: The flags Django itself gives its cookies, so a re-issued cookie keeps them.
        self.django_flags = self._django_flags(django_settings)
        #: The rule each flag of Django's cookies answers to (others: rule_ids.DEFAULT_FLAG_RULES);
        #: read only when a correction is logged.
        self.flag_rules = rule_ids.flag_rules(django_settings)
        self.named: dict[str, CookieRequirements] = {}
        for name, defaults in builtin.items():
            self.named[name] = CookieRequirements(
                **{**star, **defaults, **_normalise(entries.get(name, {}))}
            )
        for name, entry in entries.items():
            if name != "*" and name not in self.named:
                self.named[name] = CookieRequirements(**{**star, **_normalise(entry)})

    @staticmethod
    def _django_cookies(s: Any) -> dict[str, dict[str, Any]]:
        """Defaults for the cookies Django itself sets, from Django's settings."""
        cookies: dict[str, dict[str, Any]] = {
            MESSAGES_COOKIE_NAME: {"path": "/", "domain": s.SESSION_COOKIE_DOMAIN},
            s.LANGUAGE_COOKIE_NAME: {
                "path": s.LANGUAGE_COOKIE_PATH,
                "domain": s.LANGUAGE_COOKIE_DOMAIN,
            },
            s.SESSION_COOKIE_NAME: {
                "path": s.SESSION_COOKIE_PATH,
                "domain": s.SESSION_COOKIE_DOMAIN,
            },
        }
        if not s.CSRF_USE_SESSIONS:
            csrf: dict[str, Any] = {"path": s.CSRF_COOKIE_PATH, "domain": s.CSRF_COOKIE_DOMAIN}
            if not s.CSRF_COOKIE_HTTPONLY:
                # JavaScript must read it (X-CSRFToken): neither HttpOnly nor wrapped in a MAC.
                csrf.update(httponly=False, sign=False)
            cookies[s.CSRF_COOKIE_NAME] = csrf
        return cookies

    @staticmethod
    def _django_flags(s: Any) -> dict[str, dict[str, Any]]:
        def flags(prefix: str) -> dict[str, Any]:
            return {
                "secure": getattr(s, f"{prefix}_SECURE"),
                "httponly": getattr(s, f"{prefix}_HTTPONLY"),
                "samesite": getattr(s, f"{prefix}_SAMESITE"),
            }

        return {
            MESSAGES_COOKIE_NAME: flags("SESSION_COOKIE"),
            s.LANGUAGE_COOKIE_NAME: flags("LANGUAGE_COOKIE"),
            s.SESSION_COOKIE_NAME: flags("SESSION_COOKIE"),
            s.CSRF_COOKIE_NAME: flags("CSRF_COOKIE"),
        }

    def for_name(self, name: str) -> CookieRequirements:
        return self.named.get(name, self.default)

    def reissue_attributes(self, name: str) -> dict[str, Any]:
        """Keyword arguments for ``set_cookie`` that re-create cookie ``name`` as it was set:
        Django's own flags for Django's cookies, path and domain from the requirements."""
        wanted = self.for_name(name)
        attributes: dict[str, Any] = self.django_flags.get(
            name,
            {"secure": wanted.secure, "httponly": wanted.httponly, "samesite": wanted.samesite},
        ).copy()
        attributes.update(path=wanted.path, domain=wanted.domain)
        return attributes
