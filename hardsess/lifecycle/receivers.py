"""Login and logout: the lifecycle's receivers of Django's ``user_logged_in`` / ``user_logged_out``.

Connected when this module is imported, which the lifecycle middleware (and
``hardsess.sessions``) do: where the middleware is loaded, every login restarts the lifecycle
and, with ``signed_cookies``, every logout writes a mark. Both receivers do nothing while the
options are invalid: a login or logout must not fail over a typo in HARDSESS (the middleware
raises on the request itself, and system check hardsess.E163 names the problem).

Group changes, which must be recorded in every process, have receivers of their own
(:mod:`hardsess.lifecycle.group_changes`, connected by the app's ``ready()``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
from django.dispatch import receiver
from django.http import HttpRequest

from hardsess.lifecycle import clock, marks, stored_sessions
from hardsess.lifecycle.bookkeeping import bookkeeping_of
from hardsess.lifecycle.generations import new_lineage, tracks_generations
from hardsess.lifecycle.options import options_or_none
from hardsess.lifecycle.privileges import fingerprint_now
from hardsess.lifecycle.stamps import CREATED, CYCLED, ISSUED, PRIVILEGE, due_stamps


@receiver(user_logged_in, dispatch_uid="hardsess.sessions.on_login")
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Login starts a fresh lifecycle: new start, activity, cycle and issue stamps.

    Django has already cycled the key (or flushed, for another user). ISSUED reads the clock now,
    not at request start: a login that completes after a logout-everywhere must survive it.
    """
    options = options_or_none()
    if options is None:
        return
    if request is None or not options.active or not hasattr(request, "session"):
        return
    bookkeeping = bookkeeping_of(request)
    now = bookkeeping.now if bookkeeping is not None else clock.now()
    stamps: dict[str, Any] = due_stamps({}, options, now, writing=True)
    if options.absolute_timeout is not None:
        stamps[CREATED] = int(now)
    if options.cycle_key_every is not None:
        stamps[CYCLED] = int(now)
    if options.revocation is not None:
        stamps[ISSUED] = clock.now()
    if options.cycle_on_privilege_change:
        stamps[PRIVILEGE] = fingerprint_now(user, options)
    if tracks_generations(options, request.session):
        stamps.update(new_lineage())  # a login starts a lineage of its own
    request.session.update(stamps)
    session_key = request.session.session_key
    if session_key and stored_sessions.index_kept(options.revocation, type(request.session)):
        # Rows of this user's sessions that expired unseen are older than any live session.
        horizon = max(settings.SESSION_COOKIE_AGE, options.absolute_timeout or 0)
        stored_sessions.record_session(marks.user_key_of(user), session_key, clock.now(), horizon)


@receiver(user_logged_out, dispatch_uid="hardsess.sessions.on_logout")
def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """With ``signed_cookies``, logout marks the user: a copy of the cookie is refused from now.

    Other engines delete the session on logout themselves, so no mark is needed (and a mark
    would end the user's sessions on every other device too). For ``signed_cookies`` that is
    the price: the mark is per user, so logout there ends every session of the user.
    """
    if user is None or request is None:
        return
    options = options_or_none()
    if options is None:
        return
    session = getattr(request, "session", None)
    if options.revocation is None or session is None:
        return
    if not isinstance(session, CookieStore):
        if session.session_key and stored_sessions.index_kept(options.revocation, type(session)):
            stored_sessions.forget_session(session.session_key)  # Django deletes the session itself
        return
    store = marks.mark_store(options.revocation, options.revocation_cache)
    assert store is not None
    store.set(marks.user_key_of(user), clock.now())
