"""The session lifecycle's public names, where the documentation has always put them.

The code lives in :mod:`hardsess.lifecycle` (one module per part: options, stamps,
generations, the middleware, the login/logout receivers, the public API). This module only
re-exports, so that ``"hardsess.sessions.SessionLifecycleMiddleware"`` in MIDDLEWARE, the
documented imports (``from hardsess.sessions import logout_everywhere``) and the signal
``hardsess.sessions.session_ended`` keep working. Importing it connects the login and logout
receivers, as it always has.

``hardsess.sessions.clock`` stays the seam tests and demos replace: reading it gives the
lifecycle's clock, and assigning it (``monkeypatch.setattr(hardsess.sessions, "clock", fake)``)
replaces the clock every lifecycle module reads, :func:`hardsess.lifecycle.clock.now`.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING

from hardsess.lifecycle import clock as _clock
from hardsess.lifecycle.api import (
    LogoutEverywhereResult,
    alogout_everywhere,
    aprivilege_changed,
    logout_everywhere,
    privilege_changed,
)
from hardsess.lifecycle.events import logger, session_ended
from hardsess.lifecycle.generations import GENERATION, SID, is_superseded, tracks_generations
from hardsess.lifecycle.middleware import SessionLifecycleMiddleware
from hardsess.lifecycle.options import LifecycleOptions, lifecycle_options
from hardsess.lifecycle.stamps import (
    CREATED,
    CYCLED,
    ISSUED,
    LAST_ACTIVITY,
    PRIVILEGE,
    due_stamps,
    end_reason,
    signed_at,
)

if TYPE_CHECKING:
    from hardsess.lifecycle.clock import now as clock

__all__ = [
    "CREATED",
    "CYCLED",
    "GENERATION",
    "ISSUED",
    "LAST_ACTIVITY",
    "PRIVILEGE",
    "SID",
    "LifecycleOptions",
    "LogoutEverywhereResult",
    "SessionLifecycleMiddleware",
    "alogout_everywhere",
    "aprivilege_changed",
    "clock",
    "due_stamps",
    "end_reason",
    "is_superseded",
    "lifecycle_options",
    "logger",
    "logout_everywhere",
    "privilege_changed",
    "session_ended",
    "signed_at",
    "tracks_generations",
]


class _SessionsModule(types.ModuleType):
    """This module, with ``clock`` forwarded to the one the lifecycle reads.

    A plain re-export would be a copy: replacing it here would leave the lifecycle on the
    real clock, and the documented way of scripting time (tests, examples/demo_sessions.py)
    would silently stop working.
    """

    @property
    def clock(self) -> Callable[[], float]:
        return _clock.now

    @clock.setter
    def clock(self, value: Callable[[], float]) -> None:
        _clock.now = value


sys.modules[__name__].__class__ = _SessionsModule
