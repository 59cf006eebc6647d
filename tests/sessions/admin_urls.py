"""The lifecycle URLconf plus Django's default admin site, where hardsess registers the marks.

tests.sessions.urls serves its own AdminSite (the site's UserAdmin with the action); the
revocation marks are registered by hardsess itself on ``admin.site``, mounted here at
``/site-admin/``.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from tests.sessions.urls import urlpatterns as lifecycle_urlpatterns

urlpatterns = [*lifecycle_urlpatterns, path("site-admin/", admin.site.urls)]
