"""Cycling a session's key: the one way the lifecycle does it, whatever the engine.

Used for every cycle hardsess makes (periodic, privilege change, ``privilege_changed()``);
Django's own cycle at login goes through ``login()`` and the login receiver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.sessions.backends.base import SessionBase

from hardsess.lifecycle import stored_sessions
from hardsess.lifecycle.generations import raise_generation

if TYPE_CHECKING:
    from hardsess.lifecycle.options import LifecycleOptions


def cycle_key(session: SessionBase, options: LifecycleOptions) -> None:
    """``session.cycle_key()`` (new key, same data, old key deleted); the index row follows.
    A ``signed_cookies`` session has no old key to delete: its generation is raised instead."""
    raise_generation(session, options)
    old_key = session.session_key
    session.cycle_key()
    new_key = session.session_key
    indexed = stored_sessions.index_kept(options.revocation, type(session))
    if indexed and old_key and new_key and old_key != new_key:
        stored_sessions.move_session(old_key, new_key)
