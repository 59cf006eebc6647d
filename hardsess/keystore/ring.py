"""The keyring of a store, read through a short-lived in-process copy.

Requests never query the store: :meth:`StoreKeyring.current` returns the copy (one clock read
and a comparison) until ``CACHE_SECONDS`` have passed or the schedule changes a state, when
one thread re-reads the store (the others keep using the copy meanwhile) or, for a schedule
change alone, rebuilds the keyring from the document already read. The keyring itself is the
one of :mod:`hardsess.keyring`: verification finds a key by id in a dict, whatever the number
of keys.

A store that cannot be read leaves the last good copy in use for ``MAX_STALE`` seconds after
the last good read (retried every ``CACHE_SECONDS``), then fails closed: every request raises
:class:`KeyStoreUnavailable` (one retry a second at most). Each is logged with the exception's
type only, never a secret.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from hardsess.keyring import PURPOSE_COOKIE, Key, Keyring, PrecomputedHmac, derive_key
from hardsess.keystore import crypto, schedule
from hardsess.keystore.backends import CacheStore, DatabaseStore, Store
from hardsess.keystore.options import StoreOptions

logger = logging.getLogger("hardsess")

#: Shortest wait between two reads of a store that failed.
RETRY_SECONDS = 1.0


class KeyStoreUnavailable(RuntimeError):
    """The store has not been readable for MAX_STALE seconds, or holds no usable key."""


def make_store(opts: StoreOptions) -> Store:
    if opts.backend == "database":
        return DatabaseStore(opts.database)
    if opts.backend == "cache":
        return CacheStore(opts.cache, opts.prefix)
    raise ImproperlyConfigured(f"no key store backend {opts.backend!r}")


class StoreKeyring:
    """Serves the current :class:`Keyring` of one store (one instance per settings)."""

    def __init__(
        self,
        opts: StoreOptions,
        store: Store | None = None,
        clock: Callable[[], float] | None = None,
        on_refresh: Callable[[], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.opts = opts
        self.store = store or make_store(opts)
        self.box: Any = crypto.fernet(opts.kek)
        self.clock = clock or (lambda: schedule.now())
        self.monotonic = monotonic
        self.on_refresh = on_refresh
        self._lock = threading.Lock()
        self._keyring: Keyring | None = None
        #: time.monotonic() after which :meth:`current` does more than return the copy.
        self._valid_until = 0.0
        self._records: list[schedule.Record] = []
        self._version = 0
        self._read_at = -1e18  # monotonic time of the last good read
        self._next_read = 0.0
        #: (id, token) -> derived MAC, so a re-read decrypts only keys it has not seen.
        self._macs: dict[tuple[str, str], PrecomputedHmac] = {}
        self._failing = False
        #: Reads of the store (tests and the benchmark count them).
        self.reads = 0

    def current(self) -> Keyring:
        keyring = self._keyring
        if keyring is not None and self.monotonic() < self._valid_until:
            return keyring
        return self._refresh(keyring)

    def _refresh(self, keyring: Keyring | None) -> Keyring:
        if keyring is not None and not self._lock.acquire(blocking=False):
            return keyring  # another thread is at it; the copy is still good enough
        if keyring is None:
            self._lock.acquire()
        try:
            mono = self.monotonic()
            if self._keyring is not None and mono < self._valid_until:
                return self._keyring
            if mono >= self._next_read:
                self._read(mono)
            if mono - self._read_at > self.opts.max_stale:
                self._keyring = None
                self._valid_until = 0.0
                raise KeyStoreUnavailable(
                    f"hardsess key store ({self.opts.backend}) unreadable for more than "
                    f"MAX_STALE ({self.opts.max_stale:g} s): failing closed"
                )
            return self._build(mono)
        finally:
            self._lock.release()

    def _read(self, mono: float) -> None:
        self.reads += 1
        try:
            found = self.store.read()
            if found is None and self._version:
                # Had a ring, reads none: the store was emptied (a Redis FLUSHDB, an evicted
                # key, a restored database). Not "no keys": an outage, kept stale then closed.
                raise LookupError("the key store lost its ring")
            if found is not None and found[0] < self._version:
                raise LookupError("the key store went back to an older version")
            records = [] if found is None else schedule.loads(found[1])
        except Exception as exc:
            self._next_read = mono + min(RETRY_SECONDS, self.opts.cache_seconds)
            if not self._failing:
                logger.warning(
                    "hardsess could not read its key store (%s: %s); keeping the last good "
                    "keyring for at most %g s",
                    self.opts.backend,
                    type(exc).__name__,
                    self.opts.max_stale,
                )
            self._failing = True
            return
        macs: dict[tuple[str, str], PrecomputedHmac] = {}
        for r in records:
            mac = self._macs.get((r.id, r.secret))
            if mac is None:
                secret = crypto.decrypt(self.box, r.secret, r.id)  # WrongKek: not stale-able
                mac = PrecomputedHmac(derive_key(secret, PURPOSE_COOKIE))
            macs[(r.id, r.secret)] = mac
        if self._failing:
            logger.warning("hardsess reads its key store (%s) again", self.opts.backend)
        self._failing = False
        self._macs = macs
        self._records = records
        self._version = 0 if found is None else found[0]
        self._read_at = mono
        self._next_read = mono + self.opts.cache_seconds
        if self.on_refresh is not None:
            self.on_refresh()

    def _build(self, mono: float) -> Keyring:
        now = self.clock()
        records = self._records
        states = schedule.states(records, now, self.opts.overlap)
        keys = [
            Key(
                id=r.id,
                state=states[r.id],
                source=f"key store ({self.opts.backend}) v{self._version}",
                cookie_mac=self._macs[(r.id, r.secret)],
                created=schedule._iso(r.created),
            )
            for r in sorted(records, key=lambda r: (-r.activates, r.id))
        ]
        try:
            keyring = Keyring(keys, derived=False)
        except ImproperlyConfigured:
            self._keyring = None
            self._valid_until = 0.0
            raise KeyStoreUnavailable(
                f"hardsess key store ({self.opts.backend}) holds no key that may sign now: "
                "run `manage.py hardsess keys rotate` (or `keys import`)"
            ) from None
        # Reuse the previous keyring object when nothing changed: the snapshot compares by
        # identity, so an unchanged ring costs nothing downstream.
        previous = self._keyring
        if previous is not None and _same(previous.keys, keys):
            keyring = previous
        change = schedule.next_change(records, now, self.opts.overlap)
        until = min(self._next_read, self._read_at + self.opts.max_stale + 1e-3)
        if change is not None:
            until = min(until, mono + (change - now))
        self._valid_until = max(until, mono + 1e-3)
        self._keyring = keyring
        return keyring

    def expire(self) -> None:
        """Forget the copy's freshness: the next :meth:`current` reads the store."""
        self._valid_until = 0.0
        self._next_read = 0.0

    @property
    def records(self) -> list[schedule.Record]:
        return list(self._records)


def _same(a: Sequence[Key], b: Sequence[Key]) -> bool:
    return len(a) == len(b) and all(
        x.id == y.id and x.state == y.state and x.cookie_mac is y.cookie_mac
        for x, y in zip(a, b, strict=True)
    )
