"""The cookie firewall: every cookie verified on the way in, hardened and signed on the way out.

One module per part, in the order a request meets them::

    middleware    HardSessMiddleware: one class for WSGI and ASGI, calling the two below
    incoming      the way in: verify request.COOKIES, fail closed on tossing, report rejections
    header        the Cookie header exactly as Django parses it (pairs, duplicates, disguises)
    outgoing      the way out: re-issue, expire, harden and sign every Set-Cookie
    lifetime      a Set-Cookie's lifetime in the one form Django and a browser read alike
    signing       the signed wire format (docs/cookie-format.md)
    requirements  what each cookie must look like: HARDSESS["COOKIES"] resolved per name
    snapshot      the settings the firewall runs on, resolved once per settings object
    rule_ids      the catalogue rule each correction or refusal answers to
    log           how the firewall writes a log line: rule ID first, names bounded

The facts the firewall applies (SameSite values, prefixes, the size and age limits) are the
catalogue's (:mod:`hardsess.policy.cookies`), so a runtime correction and a finding of the
linter or the checks carry the same rule ID. The keys are not here: :mod:`hardsess.keyring`
serves the firewall, the ``keys`` management command and the system checks alike.

Public paths stay where the documentation puts them: ``hardsess.middleware.HardSessMiddleware``
in MIDDLEWARE, ``hardsess.signals.cookie_rejected``, ``hardsess.testing``. This package's
``__init__`` imports nothing, so importing one part costs only that part.
"""
