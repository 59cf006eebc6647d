from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.project.settings")

# hardsess's own tests look at the firewall's wire format through Django's test client (signed
# values in the jar, rejections of unsigned ones), so the test client is treated as a browser
# here: the knob hardsess.testing.Client uses. What a project gets by default (the transparent
# test client, hardsess.firewall.testserver) is tested in tests/runtime/test_testserver.py,
# which turns this off for its own tests, and in tests/adoption/.
from django.test.client import AsyncClientHandler, ClientHandler

from hardsess.firewall.testserver import AS_BROWSER

setattr(ClientHandler, AS_BROWSER, True)
setattr(AsyncClientHandler, AS_BROWSER, True)

# No background thread writes observations into the test database between tests; tests of the
# fleet store call flush() themselves (tests/runtime/test_observed.py).
from hardsess import fleet  # noqa: E402

fleet.cookie_reporter.autostart = False

from hardsess.keystore import counts as _key_counts  # noqa: E402

_key_counts.reporter.autostart = False
