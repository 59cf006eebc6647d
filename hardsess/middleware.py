"""The cookie firewall: verify every incoming cookie, harden and sign every outgoing one.

Place it after SecurityMiddleware and before SessionMiddleware, CsrfViewMiddleware,
LocaleMiddleware and MessageMiddleware::

    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "hardsess.middleware.HardSessMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        ...
    ]

On the way in it replaces ``request.COOKIES`` with the verified original values before anything
below it reads them; on the way out it sees every ``Set-Cookie`` the stack produced. Contracts
(flags, signing, rotation, report-only) are in docs/runtime.md; the wire format is in
docs/cookie-format.md. One class serves WSGI and ASGI; the async path never hops threads.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, Morsel, SimpleCookie
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import http_date, parse_http_date_safe

from hardsess import cookie_signing
from hardsess.cookie_policy import MAX_COOKIE_AGE, MAX_COOKIE_BYTES, SAMESITE_RANK, CookiePolicy
from hardsess.keyring import old_key_counter
from hardsess.runtime import Runtime, current_runtime
from hardsess.signals import cookie_rejected

logger = logging.getLogger("hardsess")

GetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]
#: Cookies verified by a non-primary key, to be re-issued: name -> verification result.
Reissue = dict[str, cookie_signing.Verified]

#: Rejections after which the browser is told to drop the cookie. Not "unsigned" (JavaScript
#: may have set it) and not "duplicate" (deleting one copy would leave the tossed one alone).
_EXPIRE_ON = frozenset(
    {
        cookie_signing.MALFORMED,
        cookie_signing.UNKNOWN_KEY,
        cookie_signing.RETIRED_KEY,
        cookie_signing.BAD_SIGNATURE,
        cookie_signing.EXPIRED,
    }
)


@dataclass(slots=True)
class Inbound:
    """What the way in leaves for the way out."""

    #: Cookies verified by a non-primary key: re-issued with the primary key.
    reissue: Reissue = field(default_factory=dict)
    #: Cookies rejected as forged or stale: the browser is told to delete them.
    expire: list[str] = field(default_factory=list)


_NOTHING = Inbound()


class HardSessMiddleware:
    """Cookie firewall for WSGI and ASGI stacks (``sync_capable`` and ``async_capable``)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse | AsyncGetResponse) -> None:
        self.get_response = get_response
        # Same detection as Django's MiddlewareMixin: async when the handler below is async.
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)
        # Validate the keyring and policies at start-up: a bad HARDSESS fails the boot,
        # not the first request.
        current_runtime()

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        runtime = current_runtime()
        inbound = self.process_incoming(request, runtime)
        response: HttpResponseBase = self.get_response(request)  # type: ignore[assignment]
        self.process_outgoing(response, runtime, inbound)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        runtime = current_runtime()
        inbound = self.process_incoming(request, runtime)
        response: HttpResponseBase = await self.get_response(request)  # type: ignore[misc]
        self.process_outgoing(response, runtime, inbound)
        return response

    # -- the way in ---------------------------------------------------------------------------

    def process_incoming(self, request: HttpRequest, runtime: Runtime) -> Inbound:
        """Replace ``request.COOKIES`` by verified original values; say what to re-issue."""
        cookies = request.COOKIES
        if not cookies:
            return _NOTHING
        now = int(time.time())
        report_only = runtime.report_only
        keyring = runtime.keyring
        # policies.for_name, inlined: one Python call fewer per cookie.
        named, default = runtime.policies.named, runtime.policies.default
        clean: dict[str, str] = {}
        rejected: list[tuple[str, str]] = []
        reissue: Reissue = {}
        for name, value in cookies.items():
            must_sign = named.get(name, default).sign
            if not must_sign and not cookie_signing.looks_signed(value):
                clean[name] = value
                continue
            result = cookie_signing.verify(keyring, name, value, now)
            if isinstance(result, str):
                # An exempt cookie that only looks signed is passed on as it came.
                if must_sign:
                    rejected.append((name, result))
                if report_only or not must_sign:
                    clean[name] = value
                continue
            clean[name] = result.value
            if result.key is not keyring.primary:  # not .is_primary: a property call per cookie
                reissue[name] = result
        session_name = runtime.session_cookie_name
        if session_name in cookies and _sent_twice(
            request.META.get("HTTP_COOKIE", ""), session_name
        ):
            # Cookie tossing: a sibling domain planted a second session cookie. Trust neither.
            rejected.append((session_name, cookie_signing.DUPLICATE))
            if not report_only:
                clean.pop(session_name, None)
                reissue.pop(session_name, None)
        request.COOKIES = clean
        if not rejected and not reissue:  # almost every request
            return _NOTHING
        for name, reason in rejected:
            self._reject(request, name, reason, report_only)
        for name, result in reissue.items():
            old_key_counter.record(result.key.id, name)
        if report_only:
            return _NOTHING
        expire = [name for name, reason in rejected if reason in _EXPIRE_ON]
        if not reissue and not expire:
            return _NOTHING
        return Inbound(reissue, expire)

    def _reject(self, request: HttpRequest, name: str, reason: str, report_only: bool) -> None:
        # The name is attacker-controlled: %r keeps it on one log line. Never the value.
        if report_only:
            logger.warning("hardsess [report-only]: would reject cookie %r (%s)", name, reason)
        else:
            logger.warning("hardsess: rejected cookie %r (%s)", name, reason)
        cookie_rejected.send(
            sender=HardSessMiddleware,
            request=request,
            name=name,
            reason=reason,
            report_only=report_only,
        )

    # -- the way out --------------------------------------------------------------------------

    def process_outgoing(
        self, response: HttpResponseBase, runtime: Runtime, inbound: Inbound
    ) -> None:
        """Re-issue old-key cookies, expire rejected ones, then harden (and sign) every cookie."""
        now = int(time.time())
        if inbound.reissue:
            _reissue(response, runtime, inbound.reissue, now)
        for name in inbound.expire:
            if name not in response.cookies:  # unless the view set a fresh one
                policy = runtime.policies.for_name(name)
                # The Cookie header may carry names no Set-Cookie can ("a,b", "path"):
                # a bad cookie must never become a 500.
                with contextlib.suppress(CookieError):
                    response.delete_cookie(name, path=policy.path, domain=policy.domain)
        cookies = response.cookies
        if not cookies:
            return
        named, default = runtime.policies.named, runtime.policies.default
        debug = logger.isEnabledFor(logging.DEBUG)  # once per response, not once per cookie
        for name in list(cookies.keys()):
            _harden(cookies, name, named.get(name, default), runtime, now, debug)


