"""Views of the example site: cookies set the way tutorials show, without any flags."""

from django.http import HttpResponse


def home(request):
    """Greet the visitor and remember the colour theme they picked."""
    theme = request.GET.get("theme") or request.COOKIES.get("theme", "light")
    response = HttpResponse(f"Hello! Your theme is {theme}.", content_type="text/plain")
    response.set_cookie("theme", theme)
    return response


def remember_me(request):
    """Keep the visitor's chosen display name "forever"."""
    response = HttpResponse("Remembered.", content_type="text/plain")
    response.set_cookie(
        "display_name",
        request.GET.get("name", "guest"),
        max_age=10 * 365 * 24 * 60 * 60,  # ten years
        secure=True,
        httponly=True,
        samesite="Lax",
    )
    return response
