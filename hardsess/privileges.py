"""Re-exports of CYCLE_ON_PRIVILEGE_CHANGE's parts, which live in :mod:`hardsess.lifecycle` now.

The privilege hash is :mod:`hardsess.lifecycle.privileges`; recording group changes,
:mod:`hardsess.lifecycle.group_changes`. The documented entry point is :func:`groups_changed`:
call it after a membership change that sends no ``m2m_changed`` (docs/sessions.md).
"""

from __future__ import annotations

from hardsess.lifecycle.group_changes import connect_group_signals, groups_changed
from hardsess.lifecycle.privileges import fingerprint

__all__ = ["connect_group_signals", "fingerprint", "groups_changed"]
