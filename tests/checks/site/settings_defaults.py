"""Every cookie setting left at Django's default, the firewall installed.

Django's defaults are insecure for the Secure flags and the legacy salt (deploy checks), and
leave the language cookie unprotected, which the explicit-only rules must *not* report.
"""

from __future__ import annotations

from tests.checks.site.settings_base import *  # noqa: F403
from tests.checks.site.settings_secure import MIDDLEWARE  # noqa: F401  # a setting
