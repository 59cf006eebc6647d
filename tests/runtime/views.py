"""Views the runtime (cookie firewall) tests drive, mounted under /rt/ by tests/project/urls.py."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import get_token


def every_cookie(request: HttpRequest) -> HttpResponse:
    """Sets one cookie of every kind: session, CSRF, language, messages, the site's own."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    get_token(request)
    messages.info(request, "hello")  # not rendered: kept in the messages cookie
    response = HttpResponse("ok")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, "fr")
    response.set_cookie("prefs", "theme=dark")  # no flags at all: the firewall adds them
    response.set_signed_cookie("remember", "alice", salt="rt", max_age=3600)
    return response


def echo(request: HttpRequest) -> JsonResponse:
    """What the view sees: cookies after the firewall and the session contents."""
    return JsonResponse({"cookies": request.COOKIES, "session": dict(request.session.items())})


def session_set(request: HttpRequest) -> JsonResponse:
    for key, value in request.GET.items():
        request.session[key] = value
    return JsonResponse({"session": dict(request.session.items())})


def session_get(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"session": dict(request.session.items())})


def set_cookie(request: HttpRequest) -> HttpResponse:
    """Sets ``name`` = ``value`` with the attributes given in the query string."""
    params = request.GET
    response = HttpResponse("ok")
    max_age = params.get("max_age")
    response.set_cookie(
        params["name"],
        params.get("value", "v"),
        max_age=int(max_age) if max_age is not None else None,
        path=params.get("path", "/"),
        domain=params.get("domain"),
        secure="secure" in params,
        httponly="httponly" in params,
        samesite=params.get("samesite"),
    )
    return response


def delete_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok")
    response.delete_cookie(request.GET["name"], path=request.GET.get("path", "/"))
    return response


def signed_read(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"remember": request.get_signed_cookie("remember", None, salt="rt")})


def read_messages(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"messages": [str(m) for m in messages.get_messages(request)]})


def stream(request: HttpRequest) -> StreamingHttpResponse:
    def body() -> Iterator[bytes]:
        yield b"chunk-1\n"
        yield b"chunk-2\n"

    response = StreamingHttpResponse(body())
    response.set_cookie("streamed", "yes")
    return response


async def async_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("async")
    response.set_cookie("from_async", "yes", expires=datetime.datetime(2099, 1, 1))
    response.set_cookie("seen", ",".join(sorted(request.COOKIES)))
    return response


def boom(request: HttpRequest) -> HttpResponse:
    """Reads everything a tampered cookie could reach (session, signed cookie, messages)."""
    request.session.get("visits")
    request.get_signed_cookie("remember", None, salt="rt")
    list(messages.get_messages(request))
    return HttpResponse("fine")


def whoami(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"user": request.user.get_username() or None})


def set_expires(request: HttpRequest) -> HttpResponse:
    """Sets ``name`` with an Expires date string and no Max-Age (as some code does)."""
    response = HttpResponse("ok")
    response.set_cookie(request.GET["name"], request.GET.get("value", "v"))
    response.cookies[request.GET["name"]]["expires"] = request.GET["expires"]
    return response


def raw_set_cookie(request: HttpRequest) -> HttpResponse:
    """Writes ``header`` straight into response.headers, bypassing response.set_cookie()."""
    response = HttpResponse("ok")
    response.headers["Set-Cookie"] = request.GET["header"]
    if "also" in request.GET:  # the same cookie through set_cookie() as well
        response.set_cookie(request.GET["also"], "from-set-cookie")
    return response


def login_as(request: HttpRequest) -> JsonResponse:
    """Log in as ``?user=NAME`` (created on first use): the WebSocket tests' sessions."""
    from django.contrib.auth import login
    from django.contrib.auth.models import User

    user, _ = User.objects.get_or_create(username=request.GET["user"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return JsonResponse({"user": user.get_username()})


def logout_view(request: HttpRequest) -> JsonResponse:
    from django.contrib.auth import logout

    logout(request)
    return JsonResponse({"user": None})
