"""The WSGI application gunicorn serves for the web-platform browser tests (issue 16)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.browser.platform_site.settings")
application = get_wsgi_application()
