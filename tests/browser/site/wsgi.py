"""The WSGI application gunicorn serves for the browser tests."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.browser.site.settings")
application = get_wsgi_application()
