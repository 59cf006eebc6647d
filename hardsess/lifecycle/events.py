"""What the lifecycle tells the outside: its log lines and the ``session_ended`` signal.

Log records go to the ``hardsess.sessions`` logger (its name from before the package, kept so
that logging configurations keep matching), level WARNING, with ``hardsess_event`` and
``report_only`` in ``extra``. Nothing is logged that could resume a session: never a session
key or a cookie value.
"""

from __future__ import annotations

import logging

from django.contrib.auth import SESSION_KEY
from django.dispatch import Signal
from django.http import HttpRequest

from hardsess import conf

logger = logging.getLogger("hardsess.sessions")

#: Sent when a session is ended (reason "idle", "absolute", "revoked" or "superseded": a
#: signed_cookies copy from before a cycle), also in report-only
#: mode (``report_only=True``: nothing was ended). Arguments: request, reason, report_only; for
#: a WebSocket's session (hardsess.asgi) ``request`` is None and ``scope`` is the ASGI scope.
session_ended = Signal()


def log_event(event: str, request: HttpRequest) -> None:
    """Log an end, refusal or cycle of the request's session ("would ..." in report-only mode)."""
    # The user's pk and the path identify the case; the session key and cookie never appear.
    user_key = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    report = conf.report_only()
    logger.warning(
        "%s%s (user %s, path %s)",
        "[report-only] would " if report else "",
        event,
        user_key if user_key is not None else "anonymous",
        request.path,
        extra={"hardsess_event": event.split(" ", 1)[0], "report_only": report},
    )
