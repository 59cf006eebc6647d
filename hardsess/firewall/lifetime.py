"""A Set-Cookie's lifetime in the one form Django and a browser read alike.

The signed expiry and the requirements' cap must hold for the date the *browser* reads. A
browser parses Expires leniently, Django strictly, so a date only the browser understands would
escape the cap (and outlive the MAC's expiry). Every lifetime therefore leaves in one canonical
form: Max-Age as an integer, Expires as an RFC 7231 date, or no attribute at all when neither
parse can read it (the browser then ignores it too: a browser-session cookie, the shortest life
there is). Each rewrite is noted, and logged under HS202 by the way out.
"""

from __future__ import annotations

# The lenient date parser http.cookiejar reads a Set-Cookie's Expires with, as a client does
# (not in typeshed's stubs, part of the module since Python 2).
from http.cookiejar import http2time  # type: ignore[attr-defined]
from http.cookies import Morsel
from typing import Any

from django.utils.http import http_date, parse_http_date_safe

__all__ = ["canonical_lifetime"]

#: The first instant http_date cannot write (year 10000): a lenient parse beyond it is unreadable.
_LAST_HTTP_DATE = 253402300800


def _max_age(value: Any) -> int | None:
    if value == "" or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def canonical_lifetime(
    morsel: Morsel[str], now: int
) -> tuple[int, bool, dict[str, Any], list[str]]:
    """(expiry, deletion, attribute fixes, notes) of a cookie whose Max-Age is not an int.

    ``expiry`` is the Unix time the browser will drop the cookie (0: a browser-session cookie),
    ``deletion`` whether the cookie is already expired (a deletion), ``fixes`` the attributes to
    rewrite into the canonical form and ``notes`` what each rewrite was, for the log.
    """
    fixes: dict[str, Any] = {}
    notes: list[str] = []
    raw_max_age = morsel["max-age"]
    if raw_max_age != "" and raw_max_age is not None:
        max_age = _max_age(raw_max_age)
        if max_age is not None:
            if str(raw_max_age) != str(max_age):
                fixes["max-age"] = max_age
                notes.append("Max-Age rewritten as an integer")
            return now + max_age, max_age <= 0, fixes, notes
        fixes["max-age"] = ""
        notes.append("unreadable Max-Age removed")
    raw_expires: Any = morsel["expires"]
    if not raw_expires:
        return 0, False, fixes, notes
    expires: int | None
    if isinstance(raw_expires, int) and not isinstance(raw_expires, bool):
        expires = now + raw_expires  # Morsel's own meaning of an int: seconds from now
        fixes["expires"] = http_date(expires)
    else:
        text = str(raw_expires)
        expires = parse_http_date_safe(text)
        if expires is None:
            lenient = http2time(text)
            if lenient is None or not 0 <= lenient < _LAST_HTTP_DATE:
                fixes["expires"] = ""
                notes.append("unreadable Expires removed: a browser-session cookie")
                return 0, False, fixes, notes
            expires = int(lenient)
            fixes["expires"] = http_date(expires)
            notes.append("Expires rewritten as an HTTP date")
    return expires, expires <= now, fixes, notes
