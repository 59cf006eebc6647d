"""The settings the firewall runs on: keyring, cookie requirements, modes, resolved once.

Building a keyring derives sub-keys and validates; doing it per request would be waste, and
caching it forever would break ``override_settings``. So the snapshot is cached against the
identity of Django's settings holder (``override_settings`` installs a new one) and dropped on
``setting_changed``, which every settings override in tests sends. ``settings.SESSION_ENGINE``
assigned at run time sends no signal and keeps the holder: the engine the snapshot was built
for is compared on every request (one attribute read), so whether the session cookie is
engine-signed never goes stale (it would be signed twice, or a Django-engine session cookie
taken as the engine's).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.signals import setting_changed

from hardsess import conf
from hardsess.firewall.logout import LogoutClearing, parse_on_logout
from hardsess.firewall.requirements import RequirementsResolver
from hardsess.keyring import Keyring, load_keyring

if TYPE_CHECKING:
    from hardsess.keystore.ring import StoreKeyring

__all__ = ["SettingsSnapshot", "clear_cache", "current_snapshot"]


@dataclass(frozen=True, slots=True)
class SettingsSnapshot:
    """Everything the firewall needs from settings, resolved."""

    keyring: Keyring
    requirements: RequirementsResolver
    report_only: bool
    session_cookie_name: str
    #: Plain-HTTP development (``HARDSESS["DEVELOPMENT"]`` is True *and* DEBUG is on): Secure
    #: follows the request's scheme. Off whenever DEBUG is off, even if the setting says
    #: otherwise and nobody ran the system checks (hardsess.E174 reports that setting).
    development: bool = False
    #: True only for Django's test servers in transparent mode (hardsess.firewall.testserver):
    #: nothing is signed and unsigned values are accepted (signed values are still verified),
    #: and over plain HTTP Secure is not added (``requests``-based test clients, DRF's
    #: RequestsClient, would not send such a cookie back to ``http://testserver``).
    transparent: bool = False
    #: ``HARDSESS["TEST_CLIENT"]`` is "transparent" (the default).
    test_client_transparent: bool = True
    #: Cookies are observed for ``manage.py hardsess cookies`` (hardsess.firewall.observed).
    observing: bool = False
    #: What a logout response clears (``HARDSESS["ON_LOGOUT"]``); None: nothing.
    on_logout: LogoutClearing | None = None
    #: SESSION_COOKIE_NAME when SESSION_ENGINE is hardsess's signed-cookie engine (or a
    #: subclass): that cookie is signed and verified by the engine with this keyring, and the
    #: firewall neither signs it twice nor drops its unsigned (Django-signed) form. Else None.
    engine_session_cookie: str | None = None
    #: The outgoing plan of each cookie name seen (hardsess.firewall.outgoing.plan_for): what
    #: the requirements decide for that name, resolved once. It depends on the requirements
    #: and the name only, so a snapshot and its ``dataclasses.replace`` copies share it.
    plans: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_settings(cls) -> SettingsSnapshot:
        from hardsess import keystore

        store = keystore.provider()
        keyring = (
            store.current()
            if store is not None
            else load_keyring(
                conf.keys_setting(),
                settings.SECRET_KEY,
                list(getattr(settings, "SECRET_KEY_FALLBACKS", ())),
            )
        )
        return cls(
            keyring=keyring,
            requirements=RequirementsResolver(conf.cookie_policies_setting(), settings),
            report_only=conf.report_only(),
            session_cookie_name=settings.SESSION_COOKIE_NAME,
            development=conf.development_mode() and bool(settings.DEBUG),
            test_client_transparent=conf.test_client_transparent(),
            observing=conf.observing(),
            on_logout=parse_on_logout(conf.on_logout_setting()),
            engine_session_cookie=settings.SESSION_COOKIE_NAME if _engine_signs() else None,
        )


def _engine_signs() -> bool:
    """Whether SESSION_ENGINE's store is hardsess's signed-cookie store (or a subclass)."""
    from hardsess.backends import signed_cookies

    engine = getattr(settings, "SESSION_ENGINE", "")
    if engine == signed_cookies.ENGINE:
        return True
    if not isinstance(engine, str) or not engine or engine.startswith("django."):
        return False
    try:
        store = import_module(engine).SessionStore
    except Exception:
        return False
    return isinstance(store, type) and issubclass(store, signed_cookies.SessionStore)


# (settings holder, snapshot, snapshot for test servers, key store or None, SESSION_ENGINE the
# snapshot was built for); replaced as a whole so readers never see half an update.
_cache: tuple[Any, SettingsSnapshot, SettingsSnapshot, StoreKeyring | None, object] | None = None

#: LazySettings' own attributes: its live holder is ``_wrapped`` there. Read from the dict, as
#: ``getattr(settings, "_wrapped")`` runs LazyObject.__getattribute__, a Python call per request.
_lazy = vars(settings)


def current_snapshot(test_server: bool = False) -> SettingsSnapshot:
    """The snapshot for the settings in force now (cheap when they have not changed).

    ``test_server``: for a firewall serving one of Django's test servers; the same snapshot
    unless ``HARDSESS["TEST_CLIENT"]`` is "transparent", when it does not sign.
    """
    global _cache
    cached = _cache
    # LazySettings keeps the live holder in ``_wrapped``; override_settings swaps it.
    holder = _lazy.get("_wrapped")
    if cached is not None and cached[0] is holder:
        # The engine is the very string the snapshot was built for unless it was reassigned.
        engine = holder.SESSION_ENGINE
        if engine is not cached[4] and engine != cached[4]:
            cached = None
    if cached is None or cached[0] is not holder:
        from hardsess import keystore

        snapshot = SettingsSnapshot.from_settings()
        holder = _lazy.get("_wrapped")  # from_settings configured settings, if nothing had
        cached = _cache = (
            holder,
            snapshot,
            _for_tests(snapshot),
            keystore.provider(),
            getattr(holder, "SESSION_ENGINE", None),
        )
    elif cached[3] is not None:
        # A shared key store: the keyring changes without a settings change. current() is a
        # clock read and a comparison until the in-process copy is due (hardsess.keystore.ring).
        keyring = cached[3].current()
        if keyring is not cached[1].keyring:
            snapshot = dataclasses.replace(cached[1], keyring=keyring)
            cached = _cache = (cached[0], snapshot, _for_tests(snapshot), cached[3], cached[4])
    return cached[2] if test_server else cached[1]


def _for_tests(snapshot: SettingsSnapshot) -> SettingsSnapshot:
    return (
        # What the test client sends is no observation of the fleet's cookies.
        dataclasses.replace(snapshot, transparent=True, observing=False)
        if snapshot.test_client_transparent
        else snapshot
    )


def clear_cache(**kwargs: Any) -> None:
    """Forget the snapshot (connected to ``setting_changed``)."""
    global _cache
    _cache = None


setting_changed.connect(clear_cache, dispatch_uid="hardsess.firewall.snapshot.clear_cache")
