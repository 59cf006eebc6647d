"""Moved to :mod:`hardsess.firewall.snapshot` (a snapshot of settings, hence the new name);
this path keeps working: ``Runtime`` is ``SettingsSnapshot``, ``current_runtime`` is
``current_snapshot``. The snapshot's per-cookie resolver is ``requirements`` (was
``policies``)."""

from __future__ import annotations

from hardsess.firewall.snapshot import SettingsSnapshot, clear_cache, current_snapshot

Runtime = SettingsSnapshot
current_runtime = current_snapshot

__all__ = ["Runtime", "clear_cache", "current_runtime"]
