"""WSGI entry point for the gunicorn the runtime tests start."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.runtime.server_settings")
application = get_wsgi_application()
