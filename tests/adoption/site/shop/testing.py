"""The project's own test client, as teams write one: Django's Client with a shortcut."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str = "ada", **extra: Any) -> Any:
    return get_user_model().objects.create_user(username, password=PASSWORD, **extra)


def signed_cookie_sessions() -> bool:
    return settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies"


def put_session(client: Any, session: SessionBase) -> None:
    """Hand a session the test saved to the client. Saving a signed-cookie session changes its
    key (the key is the data), and Django's client does not put the new one in its jar."""
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


class ShopClient(Client):
    def sign_in_as(self, username: str) -> Any:
        user = make_user(username)
        self.force_login(user)
        return user

    def add_to_cart(self, item: str) -> Any:
        return self.post("/cart/add/", {"item": item})
