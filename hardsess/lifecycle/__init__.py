"""The session lifecycle: idle and absolute timeouts, key cycling, logout revocation.

Users import it through its documented paths, ``hardsess.sessions`` (the middleware, the
signal, the public functions), ``hardsess.privileges`` and ``hardsess.revocation``, which
re-export from here. Where each part lives:

* ``options``: ``HARDSESS["SESSION"]``, its rules (used by the middleware and by the system
  checks alike) and the validated :class:`~hardsess.lifecycle.options.LifecycleOptions`;
  ``cache_fitness``: whether a cache can hold revocation marks.
* ``clock``: the one place the lifecycle reads time.
* ``stamps``: the clock stamps a session carries and what they decide (expiry, due stamps).
* ``marks``: the mark store (per-user "valid after" marks, group-change times, generations);
  ``stored_sessions``: finding and ending a user's stored sessions (the index, the scans).
* ``generations``: how a cycle ends the older copies of a ``signed_cookies`` session;
  ``cycling``: the one way the lifecycle cycles a key.
* ``privileges``: the privilege hash of CYCLE_ON_PRIVILEGE_CHANGE; ``group_changes``: the
  receivers that notice membership changes (connected by the app's ``ready()``).
* ``verdict``: whether a session must end now (the middleware and :mod:`hardsess.asgi`);
* ``middleware``: SessionLifecycleMiddleware; ``bookkeeping``: what its request phase leaves
  for its response phase; ``events``: its log lines and the ``session_ended`` signal.
* ``receivers``: login and logout; ``api``: ``privilege_changed`` and ``logout_everywhere``.

Importing the package itself imports nothing.
"""
