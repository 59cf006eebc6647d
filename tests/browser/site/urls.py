"""Views the browser drives: set cookies, echo what the view received, a cross-site page."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

#: The __Host- cookies a view can get wrong; a browser refuses each of them (HS106).
BROKEN_HOST_COOKIES = {
    "__Host-domain": {"domain": "site-a.test", "secure": True, "path": "/"},
    "__Host-insecure": {"secure": False, "path": "/"},
    "__Host-subpath": {"secure": True, "path": "/sub/"},
}
#: Every cookie a browser refuses as written: SameSite=None without Secure too.
BROKEN_COOKIES = {**BROKEN_HOST_COOKIES, "none_insecure": {"samesite": "None", "secure": False}}


SESSION_LIFE = 3 * 3600
LAX_LIFE = 5 * 3600


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def set_cookies(request: HttpRequest) -> HttpResponse:
    """Log a user in ("alice", or ?user=) and set one cookie of each kind the tests look at."""
    request.session["user"] = request.GET.get("user", "alice")
    # Lives distinct from every default (SESSION_COOKIE_AGE, the 400-day cap), so a re-issue
    # that reset or dropped a cookie's life would show.
    request.session.set_expiry(SESSION_LIFE)
    get_token(request)  # the CSRF cookie: JavaScript reads it, so it is not HttpOnly
    response = HttpResponse(
        "<!doctype html><title>site a</title><p id=done>cookies set</p>", content_type="text/html"
    )
    # Flags left to the firewall on purpose: it is what the browser tests look at.
    response.set_cookie("ui_theme", "dark", secure=True)  # hardsess: ignore[HS201]
    response.set_cookie(  # hardsess: ignore[HS201]
        "lax_c", "lax", secure=True, samesite="Lax", max_age=LAX_LIFE
    )
    response.set_cookie(  # hardsess: ignore[HS201]
        "strict_c", "strict", secure=True, samesite="Strict"
    )
    response.set_cookie("none_c", "none", secure=True, samesite="None")  # hardsess: ignore[HS201]
    for name, attributes in BROKEN_COOKIES.items():
        response.set_cookie(name, "broken", **attributes)  # type: ignore[arg-type]
    return response


@csrf_exempt
def echo(request: HttpRequest) -> HttpResponse:
    """What reached the view, after the firewall: cookie names and values, the session user."""
    body = {
        "method": request.method,
        "cookies": dict(sorted(request.COOKIES.items())),
        "user": request.session.get("user"),
    }
    response = HttpResponse(json.dumps(body), content_type="application/json")
    origin = request.headers.get("Origin")
    if origin:
        # Lets the cross-site page read the answer of its credentialed fetch.
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
    return response


def cross(request: HttpRequest) -> HttpResponse:
    """A page on the other site (site-b.test) that links, posts and fetches to site-a.test."""
    target = f"https://site-a.test:{request.get_port()}/echo"
    return HttpResponse(
        "<!doctype html><title>site b</title>"
        f'<a id=link href="{target}">to site a</a>'
        f'<form id=form method=post action="{target}"><button id=post>post</button></form>'
        f"<script>const TARGET = {json.dumps(target)};</script>",
        content_type="text/html",
    )


def page(request: HttpRequest) -> HttpResponse:
    """A plain page of site a, for document.cookie and same-site navigation."""
    return HttpResponse(
        "<!doctype html><title>site a page</title><a id=link href=/echo>echo</a>",
        content_type="text/html",
    )


def js_cookies(request: HttpRequest) -> HttpResponse:
    """A page whose JavaScript sets cookies, as a widget, an analytics tag and Google's
    "Sign in with Google" button do: ``widget_<id>`` (the site's policy exempts ``widget_*``),
    ``g_csrf_token`` (a well-known family), and ``stray`` (nothing names it: foreign). The
    button's form then posts the token it put in the cookie, as Google's does."""
    return HttpResponse(
        "<!doctype html><title>js cookies</title>"
        "<script>"
        "const token = 'gsi' + Math.random().toString(36).slice(2);"
        "document.cookie = 'widget_4f2a9c=open; path=/; Secure; SameSite=Lax';"
        "document.cookie = 'g_csrf_token=' + token + '; path=/; Secure; SameSite=Lax';"
        "document.cookie = 'stray=1; path=/; Secure; SameSite=Lax';"
        "</script>"
        "<form id=gsi method=post action=/gsi-callback><input type=hidden name=g_csrf_token>"
        "<button id=signin>sign in</button></form>"
        "<script>document.querySelector('[name=g_csrf_token]').value = token;</script>",
        content_type="text/html",
    )


@csrf_exempt  # as Google's callback must be: its double-submit cookie is the CSRF check
def gsi_callback(request: HttpRequest) -> HttpResponse:
    """The server half of Google's double-submit check: cookie and form field must agree."""
    cookie = request.COOKIES.get("g_csrf_token")
    if not cookie or cookie != request.POST.get("g_csrf_token"):
        return HttpResponse("Failed to verify double submit cookie.", status=400)
    return HttpResponse("signed in", content_type="text/plain")


urlpatterns = [
    path("health", health),
    path("set", set_cookies),
    path("echo", echo),
    path("cross", cross),
    path("page", page),
    path("js-cookies", js_cookies),
    path("gsi-callback", gsi_callback),
]
