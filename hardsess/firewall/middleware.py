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
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

# The lenient date parser http.cookiejar reads a Set-Cookie's Expires with, as a client does
# (not in typeshed's stubs, part of the module since Python 2).
from http.cookiejar import http2time  # type: ignore[attr-defined]
from http.cookies import CookieError, Morsel, SimpleCookie
from itertools import islice
from operator import itemgetter
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import http_date, parse_http_date_safe

from hardsess import cookie_header, cookie_signing
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

#: Rejections per request logged and signalled one by one; the rest are counted in one line.
MAX_REPORTED = 8
#: Deletion ``Set-Cookie`` headers per request for rejected cookies. Eight covers what a browser
#: holds after a key is retired (session, messages, a few of the site's own); more are deleted
#: by the requests that follow, eight at a time. Names are at most MAX_COOKIE_BYTES and come
#: from the request's own header: a response never carries more deletion bytes than the
#: request brought, plus eight short attribute strings.
MAX_DELETIONS = 8
#: Characters of an attacker-chosen cookie name that a log line shows.
_SHOWN_NAME = 64


#: The first instant http_date cannot write (year 10000): a lenient parse beyond it is unreadable.
_LAST_HTTP_DATE = 253402300800


def _shown(name: str) -> str:
    """A cookie name as a log line shows it: bounded, since the client chose it."""
    if len(name) <= _SHOWN_NAME:
        return name
    return f"{name[:_SHOWN_NAME]}...({len(name)} characters)"


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
        """Replace ``request.COOKIES`` by verified original values; say what to re-issue.

        The cookies are read from the header string Django itself parses (see
        :mod:`hardsess.cookie_header`): the names judged here are the names the view sees.
        """
        header = cookie_header.header_of(request)
        if header is None:  # a request built by hand: its COOKIES are all there is
            pairs, disguised = list(request.COOKIES.items()), list[str]()
        elif not header:
            request.COOKIES = {}
            return _NOTHING
        else:
            pairs, disguised = cookie_header.pairs_of(header)
        cookies = dict(pairs)  # what parse_cookie gives: the last duplicate wins
        if not cookies:
            request.COOKIES = cookies
            return _NOTHING
        now = int(time.time())
        report_only = runtime.report_only
        keyring = runtime.keyring
        # policies.for_name, inlined: one Python call fewer per cookie.
        named, default = runtime.policies.named, runtime.policies.default
        clean: dict[str, str] = {}
        rejected: list[tuple[str, str]] = []
        reissue: Reissue = {}
        unsigned, malformed = cookie_signing.UNSIGNED, cookie_signing.MALFORMED
        signed_prefixes = cookie_signing.SIGNED_PREFIXES
        for name, value in cookies.items():
            must_sign = named.get(name, default).sign
            if not value.startswith(signed_prefixes):  # looks_signed, inlined
                if not must_sign or report_only:
                    clean[name] = value
                # An empty value is how a test client or a browser holds a cookie it was told
                # to delete: nothing to verify and nothing worth a warning.
                if must_sign and value:
                    rejected.append((name, unsigned))
                continue
            # verify's first shape check, without the call: junk is the cheap case.
            result = (
                malformed
                if value.count(".") < 4
                else cookie_signing.verify(keyring, name, value, now)
            )
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
        suspects = cookie_header.duplicated(pairs, len(cookies))
        if disguised:
            suspects.update(disguised)
        if suspects:
            _fail_closed(suspects, disguised, runtime, clean, reissue, rejected)
        request.COOKIES = clean
        if not rejected and not reissue:  # almost every request
            return _NOTHING
        self._report(request, rejected, report_only)
        for name, result in reissue.items():
            old_key_counter.record(result.key.id, name)
        if report_only:
            return _NOTHING
        expire = list(
            islice(
                (n for n, r in rejected if r in _EXPIRE_ON and len(n) <= MAX_COOKIE_BYTES),
                MAX_DELETIONS,
            )
        )
        if not reissue and not expire:
            return _NOTHING
        return Inbound(reissue, expire)

    def _report(
        self, request: HttpRequest, rejected: list[tuple[str, str]], report_only: bool
    ) -> None:
        """Log and signal the first MAX_REPORTED rejections one by one, the rest as one line.

        Every line and signal is work the client chose to cause: a header of junk cookies
        must not buy a log line, a signal and a deletion each.
        """
        for name, reason in rejected[:MAX_REPORTED]:
            # The name is attacker-controlled: %r keeps it on one line, _shown bounds it.
            if report_only:
                logger.warning(
                    "hardsess [report-only]: would reject cookie %r (%s)", _shown(name), reason
                )
            else:
                logger.warning("hardsess: rejected cookie %r (%s)", _shown(name), reason)
            cookie_rejected.send(
                sender=HardSessMiddleware,
                request=request,
                name=name,
                reason=reason,
                report_only=report_only,
            )
        rest = rejected[MAX_REPORTED:]
        if rest:
            counts = Counter(map(itemgetter(1), rest))
            logger.warning(
                "hardsess: %s %d more cookie(s) in this request (%s)",
                "[report-only] would reject" if report_only else "rejected",
                len(rest),
                ", ".join(f"{reason}: {count}" for reason, count in sorted(counts.items())),
            )

    # -- the way out --------------------------------------------------------------------------

    def process_outgoing(
        self, response: HttpResponseBase, runtime: Runtime, inbound: Inbound
    ) -> None:
        """Re-issue old-key cookies, expire rejected ones, then harden (and sign) every cookie."""
        now = int(time.time())
        if "Set-Cookie" in response.headers:
            _take_over_raw_header(response, runtime, now)
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


