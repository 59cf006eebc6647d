"""What each cookie must look like: its flags, whether it is signed, how long it may live.

``HARDSESS["COOKIES"]`` maps a cookie name, a pattern (``"_ga*"``, ``"remember-cookie_*"``: ``*``
is any run of characters) or ``"*"`` (every other cookie) to a dict with any of these keys; what is
not given is inherited from ``"*"`` and then from the built-in defaults:

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
partitioned False          add ``Partitioned`` (CHIPS: the browser keeps the cookie in a jar
                           of the top-level site, so it works in a cross-site iframe while
                           third-party cookies are blocked); needs Secure, which is added
                           (HS142) if the entry says ``"secure": False``
=========== ============== ====================================================================

Django's own cookies get their path and domain from Django's settings, and the CSRF cookie is
exempt from HttpOnly and from signing while ``CSRF_COOKIE_HTTPONLY`` is False (JavaScript must
read it, e.g. to send the X-CSRFToken header). A per-name entry overrides those defaults.

Which entry a cookie gets, first match wins: its exact name (the policy's entry merged over
Django's defaults for Django's own cookies); the policy's patterns, in the order written; the
well-known families of :mod:`hardsess.firewall.families` (analytics, consent, CDN cookies set by
JavaScript or another service: unsigned, not HttpOnly); ``"*"``. A cookie whose requirements
come from ``"*"`` and sign it, arriving unsigned, is a *foreign* cookie (docs/runtime.md).

(Formerly ``hardsess.cookie_policy``: "policy" now names only the rule catalogue,
:mod:`hardsess.policy`, whose cookie facts these requirements are checked against.)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hardsess.firewall import rule_ids
from hardsess.firewall.families import FAMILY_REQUIREMENTS, WELL_KNOWN
from hardsess.policy.cookies import MAX_COOKIE_AGE, SAMESITE_CANONICAL, SAMESITE_STRICTNESS

__all__ = [
    "DEFAULT_ORIGIN",
    "FIELDS",
    "MAX_MATCHED_NAMES",
    "MAX_PATTERN_NAME",
    "MAX_PATTERN_STARS",
    "MESSAGES_COOKIE_NAME",
    "SETTING",
    "CookieRequirements",
    "RequirementsResolver",
    "validate_cookies_setting",
]

SETTING = "HARDSESS['COOKIES']"
#: The name Django's cookie message storage uses.
MESSAGES_COOKIE_NAME = "messages"
#: Names whose pattern match is remembered. Names come from the client: past this many, a name
#: no entry names exactly is matched afresh on each request (one regular expression), so a
#: header of invented names cannot grow memory.
MAX_MATCHED_NAMES = 1024
#: Stars one pattern may hold, and the longest name a pattern is tried on. Matching is a
#: backtracking regular expression: its cost on a name the client chose grows with the name's
#: length to the power of the stars (three stars on a 4,000-character name took a minute).
#: Two stars on 256 characters is a few thousand steps; a longer name matches no pattern and
#: gets the ``"*"`` requirements, the strict side (no browser-set cookie name is that long).
MAX_PATTERN_STARS = 2
MAX_PATTERN_NAME = 256
#: The origin of the ``"*"`` requirements (see :meth:`RequirementsResolver.origin_of`).
DEFAULT_ORIGIN = "*"


def is_pattern(key: str) -> bool:
    """Whether a ``HARDSESS["COOKIES"]`` key is a pattern (``"*"`` alone is the default)."""
    return "*" in key and key != "*"


def _pattern_regex(pattern: str) -> str:
    return ".*".join(re.escape(part) for part in pattern.split("*"))


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
    partitioned: bool = False
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
    for flag in ("secure", "httponly", "sign", "partitioned"):
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
        elif is_pattern(name) and name.count("*") > MAX_PATTERN_STARS:
            problems.append(
                f"{SETTING} key {name!r} has {name.count('*')} '*': at most "
                f"{MAX_PATTERN_STARS} (matching cost grows with each one)"
            )
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
    """Resolves a cookie name to its :class:`CookieRequirements`.

    Built once per settings object (see :mod:`hardsess.firewall.snapshot`). Exact names (Django's
    own cookies and the policy's) are one dict lookup; other names are matched against the
    policy's patterns and the well-known families by one regular expression, and the result
    remembered for at most MAX_MATCHED_NAMES names. Names nothing matches share the ``"*"``
    requirements object (``default``): ``requirements is resolver.default`` is how the firewall
    tells a cookie the policy does not know.
    """

    __slots__ = (
        "_origins",
        "_pattern",
        "_pattern_entries",
        "default",
        "django_flags",
        "flag_rules",
        "matched",
        "named",
    )

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
        self._origins: dict[str, str] = dict.fromkeys(self.named, "django")
        patterns: list[tuple[str, CookieRequirements, str]] = []
        for name, entry in entries.items():
            if is_pattern(name):
                requirements = CookieRequirements(**{**star, **_normalise(entry)})
                patterns.append((name, requirements, f"pattern {name}"))
            elif name != "*":
                self._origins[name] = "policy" if name not in self.named else "django"
                if name not in self.named:
                    self.named[name] = CookieRequirements(**{**star, **_normalise(entry)})
        family = CookieRequirements(**{**star, **FAMILY_REQUIREMENTS})
        for pattern, family_name in WELL_KNOWN.items():
            # Exact names the policy gives are never shadowed; a family's exact name is a
            # pattern without a star, matched here like the others.
            patterns.append((pattern, family, f"well-known: {family_name}"))
        #: (requirements, origin) per alternative of ``_pattern``, in the order tried.
        self._pattern_entries = [(requirements, origin) for _, requirements, origin in patterns]
        self._pattern = re.compile(
            "|".join(f"(?P<p{i}>{_pattern_regex(p)})" for i, (p, _, _) in enumerate(patterns))
        )
        #: What :meth:`match` found per name (at most MAX_MATCHED_NAMES). Written only by
        #: match(); the firewall's way out reads it first, one dict lookup instead of a call.
        self.matched: dict[str, tuple[CookieRequirements, str]] = {}

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
        found = self.named.get(name)
        return found if found is not None else self.match(name)[0]

    def match(self, name: str) -> tuple[CookieRequirements, str]:
        """The requirements of a name no exact entry gives, and where they come from: a
        pattern, a well-known family, or ``"*"`` (DEFAULT_ORIGIN)."""
        found = self.matched.get(name)
        if found is not None:
            return found
        if len(name) > MAX_PATTERN_NAME:
            return (self.default, DEFAULT_ORIGIN)
        hit = self._pattern.fullmatch(name)
        if hit is None or hit.lastgroup is None:
            found = (self.default, DEFAULT_ORIGIN)
        else:
            found = self._pattern_entries[int(hit.lastgroup[1:])]
        if len(self.matched) < MAX_MATCHED_NAMES:
            self.matched[name] = found
        return found

    def origin_of(self, name: str) -> str:
        """Where cookie ``name``'s requirements come from: "django" (Django's own cookie),
        "policy" (an exact name in HARDSESS["COOKIES"]), "pattern <p>", "well-known: <family>",
        or "*"."""
        origin = self._origins.get(name)
        return origin if origin is not None else self.match(name)[1]

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
