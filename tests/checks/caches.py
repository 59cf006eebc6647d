"""A project's own cache backend: the checks judge it by class, not by name."""

from __future__ import annotations

from django.core.cache.backends.dummy import DummyCache


class QuietDummyCache(DummyCache):
    """DummyCache under another name: still stores nothing."""
