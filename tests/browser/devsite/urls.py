"""A login form protected by Django's CSRF middleware, and a page that shows who is logged in.

No database: "logging in" writes the user's name into the session (signed-cookie engine). What
is under test is the round trip a real login needs: the CSRF cookie set by the form page comes
back with the POST, and the session cookie set by the POST comes back with the next page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.html import escape


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session["user"] = request.POST["username"]
        return HttpResponse(f"<p id=welcome>welcome {escape(request.POST['username'])}</p>")
    token = get_token(request)
    return HttpResponse(
        "<form method=post action=/login>"
        f"<input type=hidden name=csrfmiddlewaretoken value={token}>"
        "<input name=username value=alice><button id=go type=submit>log in</button></form>"
    )


def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<p id=user>{escape(request.session.get('user', 'nobody'))}</p>")


urlpatterns = [
    path("health", health),
    path("login", login),
    path("whoami", whoami),
]
