"""Whether a Django cache can hold revocation marks (REVOCATION = "cache").

Judged from the settings alone, without building the cache: building it could connect to a
server, or need a client library that the system check has no business importing. Used by the
option rules (:mod:`hardsess.lifecycle.options`): a cache that stores nothing is refused at
runtime and reported as hardsess.E170, one that evicts or is private to a process is warned
of as hardsess.W171.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string

#: The least MAX_ENTRIES a DatabaseCache holding marks should have (Django's default is 300):
#: a floor for the check, not a sizing rule (size it above two entries per user).
DATABASE_CACHE_MIN_ENTRIES = 1_000_000


def cache_fitness(alias: str) -> tuple[str, str] | None:
    """Whether the cache ``alias`` can hold revocation marks: ``("unfit", why)`` for a cache
    that stores nothing, ``("evicting", why)`` for one that drops entries on its own or is
    private to a process, None when nothing is known against it (Redis, memcached, unknown
    backends: their eviction is the server's configuration, see docs/sessions.md).

    An alias that is not in CACHES, or whose backend cannot be imported, is None here: the
    options check reports the alias, Django the backend.
    """
    backend, max_entries = _cache_backend(alias)
    if backend is None:
        return None
    name = backend.__name__
    if issubclass(backend, DummyCache):
        return ("unfit", f"{name} stores nothing: no mark is ever kept, no logout holds")
    if issubclass(backend, LocMemCache):
        return (
            "evicting",
            f"{name} is private to each process (a logout on one worker is unknown to the "
            f"others) and drops its oldest entries beyond MAX_ENTRIES ({max_entries})",
        )
    if issubclass(backend, FileBasedCache):
        return (
            "evicting",
            f"{name} deletes a share of its files, marks included, beyond MAX_ENTRIES "
            f"({max_entries}), and is shared only by the servers that mount its directory",
        )
    if issubclass(backend, DatabaseCache) and max_entries < DATABASE_CACHE_MIN_ENTRIES:
        return (
            "evicting",
            f"{name} deletes a share of its rows, marks included, beyond MAX_ENTRIES "
            f"({max_entries}); set OPTIONS['MAX_ENTRIES'] to at least "
            f"{DATABASE_CACHE_MIN_ENTRIES:,} and above twice the number of users",
        )
    return None


def _cache_backend(alias: str) -> tuple[type | None, int]:
    """The backend class of CACHES[alias] and the MAX_ENTRIES it culls at, read from the
    settings as Django's BaseCache reads them, without building the cache: that could connect,
    or need a client library the check has no business importing."""
    config = getattr(settings, "CACHES", {}).get(alias)
    if not isinstance(config, Mapping):
        return None, 0
    try:
        backend = import_string(str(config.get("BACKEND", "")))
    except ImportError:
        return None, 0  # Django reports an unimportable backend when the cache is used
    options = config.get("OPTIONS")
    options = options if isinstance(options, Mapping) else {}
    raw = config.get("max_entries", options.get("MAX_ENTRIES", 300))
    try:
        max_entries = int(raw)
    except (TypeError, ValueError):
        max_entries = 300  # what Django falls back to
    return (backend if isinstance(backend, type) else None), max_entries
