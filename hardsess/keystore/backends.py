"""Where the ring is kept: versioned documents written only if their version is new.

A write is "create version n + 1"; of concurrent writers exactly one creates it (a primary key
in the database, an atomic ``add`` in the cache: Redis SET NX) and the others read the new
version and decide again. So ``keys rotate`` run on every server at once adds one key, on
SQLite, PostgreSQL and Redis alike, with no lock held while anyone waits.
"""

from __future__ import annotations

from typing import Protocol

#: Older versions kept for inspection and for a reader that raced a prune.
KEEP_VERSIONS = 20


class Store(Protocol):
    def read(self) -> tuple[int, str] | None:
        """The latest (version, document), or None for an empty store."""

    def create(self, version: int, document: str) -> bool:
        """Write ``version`` unless it exists; False when another writer created it first."""


class DatabaseStore:
    def __init__(self, alias: str) -> None:
        self.alias = alias

    def read(self) -> tuple[int, str] | None:
        from hardsess.models import KeyRingVersion

        row = (
            KeyRingVersion.objects.using(self.alias)
            .order_by("-version")
            .values_list("version", "document")
            .first()
        )
        return None if row is None else (int(row[0]), str(row[1]))

    def create(self, version: int, document: str) -> bool:
        from django.db import IntegrityError, transaction
        from django.utils import timezone

        from hardsess.models import KeyRingVersion

        try:
            with transaction.atomic(using=self.alias):
                KeyRingVersion.objects.using(self.alias).create(
                    version=version, document=document, written=timezone.now()
                )
        except IntegrityError:
            return False
        KeyRingVersion.objects.using(self.alias).filter(
            version__lte=version - KEEP_VERSIONS
        ).delete()
        return True


class CacheStore:
    """Version n under ``<prefix>:v<n>`` (no timeout), a hint of the latest under
    ``<prefix>:head``. Use a cache that never evicts these keys (Redis with ``noeviction`` or a
    ``volatile-*`` policy): an evicted version reads as an older ring."""

    PROBE = 8

    def __init__(self, alias: str, prefix: str) -> None:
        self.alias = alias
        self.prefix = prefix

    @property
    def cache(self):  # type: ignore[no-untyped-def]
        from django.core.cache import caches

        return caches[self.alias]

    def _key(self, version: int) -> str:
        return f"{self.prefix}:v{version}"

    def read(self) -> tuple[int, str] | None:
        cache = self.cache
        head = cache.get(f"{self.prefix}:head")
        version = head if isinstance(head, int) and head > 0 else 0
        found: tuple[int, str] | None = None
        if version:
            document = cache.get(self._key(version))
            if isinstance(document, str):
                found = (version, document)
        while True:  # the head is a hint: a writer may have created later versions
            probe = [self._key(version + i) for i in range(1, self.PROBE + 1)]
            got = cache.get_many(probe)
            advanced = False
            for i in range(1, self.PROBE + 1):
                document = got.get(self._key(version + i))
                if not isinstance(document, str):
                    break
                found = (version + i, document)
                advanced = True
            if not advanced or found is None or found[0] < version + self.PROBE:
                return found
            version = found[0]

    def create(self, version: int, document: str) -> bool:
        cache = self.cache
        if not cache.add(self._key(version), document, timeout=None):
            return False
        cache.set(f"{self.prefix}:head", version, timeout=None)
        # No version is ever deleted: with the head hint lost, the reader finds the latest by
        # probing from version 1, and a pruned start would read as an empty store (and the
        # next writer would start a second history). A version is a few hundred bytes.
        return True
