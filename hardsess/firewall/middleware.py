"""The cookie firewall: verify every incoming cookie, harden and sign every outgoing one.

Place it after SecurityMiddleware and before SessionMiddleware, CsrfViewMiddleware,
LocaleMiddleware and MessageMiddleware::

    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "hardsess.middleware.HardSessMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        ...
    ]

On the way in (:mod:`hardsess.firewall.incoming`) it replaces ``request.COOKIES`` with the
verified original values before anything below it reads them; on the way out
(:mod:`hardsess.firewall.outgoing`) it sees every ``Set-Cookie`` the stack produced. Contracts
(flags, signing, rotation, report-only) are in docs/runtime.md; the wire format is in
docs/cookie-format.md. One class serves WSGI and ASGI; the async path never hops threads.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from hardsess.firewall.incoming import verify_request
from hardsess.firewall.outgoing import harden_response
from hardsess.firewall.snapshot import current_snapshot
from hardsess.firewall.testserver import built_by_test_server
from hardsess.keystore.ring import KeyStoreUnavailable

__all__ = ["HardSessMiddleware"]

logger = logging.getLogger("hardsess")

GetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class HardSessMiddleware:
    """Cookie firewall for WSGI and ASGI stacks (``sync_capable`` and ``async_capable``)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse | AsyncGetResponse) -> None:
        self.get_response = get_response
        # Same detection as Django's MiddlewareMixin: async when the handler below is async.
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)
        #: Serves Django's test client or live test server (decided by who builds the chain,
        #: never by a request): see hardsess.firewall.testserver.
        self.test_server = built_by_test_server()
        # Validate the keyring and requirements at start-up: a bad HARDSESS fails the boot,
        # not the first request. A key store that cannot be read now is not a configuration
        # error (a wrong KEK is): requests fail closed until it can be (hardsess.keystore).
        try:
            current_snapshot()
        except KeyStoreUnavailable as exc:
            logger.warning("hardsess starts without its keyring: %s", exc)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        snapshot = current_snapshot(self.test_server)
        inbound = verify_request(request, snapshot, HardSessMiddleware)
        response: HttpResponseBase = self.get_response(request)  # type: ignore[assignment]
        harden_response(response, snapshot, inbound, request)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        snapshot = current_snapshot(self.test_server)
        inbound = verify_request(request, snapshot, HardSessMiddleware)
        response: HttpResponseBase = await self.get_response(request)  # type: ignore[misc]
        harden_response(response, snapshot, inbound, request)
        return response