def _fail_closed(
    suspects: set[str],
    disguised: list[str],
    runtime: Runtime,
    clean: dict[str, str],
    reissue: Reissue,
    rejected: list[tuple[str, str]],
) -> None:
    """Drop the cookies the Cookie header shows tossed: no copy of them is trusted.

    A disguised name (one Django reaches only by stripping what a browser keeps) is dropped
    whatever it is called: no browser sets such a cookie for the name the view would see. A
    name sent twice is dropped when the site trusts it (the session cookie, and every cookie its
    policy signs): Django keeps the last copy, and a sibling domain can choose which is last.
    Duplicates of the site's unsigned cookies (analytics set on two paths, say) pass on as
    Django would read them.
    """
    named, default = runtime.policies.named, runtime.policies.default
    session_name = runtime.session_cookie_name
    dropped: dict[str, str] = {}
    for name in suspects:
        if name in disguised:
            dropped[name] = cookie_signing.DISGUISED
        elif name == session_name or named.get(name, default).sign:
            dropped[name] = cookie_signing.DUPLICATE
    if not dropped:
        return
    rejected.extend(sorted(dropped.items()))
    if not runtime.report_only:
        for name in dropped:
            clean.pop(name, None)
            reissue.pop(name, None)


def _take_over_raw_header(response: HttpResponseBase, runtime: Runtime, now: int) -> None:
    """Bring a ``Set-Cookie`` written straight into ``response.headers`` under the policy.

    Django sends such a header as it is, beside the cookies of ``response.cookies``: no flags,
    no signature. It is parsed and moved into ``response.cookies``, where it is hardened and
    signed like every other cookie. A header that is not exactly one cookie SimpleCookie can
    read (a browser and Python would disagree on what it says) is refused. Neither the header
    nor the value is ever logged, only the cookie's name and the header's size.
    """
    raw = str(response.headers["Set-Cookie"])
    jar: SimpleCookie = SimpleCookie()
    with contextlib.suppress(CookieError):
        jar.load(raw)
    report_only = runtime.report_only
    prefix = "hardsess [report-only]: would" if report_only else "hardsess:"
    if len(jar) != 1:
        logger.error(
            "%s refuse a Set-Cookie header set directly in response.headers: not one cookie "
            "hardsess can read (%d bytes); use response.set_cookie()",
            prefix,
            len(raw),
        )
        if not report_only:
            del response.headers["Set-Cookie"]
        return
    ((name, morsel),) = jar.items()
    if report_only:  # judged and logged like any cookie, nothing changed
        logger.info("%s take over the raw Set-Cookie header of cookie %r", prefix, _shown(name))
        _harden(jar, name, runtime.policies.for_name(name), runtime, now, debug=False)
        return
    del response.headers["Set-Cookie"]
    if name in response.cookies:
        logger.warning(
            "hardsess: dropped the raw Set-Cookie header of cookie %r: response.cookies sets "
            "that cookie too",
            _shown(name),
        )
        return
    logger.info(
        "hardsess: took over the raw Set-Cookie header of cookie %r; use response.set_cookie()",
        _shown(name),
    )
    response.cookies[name] = morsel


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


