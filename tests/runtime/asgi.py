"""ASGI entry point for the uvicorn the runtime tests start."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.runtime.server_settings")
application = get_asgi_application()