def _sent_twice(header: str, name: str) -> bool:
    """Does the raw Cookie header carry ``name`` more than once? (Django keeps the last.)"""
    if header.count(name) < 2:  # cheap pre-check: almost every request stops here
        return False
    seen = 0
    for chunk in header.split(";"):
        # Split exactly as django.http.cookie.parse_cookie does.
        key = chunk.split("=", 1)[0].strip() if "=" in chunk else ""
        if key == name:
            seen += 1
            if seen > 1:
                return True
    return False


def _reissue(response: HttpResponseBase, runtime: Runtime, reissue: Reissue, now: int) -> None:
    for name, verified in reissue.items():
        if name in response.cookies:  # the view or a middleware set or deleted it already
            continue
        max_age: int | None = None
        if verified.expiry:
            max_age = verified.expiry - now
            if max_age <= 0:
                continue
        # The original expiry comes back from the signed payload: rotation never extends a life.
        response.set_cookie(
            name,
            verified.value,
            max_age=max_age,
            **runtime.policies.reissue_attributes(name),
        )


def _max_age(value: Any) -> int | None:
    if value == "" or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _harden(
    cookies: SimpleCookie,
    name: str,
    policy: CookiePolicy,
    runtime: Runtime,
    now: int,
    debug: bool,
) -> None:
    """Bring one outgoing cookie in line with its policy, sign it, or refuse it.

    Runs for every cookie of every response, so it is written for the common case (a cookie
    that needs its flags and a signature): a handful of dictionary reads, one MAC, one small dict
    of what policy adds, and log messages built only when a line will be written.
    """
    morsel = cookies[name]

    max_age = morsel["max-age"]
    if type(max_age) is not int:  # Django's set_cookie stores an int: no parsing then
        max_age = _max_age(max_age)
    if max_age is not None:
        expiry = now + max_age
        deletion = max_age <= 0
    else:
        # Expires alone; unparseable counts as a browser-session cookie (expiry 0).
        expires = parse_http_date_safe(str(morsel["expires"])) if morsel["expires"] else None
        deletion = expires is not None and expires <= now  # e.g. 1 Jan 1970, i.e. 0
        expiry = expires or 0

    # What policy adds (logged at DEBUG); its keys are the attributes, described by _describe.
    required: dict[str, Any] = {}
    samesite = morsel["samesite"]
    rank = SAMESITE_RANK.get(str(samesite).lower(), -1) if samesite else -1
    if rank < policy.samesite_rank:
        required["samesite"] = policy.samesite
        rank = policy.samesite_rank
    # Impossible combinations are judged on what the site asked for: policy adding Secure to
    # everything must not hide that a cookie was written in a way browsers reject.
    asked_secure = bool(morsel["secure"])
    if policy.secure and not asked_secure:
        required["secure"] = True
    if policy.httponly and not morsel["httponly"]:
        required["httponly"] = True
    # What a browser would reject or ignore (logged at WARNING): rare, so built only then.
    fixes: dict[str, Any] = {}
    impossible: list[str] = []
    if (rank == 0 and not asked_secure) or name[:2] == "__":
        _impossible_combinations(morsel, name, rank, asked_secure, fixes, impossible)
    if not deletion and expiry and expiry - now > policy.max_age:
        cap = {"max-age": policy.max_age, "expires": http_date(now + policy.max_age)}
        expiry = now + policy.max_age
        if policy.max_age == MAX_COOKIE_AGE:
            fixes.update(cap)
            impossible.append(f"lifetime capped at {policy.max_age} s")
        else:
            required.update(cap)

    signed: str | None = None
    if policy.sign and not deletion:
        signed = cookie_signing.sign(runtime.keyring.primary, name, morsel.value, expiry)
    wire_value = signed if signed is not None else morsel.coded_value
    # A character is at most 4 bytes in UTF-8: short cookies need no encoding to be measured.
    if (len(name) + len(wire_value)) * 4 > MAX_COOKIE_BYTES:
        size = len(name.encode("utf-8", "surrogatepass")) + len(
            wire_value.encode("utf-8", "surrogatepass")
        )
        if size > MAX_COOKIE_BYTES:
            _refuse(cookies, name, size, runtime.report_only)
            return

    if runtime.report_only:
        if required or impossible:
            logger.warning(
                "hardsess [report-only]: would correct cookie %r: %s",
                name,
                "; ".join(_describe(required, policy) + impossible),
            )
        return
    # Morsel.update would re-validate attribute names, all of which are ours.
    dict.update(morsel, required)
    if fixes:
        dict.update(morsel, fixes)
    if signed is not None:
        # Signed values only hold SimpleCookie-safe characters: coded value == value.
        morsel.set(name, signed, signed)
    if impossible:
        logger.warning(
            "hardsess: corrected cookie %r: %s",
            name,
            "; ".join(impossible + _describe(required, policy)),
        )
    elif required and debug:
        logger.debug("hardsess: cookie %r given %s", name, ", ".join(_describe(required, policy)))


