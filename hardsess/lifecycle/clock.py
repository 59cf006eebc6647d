"""The one place the session lifecycle reads time.

Every lifecycle module calls :func:`now` through this module (``clock.now()``, never a copy of
the function), so replacing it here scripts time for all of them: tests do, and so does
``examples/demo_sessions.py``. The documented way is ``hardsess.sessions.clock``, which
forwards here.
"""

from __future__ import annotations

import time


def now() -> float:
    """Seconds since the epoch. Every decision of the lifecycle reads time through here."""
    return time.time()
