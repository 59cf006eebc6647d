"""Views of the lifecycle tests: each does one thing to the session a real app would do."""

from __future__ import annotations

import threading

from django.contrib.auth import get_user_model, login, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from hardsess import sessions

#: For the concurrency tests: /wait/ signals ENTERED, then blocks until RELEASE is set.
ENTERED = threading.Event()
RELEASE = threading.Event()
#: For the long-request test: seconds the clock jumps while /slow/ runs.
SLOW_ADVANCE: list[float] = [0.0]


def _state(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "user": request.user.get_username() if request.user.is_authenticated else None,
            "note": request.session.get("note"),
        }
    )


def read(request: HttpRequest) -> JsonResponse:
    return _state(request)


@csrf_exempt
def write(request: HttpRequest) -> JsonResponse:
    for key, value in request.GET.items():
        request.session[key] = value
    return _state(request)


@csrf_exempt
def do_login(request: HttpRequest) -> JsonResponse:
    user = get_user_model().objects.get(username=request.GET["username"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _state(request)


@csrf_exempt
def do_logout(request: HttpRequest) -> JsonResponse:
    logout(request)
    return _state(request)


def wait(request: HttpRequest) -> JsonResponse:
    response = _state(request)  # reads the session (loaded now, at the start)
    ENTERED.set()
    if not RELEASE.wait(timeout=30):
        return JsonResponse({"error": "not released"}, status=500)
    return response


def slow(request: HttpRequest) -> JsonResponse:
    from tests.sessions import conftest

    conftest.CURRENT_CLOCK[0].advance(SLOW_ADVANCE[0])
    return _state(request)


@csrf_exempt
def sudo(request: HttpRequest) -> JsonResponse:
    sessions.privilege_changed(request)
    return _state(request)


def expired(request: HttpRequest) -> HttpResponse:
    return HttpResponse("your session has ended")


@csrf_exempt
def write_wait(request: HttpRequest) -> JsonResponse:
    """Writes like /write/, then blocks like /wait/ (a slow writing request)."""
    for key, value in request.GET.items():
        request.session[key] = value
    return wait(request)
