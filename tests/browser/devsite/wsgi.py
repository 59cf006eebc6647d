"""The WSGI application gunicorn serves for the plain-HTTP development browser test."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.browser.devsite.settings")
application = get_wsgi_application()
