"""A test client that sees the firewall's real wire format.

A project's own tests need nothing from this module: by default the firewall serving Django's
test client is transparent (``HARDSESS["TEST_CLIENT"]``, :mod:`hardsess.firewall.testserver`),
so ``login()``, ``force_login()`` and ``Client.session`` work as they do without hardsess.

:class:`Client` and :class:`AsyncClient` are for tests *of* the firewall's behaviour: the
firewall treats them as a browser (it signs what they receive and demands signatures on what
they send back), and the cookies Django's client invents itself (``login()``,
``force_login()``, ``Client.session``) are signed exactly as the firewall would sign them, and
``session`` looks under the signature. :func:`sign_cookie` / :func:`unsign_cookie` do the same
for hand-made cookies::

    from hardsess.testing import Client, sign_cookie

    client = Client()
    client.force_login(user)                 # a signed session cookie in the jar
    client.cookies["prefs"] = sign_cookie("prefs", "dark")
"""

from __future__ import annotations

import time
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django import test
from django.conf import settings

from hardsess.firewall import signing
from hardsess.firewall.snapshot import current_snapshot
from hardsess.firewall.testserver import AS_BROWSER

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase


def sign_cookie(name: str, value: str, max_age: int | None = None) -> str:
    """The value the firewall would send for cookie ``name`` now (as is if its requirements
    exempt it from signing)."""
    snapshot = current_snapshot()
    if not snapshot.requirements.for_name(name).sign:
        return value
    expiry = int(time.time()) + max_age if max_age is not None else 0
    return signing.sign(snapshot.keyring.primary, name, value, expiry)


def unsign_cookie(name: str, value: str) -> str | None:
    """What the view would see for cookie ``name`` = ``value``: the original value, or None
    when the firewall would reject it."""
    snapshot = current_snapshot()
    must_sign = snapshot.requirements.for_name(name).sign
    if not must_sign and not signing.looks_signed(value):
        return value
    result = signing.verify(snapshot.keyring, name, value, int(time.time()))
    if isinstance(result, str):
        return None if must_sign else value
    return result.value


class FirewallClientMixin:
    """Signs the cookies a Django test client makes up itself (see the module docstring)."""

    cookies: Any
    handler: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The firewall serving this client treats it as a browser, whatever TEST_CLIENT says.
        setattr(self.handler, AS_BROWSER, True)

    def _session_key(self) -> str | None:
        cookie = self.cookies.get(settings.SESSION_COOKIE_NAME)
        return unsign_cookie(settings.SESSION_COOKIE_NAME, cookie.value) if cookie else None

    def _store_session_key(self, key: str) -> None:
        name = settings.SESSION_COOKIE_NAME
        self.cookies[name] = sign_cookie(name, key)

    @property
    def session(self) -> SessionBase:
        engine = import_module(settings.SESSION_ENGINE)
        key = self._session_key()
        if key:
            store: SessionBase = engine.SessionStore(key)
            return store
        store = engine.SessionStore()
        store.save()
        assert store.session_key is not None
        self._store_session_key(store.session_key)
        return store

    async def asession(self) -> SessionBase:
        engine = import_module(settings.SESSION_ENGINE)
        key = self._session_key()
        if key:
            store: SessionBase = engine.SessionStore(key)
            return store
        store = engine.SessionStore()
        await store.asave()
        assert store.session_key is not None
        self._store_session_key(store.session_key)
        return store

    def _set_login_cookies(self, request: Any) -> None:
        super()._set_login_cookies(request)  # type: ignore[misc]
        name = settings.SESSION_COOKIE_NAME
        morsel = self.cookies[name]
        signed = sign_cookie(name, morsel.value)
        morsel.set(name, signed, signed)


class Client(FirewallClientMixin, test.Client):
    """``django.test.Client`` for a site behind the firewall."""


class AsyncClient(FirewallClientMixin, test.AsyncClient):
    """``django.test.AsyncClient`` for a site behind the firewall."""
