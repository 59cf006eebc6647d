"""The pages: a public home, a login-required account page, a session cart, a theme cookie."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_POST

from shop.models import Order

THEME_COOKIE = "theme"
PROMO_COOKIE = "promo"
ONE_YEAR = 365 * 24 * 3600


def home(request: HttpRequest) -> HttpResponse:
    notes = "".join(f"<p class=message>{message}</p>" for message in messages.get_messages(request))
    return HttpResponse(f"Welcome to the shop{notes}")


@require_POST
def newsletter(request: HttpRequest) -> HttpResponseRedirect:
    # Django's default message storage keeps this in a cookie across the redirect.
    messages.success(request, f"Subscribed {request.POST['email']}")
    return HttpResponseRedirect("/")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.filter(owner=request.user).count()
    return HttpResponse(f"Signed in as {request.user.get_username()}; {orders} orders")


async def whoami(request: HttpRequest) -> JsonResponse:
    user = await request.auser()
    return JsonResponse({"user": user.get_username() if user.is_authenticated else None})


def cart(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"cart": request.session.get("cart", [])})


@require_POST
def cart_add(request: HttpRequest) -> JsonResponse:
    items = [*request.session.get("cart", []), request.POST["item"]]
    request.session["cart"] = items
    return JsonResponse({"cart": items})


@require_POST
def cart_clear(request: HttpRequest) -> JsonResponse:
    # An emptied session: SessionMiddleware deletes the session cookie in the response.
    request.session.flush()
    return JsonResponse({"cart": []})


def theme(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"theme": request.COOKIES.get(THEME_COOKIE) or None})


@require_POST
def theme_set(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"theme": request.POST["theme"]})
    response.set_cookie(THEME_COOKIE, request.POST["theme"], max_age=ONE_YEAR, samesite="Lax")
    return response


@require_POST
def theme_reset(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"theme": None})
    response.delete_cookie(THEME_COOKIE, samesite="Lax")
    return response


def promo(request: HttpRequest) -> JsonResponse:
    code = request.get_signed_cookie(PROMO_COOKIE, default=None, salt="shop.promo")
    return JsonResponse({"promo": code})


def promo_apply(request: HttpRequest, code: str) -> JsonResponse:
    # Django's own signed cookie: the customer cannot change the code it carries.
    response = JsonResponse({"promo": code})
    response.set_signed_cookie(PROMO_COOKIE, code, salt="shop.promo", max_age=7 * 24 * 3600)
    return response
