"""Views of the web-platform browser tests: an embedding page, cookies for the iframe, prefixed
cookies, a logout."""

from __future__ import annotations

import json

from django.contrib.auth import logout as django_logout
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.clickjacking import xframe_options_exempt

#: Prefixed cookies a view sets, with the flags it sets them with (the firewall adds the
#: rest; in report-only mode they leave as written).
PREFIXED = {
    "__Http-script": {"secure": True, "httponly": False},
    "__Http-ok": {"secure": True, "httponly": True},
    "__Host-Http-script": {"secure": True, "httponly": False, "path": "/"},
    "__Host-Http-ok": {"secure": True, "httponly": True, "path": "/"},
}
#: What the page's script tries to set through document.cookie.
SCRIPT_PREFIXED = ("__Http-js", "__Host-Http-js", "__Host-js", "__Secure-js")


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def embed(request: HttpRequest) -> HttpResponse:
    """The top-level page on site-b.test: site-a.test's ``?frame=`` view in an iframe."""
    frame = request.GET.get("frame", "frame-set")
    if frame not in ("frame-set", "echo"):
        frame = "echo"
    src = f"https://site-a.test:{request.get_port()}/{frame}"
    return HttpResponse(
        f'<!doctype html><title>site b</title><iframe id=f src="{src}"></iframe>',
        content_type="text/html",
    )


@xframe_options_exempt
def frame_set(request: HttpRequest) -> HttpResponse:
    """Inside the iframe: one Partitioned and one unpartitioned cross-site cookie."""
    response = HttpResponse("<!doctype html><p id=done>set</p>", content_type="text/html")
    response.set_cookie("chips_c", "kept", secure=True, httponly=True, samesite="None")
    response.set_cookie("unpart_c", "blocked", secure=True, httponly=True, samesite="None")
    return response


@xframe_options_exempt
def echo(request: HttpRequest) -> HttpResponse:
    """The cookies that reached the view (after the firewall), as JSON."""
    body = json.dumps({"cookies": dict(sorted(request.COOKIES.items()))})
    return HttpResponse(body, content_type="application/json")


def prefixed(request: HttpRequest) -> HttpResponse:
    """Sets PREFIXED over HTTP; its page tries SCRIPT_PREFIXED through document.cookie."""
    response = HttpResponse(
        "<!doctype html><p id=done>prefixed</p><script>"
        + "".join(f'document.cookie = "{n}=1; Secure; Path=/";' for n in SCRIPT_PREFIXED)
        + "</script>",
        content_type="text/html",
    )
    for name, flags in PREFIXED.items():
        response.set_cookie(name, "1", samesite="Lax", **flags)  # type: ignore[arg-type]
    return response


def login(request: HttpRequest) -> HttpResponse:
    """A session, and a page whose script sets a cookie of its own."""
    request.session["user"] = "alice"
    return HttpResponse(
        '<!doctype html><p id=done>in</p><script>document.cookie = "js_cart=3; Secure; '
        'Path=/; Max-Age=3600";</script>',
        content_type="text/html",
    )


def logout(request: HttpRequest) -> HttpResponse:
    django_logout(request)  # sends user_logged_out, which the firewall listens to
    return HttpResponse("<!doctype html><p id=done>out</p>", content_type="text/html")


def relogin(request: HttpRequest) -> HttpResponse:
    """Log out and, in the same request, in again (an account switch): a new session cookie
    leaves on the response that carries Clear-Site-Data."""
    django_logout(request)
    request.session["user"] = "bob"
    # What django.contrib.auth.login sends (this site has no user model to log in).
    user_logged_in.send(sender=None, request=request, user=None)
    response = HttpResponse("<!doctype html><p id=done>switched</p>", content_type="text/html")
    response.set_cookie("fresh", "1", secure=True, samesite="Lax")
    return response


urlpatterns = [
    path("health", health),
    path("embed", embed),
    path("frame-set", frame_set),
    path("echo", echo),
    path("prefixed", prefixed),
    path("login", login),
    path("logout", logout),
    path("relogin", relogin),
]
