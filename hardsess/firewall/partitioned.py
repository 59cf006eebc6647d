"""Writing ``Partitioned`` (CHIPS) on every supported Python, one cookie at a time.

``http.cookies.Morsel`` knows the ``partitioned`` attribute only from Python 3.14; before that
``morsel["partitioned"] = True`` is a ``CookieError`` and Django's ``set_cookie`` has no
``partitioned=`` argument at all (its pull request is open). Patching ``Morsel._reserved`` or
Django would change every cookie of the process, including other libraries'. So the firewall
replaces only the morsel of a cookie its requirements partition with a
:class:`PartitionedMorsel`, whose ``OutputString`` (what Django's WSGI and ASGI handlers and the
test client write as the ``Set-Cookie`` value) appends ``; Partitioned``. From 3.14 the
standard attribute is set instead, and the standard output is used.
"""

from __future__ import annotations

import re
from collections.abc import Container
from http.cookies import Morsel, SimpleCookie
from typing import Final

__all__ = [
    "MORSEL_KNOWS_PARTITIONED",
    "PartitionedMorsel",
    "is_partitioned",
    "partition",
    "without_partitioned",
]

#: Python 3.14 and later: ``Morsel`` writes ``Partitioned`` itself.
MORSEL_KNOWS_PARTITIONED: Final = "partitioned" in Morsel._reserved  # type: ignore[attr-defined]


class PartitionedMorsel(Morsel[str]):
    """A morsel that is written with the ``Partitioned`` attribute (Python before 3.14).

    Everything else (value, the other attributes, pickling for the cache middleware) is
    ``Morsel``'s own; only the output gains the attribute, after the ones ``Morsel`` writes.
    """

    def OutputString(self, attrs: Container[str] | None = None) -> str:
        written = super().OutputString(attrs)
        if attrs is None or "partitioned" in attrs:
            written += "; Partitioned"
        return written


def is_partitioned(morsel: Morsel[str]) -> bool:
    """Whether ``morsel`` will be written with ``Partitioned``."""
    if isinstance(morsel, PartitionedMorsel):
        return True
    return MORSEL_KNOWS_PARTITIONED and bool(dict.get(morsel, "partitioned"))


def partition(cookies: SimpleCookie, name: str) -> None:
    """Have cookie ``name`` of ``cookies`` written with ``Partitioned``."""
    morsel = cookies[name]
    if MORSEL_KNOWS_PARTITIONED:
        dict.__setitem__(morsel, "partitioned", True)
        return
    if isinstance(morsel, PartitionedMorsel):
        return
    replacement = PartitionedMorsel()
    dict.update(replacement, morsel)
    replacement.set(morsel.key, morsel.value, morsel.coded_value)
    # SimpleCookie.__setitem__ keeps a Morsel as given (no re-parse of the value).
    dict.__setitem__(cookies, name, replacement)


#: The ``Partitioned`` attribute of a ``Set-Cookie`` value (attribute names are
#: case-insensitive, RFC 6265bis section 5.6).
_ATTRIBUTE = re.compile(r";[ \t]*partitioned[ \t]*(?=;|$)", re.IGNORECASE)


def without_partitioned(header: str) -> tuple[str, bool]:
    """``header`` (one ``Set-Cookie`` value) without its ``Partitioned`` attribute, and whether
    it had one; before Python 3.14 only, where ``SimpleCookie`` cannot read the attribute.

    What a site writes raw today because Django cannot (``Set-Cookie: id=1; Secure;
    Partitioned``) is then taken over like any raw header instead of refused. A header whose
    ``name=value`` holds a quote is left alone (a quoted value may hold ``;``): it stays
    unreadable and is refused, as before.
    """
    if MORSEL_KNOWS_PARTITIONED:
        return header, False
    first, _, _ = header.partition(";")
    if '"' in first:
        return header, False
    stripped, count = _ATTRIBUTE.subn("", header)
    return stripped, count > 0
