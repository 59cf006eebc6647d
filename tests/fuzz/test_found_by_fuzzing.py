"""Cookie headers the fuzzer (test_cookie_fuzz.py) found breaking the firewall, kept as fast,
deterministic regression tests (not marked slow: the version matrix runs them too)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# A rejected signed-looking cookie is expired in the browser with response.delete_cookie(name);
# for a name that SimpleCookie cannot emit (empty, with a comma, or a Morsel attribute name)
# that raised http.cookies.CookieError: an attacker-triggered 500 from one request header.
UNSETTABLE_NAMES = [
    "=hs1.k0.0.x.y",
    "a,b=hs1.a.0.x.y",
    "path=hs1.a.0.x.y",
    'q"=hs1b.k1.0.' + "A" * 43 + ".eA",
    "expires=hs1.sk-000000000000.0." + "A" * 43 + ".v",
]


@pytest.mark.parametrize("header", UNSETTABLE_NAMES)
def test_rejected_cookie_with_unsettable_name_is_not_a_server_error(header: str) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_COOKIE=header)
    assert response.status_code == 200, response.status_code
