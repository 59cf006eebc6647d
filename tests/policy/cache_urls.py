"""One page that shows who is signed in, from the session: what HS153's leak exposes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def whoami(request: HttpRequest) -> HttpResponse:
    if "name" in request.GET:
        request.session["name"] = request.GET["name"]
        return HttpResponse("signed in")
    return HttpResponse(f"hello {request.session.get('name', 'stranger')}")


urlpatterns = [path("whoami/", whoami)]
