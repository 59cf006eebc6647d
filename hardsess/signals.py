"""Signals sent by the cookie firewall (:mod:`hardsess.firewall`).

``cookie_rejected``
    Sent once per cookie removed from ``request.COOKIES`` (or, in report-only mode, that would
    have been removed), for the first ``hardsess.middleware.MAX_REPORTED`` of a request: the
    rest are counted in one log line, so that a header of junk cannot buy a signal per cookie.
    Keyword arguments:

    * ``sender``: :class:`hardsess.middleware.HardSessMiddleware`, or
      :class:`hardsess.asgi.CookieFirewall` for a WebSocket handshake;
    * ``request``: the :class:`~django.http.HttpRequest`; None for a WebSocket handshake, which
      passes ``scope`` (the ASGI scope) instead;
    * ``name``: the cookie name (the value is never passed on);
    * ``reason``: one of ``"unsigned"``, ``"malformed"``, ``"unknown_key"``, ``"retired_key"``,
      ``"bad_signature"``, ``"expired"``, ``"duplicate"``, ``"disguised"``
      (see :mod:`hardsess.firewall.signing`);
    * ``rule_id``: the catalogue rule the rejection answers to, as in the log line: ``"HS203"``
      for every reason (a cookie the site reads back must be signed; docs/rules.md#hs203);
    * ``report_only``: True when nothing was actually removed.

    Receivers should accept ``**kwargs``: later versions may send more keyword arguments.
"""

from __future__ import annotations

from django.dispatch import Signal

cookie_rejected = Signal()
