"""The lifecycle's bookkeeping for one request, from its request phase to its response phase.

The middleware judges a session once, at the start of the request, and applies what that
decided (stamps, a cycle) when the response goes out. In between, code of the request itself may
need it: the login receiver and ``privilege_changed()`` read the request's start time and the
stamps still due. It travels on the request (:func:`bookkeeping_of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from django.http import HttpRequest

if TYPE_CHECKING:
    from hardsess.lifecycle.options import LifecycleOptions

_REQUEST_ATTR: Final = "_hardsess_lifecycle"


@dataclass
class RequestBookkeeping:
    """What the request phase read and decided, for the response phase to apply."""

    #: The request's start time: every judgement and stamp of the request uses it.
    now: float
    options: LifecycleOptions
    #: The session key the request came with (a different one at the response: login, logout).
    start_key: str | None
    #: Why the key is to be cycled at the response ("periodic", "privilege change"), if it is.
    cycle_reason: str | None = None
    #: Stamps due at the response beyond those :func:`~hardsess.lifecycle.stamps.due_stamps`
    #: finds then (a new privilege hash, a new lineage).
    stamps: dict[str, Any] = field(default_factory=dict)
    #: The session's data as the request phase read it (None: the session was empty).
    data: dict[str, Any] | None = None
    #: When Django signed the cookie of a signed_cookies session (None: another engine).
    signed: float | None = None


def bookkeeping_of(request: HttpRequest) -> RequestBookkeeping | None:
    """The request's bookkeeping; None outside the middleware or once its session ended."""
    bookkeeping: RequestBookkeeping | None = getattr(request, _REQUEST_ATTR, None)
    return bookkeeping


def keep_bookkeeping(request: HttpRequest, bookkeeping: RequestBookkeeping | None) -> None:
    """Attach ``bookkeeping`` to the request (None: nothing more to do for it)."""
    setattr(request, _REQUEST_ATTR, bookkeeping)
