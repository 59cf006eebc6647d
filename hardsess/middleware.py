"""``hardsess.middleware.HardSessMiddleware``: the dotted path MIDDLEWARE names.

The firewall lives in :mod:`hardsess.firewall` (the class in
:mod:`hardsess.firewall.middleware`); this module keeps the documented path and the names
other code imported from it working.
"""

from __future__ import annotations

from hardsess.firewall.incoming import MAX_DELETIONS, MAX_REPORTED
from hardsess.firewall.middleware import HardSessMiddleware

__all__ = ["MAX_DELETIONS", "MAX_REPORTED", "HardSessMiddleware"]
