"""hardsess: hardens Django's sessions and cookies.

One rule catalogue (:mod:`hardsess.policy`) judged in three places: a static linter
(:mod:`hardsess.lint`), Django system checks (:mod:`hardsess.checks`) and a runtime cookie
firewall (:mod:`hardsess.firewall`; ``hardsess.middleware.HardSessMiddleware`` in MIDDLEWARE).
"""

__version__ = "0.1.0"