def _lifetime(morsel: Morsel[str], now: int) -> tuple[int, bool, dict[str, Any], list[str]]:
    """(expiry, deletion, attribute fixes, notes) of a cookie whose Max-Age is not an int.

    The signed expiry and the policy's cap must hold for the date the *browser* reads. A browser
    parses Expires leniently, Django strictly, so a date only the browser understands would
    escape the cap (and outlive the MAC's expiry). Every lifetime therefore leaves in one
    canonical form: Max-Age as an integer, Expires as an RFC 7231 date, or no attribute at all
    when neither parse can read it (the browser then ignores it too: a browser-session cookie,
    the shortest life there is).
    """
    fixes: dict[str, Any] = {}
    notes: list[str] = []
    raw_max_age = morsel["max-age"]
    if raw_max_age != "" and raw_max_age is not None:
        max_age = _max_age(raw_max_age)
        if max_age is not None:
            if str(raw_max_age) != str(max_age):
                fixes["max-age"] = max_age
                notes.append("Max-Age rewritten as an integer")
            return now + max_age, max_age <= 0, fixes, notes
        fixes["max-age"] = ""
        notes.append("unreadable Max-Age removed")
    raw_expires: Any = morsel["expires"]
    if not raw_expires:
        return 0, False, fixes, notes
    expires: int | None
    if isinstance(raw_expires, int) and not isinstance(raw_expires, bool):
        expires = now + raw_expires  # Morsel's own meaning of an int: seconds from now
        fixes["expires"] = http_date(expires)
    else:
        text = str(raw_expires)
        expires = parse_http_date_safe(text)
        if expires is None:
            lenient = http2time(text)
            if lenient is None or not 0 <= lenient < _LAST_HTTP_DATE:
                fixes["expires"] = ""
                notes.append("unreadable Expires removed: a browser-session cookie")
                return 0, False, fixes, notes
            expires = int(lenient)
            fixes["expires"] = http_date(expires)
            notes.append("Expires rewritten as an HTTP date")
    return expires, expires <= now, fixes, notes


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
    if len(name) > cookie_signing.MAX_NAME_CHARACTERS:  # no browser keeps it; cannot be signed
        _refuse(cookies, name, len(name.encode("utf-8", "surrogatepass")), runtime.report_only)
        return

    # What a browser would reject or ignore (logged at WARNING): rare, so built only then.
    fixes: dict[str, Any] = {}
    impossible: list[str] = []
    max_age = morsel["max-age"]
    if type(max_age) is int:  # what Django's set_cookie stores: no parsing then
        expiry = now + max_age
        deletion = max_age <= 0
    elif max_age == "" and not morsel["expires"]:  # a browser-session cookie
        expiry, deletion = 0, False
    else:
        expiry, deletion, fixes, impossible = _lifetime(morsel, now)

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
    if (rank == 0 and not asked_secure) or name[:2] == "__":
        _impossible_combinations(morsel, name, rank, asked_secure, fixes, impossible)
    if not deletion and expiry and expiry - now > policy.max_age:
        cap = {"max-age": policy.max_age, "expires": http_date(now + policy.max_age)}
        expiry = now + policy.max_age
        fixes.pop("max-age", None)  # the cap replaces any rewritten lifetime
        fixes.pop("expires", None)
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
            _shown(name),
            size,
            MAX_COOKIE_BYTES,
        )
        return
    # A browser would drop it silently; refusing it here makes the failure visible.
    del cookies[name]
    logger.error(
        "hardsess: refused cookie %r: name and value are %d bytes, over %d",
        _shown(name),
        size,
        MAX_COOKIE_BYTES,
    )
