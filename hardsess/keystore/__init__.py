"""A keyring the whole fleet shares, with a schedule, revocation and at-rest encryption.

``HARDSESS["KEY_STORE"]`` chooses the store (:mod:`hardsess.keystore.options`); the default,
``"settings"``, leaves everything as it was. Reading: :mod:`hardsess.keystore.ring`. Writing
(``manage.py hardsess keys rotate / revoke / import``): :func:`change`. The schedule:
:mod:`hardsess.keystore.schedule`. docs/rotation.md, "Key store", is the operator's guide.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from hardsess.keystore import options, schedule
from hardsess.keystore.backends import Store
from hardsess.keystore.ring import KeyStoreUnavailable, StoreKeyring, make_store

__all__ = ["KeyStoreUnavailable", "StoreKeyring", "change", "provider", "uses_store"]

_lock = threading.Lock()
_provider: tuple[object, StoreKeyring | None] | None = None

#: Attempts of a read-decide-create loop before giving up (each lost race is another writer's
#: success, so this bounds only pathological contention).
MAX_ATTEMPTS = 50


def uses_store() -> bool:
    return options.backend_name() != "settings"


def provider() -> StoreKeyring | None:
    """The store-backed keyring of the settings in force, or None for ``"settings"``.

    Raises ImproperlyConfigured for a malformed setting, a missing or wrong KEK.
    """
    global _provider
    holder = getattr(settings, "_wrapped", None)
    cached = _provider
    if cached is not None and cached[0] is holder:
        return cached[1]
    with _lock:
        if not uses_store():
            _provider = (holder, None)
            return None
        problems = options.problems()
        if problems:
            raise ImproperlyConfigured("; ".join(problems))
        from hardsess.keystore import counts

        ring = StoreKeyring(options.options(), on_refresh=counts.reporter.ensure_running)
        _provider = (holder, ring)
        return ring


def _forget(**kwargs: object) -> None:
    global _provider
    _provider = None


setting_changed.connect(_forget, dispatch_uid="hardsess.keystore._forget")


def change(
    decide: Callable[[list[schedule.Record], float], schedule.Decision],
    store: Store | None = None,
    clock: Callable[[], float] | None = None,
) -> schedule.Decision:
    """Read the latest ring, ``decide``, and create the next version; on a lost race read the
    winner's ring and decide again (so concurrent identical commands converge)."""
    opts = options.options()
    store = store or make_store(opts)
    for _ in range(MAX_ATTEMPTS):
        found = store.read()
        version = 0 if found is None else found[0]
        records = [] if found is None else schedule.loads(found[1])
        decision = decide(records, clock() if clock else schedule.now())
        if decision.records is None:
            return decision
        if store.create(version + 1, schedule.dumps(decision.records)):
            return decision
    raise RuntimeError("hardsess key store: too many concurrent writers, try again")
