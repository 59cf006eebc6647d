"""The fleet site: log in (put a user in the session), ask who is logged in, touch the session.

Responses are one short line of text, ``user=<id or -> n=<writes> pid=<server pid>``, so the
load client can tell a logged-out user from a logged-in one without parsing HTML.
"""

from __future__ import annotations

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

PID = os.getpid()


def _answer(request: HttpRequest) -> HttpResponse:
    user = request.session.get("user", "-")
    hits = request.session.get("n", 0)
    return HttpResponse(f"user={user} n={hits} pid={PID}", content_type="text/plain")


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def login(request: HttpRequest, user: int) -> HttpResponse:
    request.session.cycle_key()
    request.session["user"] = user
    request.session["n"] = 0
    return _answer(request)


def whoami(request: HttpRequest) -> HttpResponse:
    """Reads the session; a cookie verified by a non-primary key is re-issued by the firewall."""
    return _answer(request)


def touch(request: HttpRequest) -> HttpResponse:
    """Writes the session, so the session cookie is set again (signed by the primary key)."""
    if "user" in request.session:
        request.session["n"] = request.session.get("n", 0) + 1
    return _answer(request)


def cart(request: HttpRequest) -> HttpResponse:
    """Sets the site's own ``cart`` cookie (only the rollout test's first server is asked)."""
    response = _answer(request)
    response.set_cookie("cart", "3")
    return response


def cookies(request: HttpRequest) -> HttpResponse:
    """The names of the cookies that reached the view, one per line."""
    return HttpResponse("\n".join(sorted(request.COOKIES)), content_type="text/plain")


urlpatterns = [
    path("health", health),
    path("login/<int:user>", login),
    path("whoami", whoami),
    path("touch", touch),
    path("cart", cart),
    path("cookies", cookies),
]
