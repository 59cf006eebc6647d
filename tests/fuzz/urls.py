"""The fuzzed site: one view sets cookies, one shows what reached it (ROOT_URLCONF of tests/fuzz).

The oracle needs to know every value the site itself ever set, so the setting view records it
in :data:`SITE_SET` (cookie name -> values) as it sets it, with the stage of the keyring the
site was in; the fuzz tests decide from that which values may come back.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import path

#: (stage, cookie name) -> values the site set in that keyring stage.
SITE_SET: dict[tuple[str, str], set[str]] = {}


def set_cookies(request: HttpRequest) -> HttpResponse:
    """Body: ``{"stage": str, "cookies": [[name, value], ...]}``; sets each one."""
    spec = json.loads(request.body)
    response = HttpResponse("set")
    for name, value in spec["cookies"]:
        SITE_SET.setdefault((spec["stage"], name), set()).add(value)
        response.set_cookie(name, value, max_age=3600, secure=True, httponly=True, samesite="Lax")
    return response


def echo(request: HttpRequest) -> JsonResponse:
    """What the view sees; also makes Django's own cookie readers consume what got through."""
    seen = dict(request.COOKIES)
    # Session, messages, CSRF and language: each reads its cookie; none may raise a 5xx.
    request.session.get("anything")
    list(messages.get_messages(request))
    get_token(request)
    return JsonResponse({"cookies": seen, "language": request.LANGUAGE_CODE})


urlpatterns = [
    path("set/", set_cookies),
    path("echo/", echo),
]
