"""The least any Python implementation of the firewall and of revocation must do per request.

These middlewares protect nothing. Each is the benchmarks' reference for what a requirement
costs at a minimum, run beside hardsess in the same interleaved batches: where a floor alone
exceeds the 5 % goal, no rewrite of hardsess in Python can meet the goal on that stack.

``FirewallFloor`` (beside HardSessMiddleware in ``benchmarks.runtime_request inproc``) is
what issue 3's requirements cost at a minimum, with everything a real firewall also needs left
out (no policy lookup, no expiry bound into the MAC, no key id, no rotation, no size or prefix
checks, no logging, no report-only). Per request it does only what cannot be skipped:

* on the way in, one HMAC-SHA256 and one constant-time comparison per signed cookie;
* on the way out, one HMAC-SHA256 per cookie set, and the Secure, HttpOnly and SameSite flags.

Its MAC is the standard library's, the same object copy hardsess uses.

``MarkLookupFloor`` (beside SessionLifecycleMiddleware in ``benchmarks.lifecycle_request``) is
what issue 5's revocation costs at a minimum: one read of the user's mark through hardsess's
own database store per authenticated request, and nothing else (no timeouts, no stamps, no
cycling). A logout that takes effect on every server at once cannot skip that read.
``CacheMarkLookupFloor`` is the same read through the cache store (one ``get_many``, a single
MGET on Redis), on the cache alias ``"marks"`` (benchmarks.lifecycle_site's Redis).
"""

from __future__ import annotations

import binascii
import hmac
from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from hardsess.revocation import CacheMarkStore, DbMarkStore, MarkStore

_TEMPLATE = hmac.new(b"floor-" + b"f" * 32, digestmod="sha256")
_COPY: Callable[[], Any] = getattr(_TEMPLATE, "_hmac", _TEMPLATE).copy
#: base64url, as hardsess sends it: "/" would make SimpleCookie quote the value.
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _mac(name: str, value: str) -> str:
    mac = _COPY()
    mac.update(f"{name}\x00{value}".encode())
    return binascii.b2a_base64(mac.digest(), newline=False)[:43].translate(_URLSAFE).decode("ascii")


class FirewallFloor:
    """Verify every incoming ``<mac>.<value>`` cookie; sign and flag every outgoing one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        clean = {}
        for name, wire in request.COOKIES.items():
            mac, _, value = wire.partition(".")
            if hmac.compare_digest(_mac(name, value), mac):
                clean[name] = value
        request.COOKIES = clean
        response = self.get_response(request)
        for name, morsel in response.cookies.items():
            signed = _mac(name, morsel.value) + "." + morsel.value
            morsel.set(name, signed, signed)
            dict.update(morsel, {"secure": True, "httponly": True, "samesite": "Lax"})
        return response


class MarkLookupFloor:
    """Read the signed-in user's revocation mark from the database; judge nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.store: MarkStore = DbMarkStore()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user_key = request.session.get(SESSION_KEY)
        if user_key is not None:
            self.store.get(str(user_key))
        return self.get_response(request)


class CacheMarkLookupFloor(MarkLookupFloor):
    """Read the signed-in user's revocation mark from the ``"marks"`` cache; judge nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        self.store = CacheMarkStore("marks")
