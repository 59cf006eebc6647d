"""The ASGI application one server of the fleet serves (gunicorn with uvicorn's worker)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.fleet.site.settings")
application = get_asgi_application()
