"""Views the tests drive; each test module may add its own through tests/project/urls.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")
