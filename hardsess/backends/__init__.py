"""Session engines (``SESSION_ENGINE``): :mod:`hardsess.backends.signed_cookies`.

A package of its own because ``hardsess.sessions`` is a module (the lifecycle's public names),
so Django's layout, ``<package>.sessions.backends.<engine>``, cannot be followed.
"""