def _impossible_combinations(
    morsel: Morsel[str],
    name: str,
    rank: int,
    asked_secure: bool,
    fixes: dict[str, Any],
    notes: list[str],
) -> None:
    """Fix what browsers reject: SameSite=None without Secure, broken cookie prefixes."""
    if rank == 0 and not asked_secure:  # SameSite=None
        fixes["secure"] = True
        notes.append("SameSite=None without Secure: Secure added")
    lowered = name.lower()
    if lowered.startswith("__host-"):
        if not asked_secure:
            fixes["secure"] = True
            notes.append("__Host- without Secure: Secure added")
        if morsel["path"] != "/":
            fixes["path"] = "/"
            notes.append("__Host- with a Path other than /: Path=/")
        if morsel["domain"]:
            fixes["domain"] = ""
            notes.append("__Host- with a Domain: Domain removed")
    elif lowered.startswith("__secure-") and not asked_secure:
        fixes["secure"] = True
        notes.append("__Secure- without Secure: Secure added")


_DESCRIPTIONS = {"secure": "Secure", "httponly": "HttpOnly"}


def _describe(required: dict[str, Any], policy: CookiePolicy) -> list[str]:
    described = []
    for attribute in required:
        if attribute == "samesite":
            described.append(f"SameSite={policy.samesite}")
        elif attribute == "max-age":
            described.append(f"lifetime capped at {policy.max_age} s")
        elif attribute in _DESCRIPTIONS:
            described.append(_DESCRIPTIONS[attribute])
    return described


def _refuse(cookies: SimpleCookie, name: str, size: int, report_only: bool) -> None:
    if report_only:
        logger.warning(
            "hardsess [report-only]: would refuse cookie %r: %d bytes, over %d",
            name,
            size,
            MAX_COOKIE_BYTES,
        )
        return
    # A browser would drop it silently; refusing it here makes the failure visible.
    del cookies[name]
    logger.error(
        "hardsess: refused cookie %r: name and value are %d bytes, over %d",
        name,
        size,
        MAX_COOKIE_BYTES,
    )
