"""Plain-HTTP development (issue 11, part 4): Secure follows the scheme in development mode, and
a Secure cookie sent over plain HTTP is logged once per cookie name in every mode.

Real request/response cycles through the test project's middleware stack (Django's test
client, over http:// and https://). The test client sends no Host header unless told to, and
the warning is only for requests that carry one (as a browser's does), so these requests name
a development host, ``devbox.test``. The browser side (Chromium dropping the Secure CSRF
cookie on http://devbox.test) is tests/browser/test_plain_http.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from django.core.checks import Error, Tags, run_checks
from django.test import AsyncClient, Client, override_settings

from hardsess.firewall.log import OncePerProcess
from hardsess.firewall.outgoing import PLAIN_HTTP_NAMES, plain_http_warnings
from hardsess.firewall.signing import looks_signed
from tests.runtime.conftest import flip_last

pytestmark = pytest.mark.django_db

HOST = "devbox.test"
#: What /rt/every/ sets, with the Secure rule each answers to.
RULES = {"sessionid": "HS101", "csrftoken": "HS111", "prefs": "HS201", "remember": "HS201"}
DEVELOPMENT = {"HARDSESS": {"DEVELOPMENT": True}, "DEBUG": True}
PLAIN = "over plain HTTP"


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    """Each test starts as a fresh process would: no name warned about yet."""
    plain_http_warnings.clear()
    yield
    plain_http_warnings.clear()


def plain_http_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hardsess" and PLAIN in r.getMessage()]


def client(**kwargs: object) -> Client:
    return Client(HTTP_HOST=HOST, **kwargs)  # type: ignore[arg-type]


def test_secure_cookie_over_plain_http_is_logged_once_per_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        c = client()
        first = c.get("/rt/every/")
        second = c.get("/rt/every/")
        Client(HTTP_HOST="other.test").get("/rt/every/")  # another host, same process
    assert not first.wsgi_request.is_secure()
    for response in (first, second):
        for name in RULES:
            assert response.cookies[name]["secure"] is True, name  # nothing weakened
    lines = plain_http_lines(caplog)
    by_name = {r.args[0]: r for r in lines}  # type: ignore[index]
    assert len(lines) == len(by_name), "one line per cookie name, not per request"
    assert set(RULES) <= set(by_name)
    for name, rule in RULES.items():
        line = by_name[name]
        assert line.levelno == logging.WARNING
        assert line.hardsess_rule == rule  # type: ignore[attr-defined]
        text = line.getMessage()
        assert text.startswith(f"hardsess {rule}: cookie {name!r} is Secure")
        assert "will not store it or send it back over http://" in text
        assert "HTTPS" in text
        assert "SECURE_PROXY_SSL_HEADER" in text
        assert "HARDSESS['DEVELOPMENT'] = True" in text
    # Never a value: neither what the view set nor what left on the wire.
    values = {m.value for m in first.cookies.values()} | {"theme=dark", "alice"}
    for line in lines:
        for value in values:
            assert value not in line.getMessage()


def test_https_and_the_proxy_header_say_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = client().get("/rt/every/", secure=True)
        assert response.wsgi_request.is_secure()
        with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
            proxied = client().get("/rt/every/", HTTP_X_FORWARDED_PROTO="https")
            assert proxied.wsgi_request.is_secure()
    assert plain_http_lines(caplog) == []
    for name in RULES:
        assert response.cookies[name]["secure"] is True
        assert proxied.cookies[name]["secure"] is True


def test_no_host_header_no_line(caplog: pytest.LogCaptureFixture) -> None:
    """Django's test client without a Host: not a browser, so the project's own tests get no
    new line (issue 11, part 1)."""
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get("/rt/every/")
    assert response.cookies["csrftoken"]["secure"] is True
    assert plain_http_lines(caplog) == []


def test_deletions_are_not_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = client().get("/rt/delete/", {"name": "prefs"})
    assert response.cookies["prefs"]["max-age"] == 0
    assert plain_http_lines(caplog) == []


@override_settings(HARDSESS={"REPORT_ONLY": True})
def test_report_only_warns_about_what_leaves_as_written(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        secure = client().get("/rt/set/", {"name": "prefs", "secure": "1"})
        plain = client().get("/rt/set/", {"name": "other"})
    assert secure.cookies["prefs"]["secure"] is True
    assert plain.cookies["other"]["secure"] == ""  # report-only adds nothing
    (line,) = plain_http_lines(caplog)
    assert line.getMessage().startswith("hardsess HS201 [report-only]: cookie 'prefs' is Secure")


@override_settings(**DEVELOPMENT)
def test_development_mode_over_http_leaves_secure_off_and_nothing_else(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = client().get("/rt/every/")
    for name in RULES:
        morsel = response.cookies[name]
        assert morsel["secure"] == "", name
        assert morsel["samesite"] == "Lax", name
    for name in set(RULES) - {"csrftoken"}:
        assert response.cookies[name]["httponly"] is True, name
        assert looks_signed(response.cookies[name].value), name
    assert plain_http_lines(caplog) == []


@override_settings(**DEVELOPMENT)
def test_development_mode_over_https_keeps_secure() -> None:
    response = client().get("/rt/every/", secure=True)
    for name in RULES:
        assert response.cookies[name]["secure"] is True, name
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        proxied = client().get("/rt/every/", HTTP_X_FORWARDED_PROTO="https")
    for name in RULES:
        assert proxied.cookies[name]["secure"] is True, name


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True, **DEVELOPMENT)
def test_development_mode_takes_off_the_sites_own_secure_over_http() -> None:
    response = client().get("/rt/every/")
    assert response.cookies["sessionid"]["secure"] == ""
    assert response.cookies["csrftoken"]["secure"] == ""
    view_set = client().get("/rt/set/", {"name": "prefs", "secure": "1"})
    assert view_set.cookies["prefs"]["secure"] == ""


@override_settings(**DEVELOPMENT)
def test_development_mode_login_cycle_over_http() -> None:
    """A CSRF-protected POST and a session write, over http://, the cookies sent back by the
    client's jar: verified on the way in as always."""
    c = client(enforce_csrf_checks=True)
    assert "csrftoken" not in c.get("/rt/echo/").json()["cookies"]  # no cookie yet
    c.get("/rt/every/")
    csrf = c.cookies["csrftoken"]
    assert csrf["secure"] == ""
    ok = c.post("/rt/echo/", {"csrfmiddlewaretoken": csrf.value})
    assert ok.status_code == 200
    assert ok.json()["session"] == {"visits": 1}
    assert c.post("/rt/echo/", {"csrfmiddlewaretoken": "x" * 32}).status_code == 403
    # A session cookie tampered with is still rejected: verification is not relaxed.
    c.cookies["sessionid"] = flip_last(c.cookies["sessionid"].value)
    assert c.get("/rt/session/get/").json()["session"] == {}


