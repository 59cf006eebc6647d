"""The incoming ``Cookie`` header, read exactly as Django reads it for ``request.COOKIES``.

The firewall must judge the very view of the cookies that Django and the view will see, never a
second parse that can differ from it (a difference is a bypass: cookie tossing with a name that
only one of the two parses strips). So this module takes the same string Django parses and splits
it with the same steps as :func:`django.http.cookie.parse_cookie`, keeping what that function
throws away: every (name, value) pair in order, so that duplicates are visible, and whether a
name was reached only by stripping characters a browser does not strip.

Where the string comes from, as Django takes it:

* WSGI: ``HTTP_COOKIE`` re-decoded from Latin-1 to UTF-8 with replacement characters
  (``django.core.handlers.wsgi.get_str_from_wsgi``), so ``b"\\xc2\\xa0sessionid"`` is
  ``"\\u00a0sessionid"`` and :meth:`str.strip` turns it into ``"sessionid"``;
* ASGI: the scope's ``cookie`` headers decoded as Latin-1. HTTP/2 and HTTP/3 clients may send
  the cookies as several header fields ("crumbs"); RFC 9113 section 8.2.3 says they are joined
  with ``"; "``. Django 5.2 joins every repeated header with ``","``, which glues two crumbs into
  one cookie value, so the crumbs are joined here as the RFC says and ``META["HTTP_COOKIE"]`` is
  replaced by that string: everything below the firewall then sees the same cookies.
"""

from __future__ import annotations

from http import cookies as _http_cookies
from typing import Any

#: What a browser itself trims from a cookie name (RFC 6265 section 5.2: WSP = SP / HTAB).
_BROWSER_TRIMS = " \t"
_unquote = _http_cookies._unquote  # parse_cookie's own unquote


def header_of(request: Any) -> str | None:
    """The Cookie header string Django parses for ``request``; None for a request built by hand
    (no WSGI environ, no ASGI scope: its COOKIES are all there is)."""
    environ = getattr(request, "environ", None)
    if environ is not None:
        # get_str_from_wsgi(environ, "HTTP_COOKIE", ""), inlined (two calls fewer per
        # request); tests/runtime/test_header.py holds it equal to Django's function.
        value: str = environ.get("HTTP_COOKIE", "")
        return value.encode("iso-8859-1").decode(errors="replace")
    scope = getattr(request, "scope", None)
    if scope is None:
        return None
    header: str = request.META.get("HTTP_COOKIE", "")
    if "," in header:  # only then can crumbs have been glued together
        crumbs = [value for name, value in scope.get("headers", ()) if name.lower() == b"cookie"]
        if len(crumbs) > 1:
            header = "; ".join(crumb.decode("latin-1") for crumb in crumbs)
            request.META["HTTP_COOKIE"] = header
    return header


#: No disguised name: what almost every header gives. Shared and never written (a fresh list
#: replaces it before the first name is added), so the common request allocates none.
_NO_NAMES: list[str] = []


def pairs_of(header: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Every (name, value) of ``header`` in order, and the names that were disguised.

    ``dict(pairs)`` equals ``django.http.cookie.parse_cookie(header)`` (the last duplicate wins
    there, as in a dict). A name is *disguised* when Django reaches it only by stripping a
    character a browser keeps in the name (U+00A0, U+0085, U+2009, U+3000, vertical tab...): to
    the browser it was another cookie, set without the rules of the name Django sees (a
    ``__Host-`` prefix, say) and possibly by a sibling domain.
    """
    pairs: list[tuple[str, str]] = []
    disguised = _NO_NAMES
    append = pairs.append
    # Written for a header of many cookies: C-level str methods, no call per chunk that the
    # common case does not need (an unquoted value is returned unchanged by _unquote).
    for chunk in header.split(";"):
        raw_key, equals, raw_value = chunk.partition("=")
        if not equals:
            # parse_cookie: a chunk without "=" is a value with an empty name (Mozilla #169091).
            raw_key, raw_value = "", chunk
        key, value = raw_key.strip(), raw_value.strip()
        if key or value:
            append((key, _unquote(value) if value[:1] == '"' else value))
            if key != raw_key and key and key != raw_key.strip(_BROWSER_TRIMS):
                if disguised is _NO_NAMES:
                    disguised = []
                disguised.append(key)
    return pairs, disguised


#: No name twice: what almost every request's header gives (shared, so it allocates nothing).
NO_DUPLICATES: frozenset[str] = frozenset()


def duplicated(pairs: list[tuple[str, str]], distinct: int) -> frozenset[str] | set[str]:
    """Names that occur more than once among ``pairs`` (``distinct``: how many names differ)."""
    if len(pairs) == distinct:  # almost every request: each pair has a name of its own
        return NO_DUPLICATES
    seen: set[str] = set()
    twice: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            twice.add(name)
        seen.add(name)
    return twice
