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

from collections.abc import Container
from http.cookies import Morsel, SimpleCookie
from typing import Final

__all__ = ["MORSEL_KNOWS_PARTITIONED", "PartitionedMorsel", "is_partitioned", "partition"]

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