@override_settings(
    HARDSESS={"DEVELOPMENT": True, "COOKIES": {"embed": {"samesite": None}}}, DEBUG=True
)
def test_prefixed_and_samesite_none_cookies_keep_secure_and_say_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        host = client().get("/rt/set/", {"name": "__Host-id", "secure": "1"})
        bare = client().get("/rt/set/", {"name": "__Secure-id"})
        cross = client().get("/rt/set/", {"name": "embed", "secure": "1", "samesite": "None"})
    assert host.cookies["__Host-id"]["secure"] is True
    assert bare.cookies["__Secure-id"]["secure"] is True  # added: void without it
    assert cross.cookies["embed"]["secure"] is True
    assert cross.cookies["embed"]["samesite"] == "None"
    lines = {r.args[0]: r.getMessage() for r in plain_http_lines(caplog)}  # type: ignore[index]
    assert set(lines) == {"__Host-id", "__Secure-id", "embed"}
    assert "even in development mode (a __Host-/__Secure- prefixed name" in lines["__Host-id"]
    assert "prefixed name" in lines["__Secure-id"]
    assert "even in development mode (SameSite=None" in lines["embed"]


@override_settings(HARDSESS={"DEVELOPMENT": True}, DEBUG=False)
def test_development_mode_does_nothing_without_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = client().get("/rt/every/")
    for name in RULES:
        assert response.cookies[name]["secure"] is True, name
    assert {r.args[0] for r in plain_http_lines(caplog)} >= set(RULES)  # type: ignore[index]
    ids = [m.id for m in run_checks(tags=[Tags.security]) if isinstance(m, Error)]
    assert "hardsess.E174" in ids


@pytest.mark.parametrize("value", ["False", "True", 1, "1"])
def test_a_non_boolean_setting_is_off_and_refused(value: object) -> None:
    with override_settings(HARDSESS={"DEVELOPMENT": value}, DEBUG=True):
        response = client().get("/rt/every/")
        messages = [m for m in run_checks(tags=[Tags.security]) if m.id == "hardsess.E175"]
    assert response.cookies["csrftoken"]["secure"] is True
    (message,) = messages
    assert isinstance(message, Error)
    assert repr(value) in message.msg


def test_the_checks_are_silent_when_development_mode_is_right() -> None:
    for hardsess in ({"DEVELOPMENT": True}, {"DEVELOPMENT": False}, {}):
        with override_settings(HARDSESS=hardsess, DEBUG=True):
            ids = {m.id for m in run_checks(tags=[Tags.security])}
        assert not ids & {"hardsess.E174", "hardsess.E175", "hardsess.W169"}, hardsess


def test_once_per_process_is_bounded() -> None:
    once = OncePerProcess(3)
    assert [once.first(k) for k in "aab"] == [True, False, True]
    assert once.first("c") is True
    assert once.first("d") is False  # the bound: nothing new is remembered or written
    assert once.first("a") is False
    once.clear()
    assert once.first("d") is True
    assert PLAIN_HTTP_NAMES == 64


def test_many_cookie_names_write_a_bounded_number_of_lines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        c = client()
        for i in range(PLAIN_HTTP_NAMES + 10):
            c.get("/rt/set/", {"name": f"c{i}"})
    assert len(plain_http_lines(caplog)) == PLAIN_HTTP_NAMES


@pytest.mark.django_db(transaction=True)
def test_the_asgi_path_sees_the_scheme_too(caplog: pytest.LogCaptureFixture) -> None:
    async def cycle() -> tuple[str, str]:
        c = AsyncClient(headers={"host": HOST})
        with override_settings(**DEVELOPMENT):
            development = (await c.get("/rt/async/")).cookies["from_async"]["secure"]
        production = (await c.get("/rt/async/")).cookies["from_async"]["secure"]
        return development, production

    with caplog.at_level(logging.WARNING, logger="hardsess"):
        development, production = asyncio.run(cycle())
    assert development == ""
    assert production is True
    names = sorted(r.args[0] for r in plain_http_lines(caplog))  # type: ignore[index]
    assert names == ["from_async", "seen"]  # the second response only
