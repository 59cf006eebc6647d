"""Clearing browser state on logout: ``Clear-Site-Data`` and expiring named cookies (opt-in).

Logout (Django's ``logout()``) deletes the session, but the browser keeps everything else the
site left in it: cookies set by JavaScript (a cart, a draft, a "remember me" flag), storage,
cache. ``HARDSESS["ON_LOGOUT"]`` says what the logout response clears::

    HARDSESS = {"ON_LOGOUT": {
        # Clear-Site-Data directives: "cookies" removes every cookie of the registrable domain
        # (example.com and all its subdomains), including those set by JavaScript.
        "CLEAR_SITE_DATA": ["cookies"],
        # Or, narrower: the firewall expires these cookies (Max-Age=0, with the path, domain
        # and Partitioned of their requirements), whoever set them.
        "EXPIRE_COOKIES": ["cart", "draft"],
    }}

Logout is seen through ``user_logged_out`` (sent by ``django.contrib.auth.logout``): the
receiver marks the request, and the firewall acts on the response to that request. Browsers
honour ``Clear-Site-Data`` only over HTTPS. Chromium applies it after the response's own
``Set-Cookie`` headers: a request that logs out and then in again (an account switch) would
lose its new session cookie, so such a response carries no ``Clear-Site-Data`` (the listed
cookies are still expired).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

__all__ = [
    "DIRECTIVES",
    "ON_LOGOUT_KEYS",
    "SETTING",
    "LogoutClearing",
    "logged_in_again",
    "logged_out",
    "on_logout_problems",
    "parse_on_logout",
]

SETTING = "HARDSESS['ON_LOGOUT']"
#: The Clear-Site-Data directives (W3C Clear Site Data; Chromium's extensions included).
DIRECTIVES: Final = frozenset(
    {
        "cache",
        "cookies",
        "storage",
        "executionContexts",
        "clientHints",
        "prefetchCache",
        "prerenderCache",
        "*",
    }
)
#: Cookie names one setting may list: each is a deletion on every logout response.
MAX_EXPIRED = 64
#: The keys of ``HARDSESS["ON_LOGOUT"]``.
ON_LOGOUT_KEYS = ("CLEAR_SITE_DATA", "EXPIRE_COOKIES")
#: The request attribute the receiver sets.
_MARK = "_hardsess_logged_out"
#: Set when a user logged in after a logout in the same request.
_AGAIN = "_hardsess_logged_in_again"


@dataclass(frozen=True, slots=True)
class LogoutClearing:
    """What a logout response clears, resolved from the setting."""

    #: The ``Clear-Site-Data`` header value, or None for no header.
    header: str | None = None
    #: Cookies expired on the logout response.
    expire: tuple[str, ...] = ()


def _names(value: object, where: str, problems: list[str]) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        problems.append(f"{where} must be a list of strings")
        return []
    if not all(isinstance(v, str) and v for v in value):
        problems.append(f"{where} must be a list of non-empty strings")
        return []
    return list(value)


def on_logout_problems(raw: object) -> list[str]:
    """Every problem with a ``HARDSESS["ON_LOGOUT"]`` value, as sentences; empty when valid."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return [f"{SETTING} must be a dict"]
    problems: list[str] = []
    unknown = sorted(str(k) for k in raw if k not in ON_LOGOUT_KEYS)
    if unknown:
        problems.append(f"{SETTING} has unknown key(s): {', '.join(unknown)}")
    if "CLEAR_SITE_DATA" in raw:
        where = f"{SETTING}['CLEAR_SITE_DATA']"
        for directive in _names(raw["CLEAR_SITE_DATA"], where, problems):
            if directive not in DIRECTIVES:
                problems.append(
                    f"{where} has {directive!r}: one of {', '.join(sorted(DIRECTIVES))}"
                )
    if "EXPIRE_COOKIES" in raw:
        where = f"{SETTING}['EXPIRE_COOKIES']"
        names = _names(raw["EXPIRE_COOKIES"], where, problems)
        if len(names) > MAX_EXPIRED:
            problems.append(f"{where} lists {len(names)} cookies: at most {MAX_EXPIRED}")
    return problems


def parse_on_logout(raw: object) -> LogoutClearing | None:
    """The clearing ``raw`` asks for; None when it asks for none. Raises ImproperlyConfigured
    for an invalid value (system check hardsess.E179 names it)."""
    problems = on_logout_problems(raw)
    if problems:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("; ".join(problems))
    if not isinstance(raw, Mapping):
        return None
    directives = list(dict.fromkeys(raw.get("CLEAR_SITE_DATA", ())))
    expire = tuple(dict.fromkeys(raw.get("EXPIRE_COOKIES", ())))
    if not directives and not expire:
        return None
    header = ", ".join(f'"{d}"' for d in directives) if directives else None
    return LogoutClearing(header=header, expire=expire)


def logged_out(request: HttpRequest | None) -> bool:
    """Whether a user logged out while ``request`` was handled."""
    return request is not None and getattr(request, _MARK, False) is True


@receiver(user_logged_out, dispatch_uid="hardsess.firewall.logout.mark")
def _mark_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        setattr(request, _MARK, True)


def logged_in_again(request: HttpRequest | None) -> bool:
    """Whether a user logged in after logging out while ``request`` was handled."""
    return request is not None and getattr(request, _AGAIN, False) is True


@receiver(user_logged_in, dispatch_uid="hardsess.firewall.logout.again")
def _mark_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and logged_out(request):
        setattr(request, _AGAIN, True)
