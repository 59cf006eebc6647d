"""The way out: every ``Set-Cookie`` the stack produced leaves hardened and signed, or not at all.

In order: a raw ``Set-Cookie`` header is brought under the requirements (or refused); cookies
verified by an old key are re-issued with the primary key; rejected ones are deleted in the
browser; then every cookie of ``response.cookies`` gets the flags its requirements demand,
what browsers would reject is corrected (the catalogue's cookie facts: SameSite=None needs
Secure, the prefix rules, the 400-day cap), and it is signed, or refused when too large.
In development mode (``HARDSESS["DEVELOPMENT"]`` with DEBUG) Secure follows the request's
scheme; in every mode a Secure cookie leaving over plain HTTP is logged once per cookie name.
Contracts: docs/runtime.md, "Outgoing" and "Plain-HTTP development".
"""

from __future__ import annotations

import contextlib
import time
from http.cookies import CookieError, Morsel, SimpleCookie
from logging import DEBUG, ERROR, INFO, WARNING
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import http_date

from hardsess.firewall import observed, signing
from hardsess.firewall.incoming import Inbound, Reissue
from hardsess.firewall.lifetime import canonical_lifetime
from hardsess.firewall.log import OncePerProcess, logger, record, shown
from hardsess.firewall.logout import logged_in_again, logged_out
from hardsess.firewall.partitioned import (
    MORSEL_KNOWS_PARTITIONED,
    PartitionedMorsel,
    partition,
    without_partitioned,
)
from hardsess.firewall.requirements import MAX_MATCHED_NAMES, CookieRequirements
from hardsess.firewall.rule_ids import (
    CROSS_SITE,
    DEFAULT_FLAG_RULES,
    INCOMING,
    LIFETIME,
    PARTITIONED,
    PREFIX,
    RAW_HEADER,
    TOO_LARGE,
)
from hardsess.firewall.snapshot import SettingsSnapshot
from hardsess.policy.cookies import (
    MAX_COOKIE_AGE,
    MAX_COOKIE_BYTES,
    PREFIX_RULES,
    SAMESITE_STRICTNESS,
    prefix_of,
    samesite_none_needs_secure,
)

__all__ = ["PLAIN_HTTP_NAMES", "family_warnings", "harden_response", "plain_http_warnings"]

#: SAMESITE_STRICTNESS of "None": the value whose cookie must be Secure (HS141).
_NONE = SAMESITE_STRICTNESS["none"]

#: What almost every cookie needs corrected, and says about it: nothing. Shared and never
#: written (a fresh dict or list replaces them before the first write), so the common cookie
#: allocates neither, which also spares the garbage collector.
_NO_FIXES: dict[str, Any] = {}
_NO_NOTES: list[tuple[str, str]] = []

#: Cookie names the plain-HTTP warning is written for, at most, in one process. A site sets a
#: handful (deletions, whose names may come from the request, are never reported); the bound
#: keeps a site that names cookies by id (``remember_<uuid>``) from growing memory.
PLAIN_HTTP_NAMES = 64

#: The cookie names the plain-HTTP warning was written for in this process.
plain_http_warnings = OncePerProcess(PLAIN_HTTP_NAMES)


class Plan:
    """What the requirements decide for one outgoing cookie name, resolved once per name.

    Only what the name and its requirements fix: every check that depends on what the view
    set (lifetime, the flags it asked for, the value's size, Partitioned) still runs per cookie.
    """

    __slots__ = (
        "bare",
        "bare_unsecured",
        "family",
        "prefixed",
        "room",
        "samesite",
        "unnamed",
        "wanted",
    )

    def __init__(self, name: str, wanted: CookieRequirements, origin: str | None) -> None:
        self.wanted = wanted
        #: Not given by name (a pattern, a family, "*"): the site's own cookie to remember.
        self.unnamed = origin is not None
        #: The origin when it is a well-known family (warned about once per name), else None.
        self.family = origin if origin is not None and origin[:11] == "well-known:" else None
        #: A name that may carry a prefix (``__Host-``...): judged by the prefix rules.
        self.prefixed = name[:2] == "__"
        #: The longest wire value measured without encoding: (name + value) * 4 bytes at most.
        self.room = MAX_COOKIE_BYTES // 4 - len(name)
        #: What the requirements add to a cookie that asks for no flag, with and without
        #: Secure (which also depends on the scheme); copied before use.
        flags: dict[str, Any] = {}
        if wanted.samesite is not None:
            flags["samesite"] = wanted.samesite
        unsecured = dict(flags)
        if wanted.secure:
            flags["secure"] = True
        if wanted.httponly:
            flags["httponly"] = unsecured["httponly"] = True
        self.bare = flags
        self.bare_unsecured = unsecured
        #: The SameSite such a cookie leaves with ("" when the requirements set none).
        self.samesite = wanted.samesite if wanted.samesite is not None else ""


def plan_for(snapshot: SettingsSnapshot, name: str) -> Plan:
    """The outgoing plan of cookie ``name``, remembered for at most MAX_MATCHED_NAMES names
    (names can come from views: a site that names cookies by id must not grow memory)."""
    requirements = snapshot.requirements
    given = requirements.named.get(name)
    if given is None:
        given, origin = requirements.match(name)
        found = Plan(name, given, origin)
    else:
        found = Plan(name, given, None)
    plans = snapshot.plans
    if len(plans) < MAX_MATCHED_NAMES:
        plans[name] = found
    return found


def harden_response(
    response: HttpResponseBase,
    snapshot: SettingsSnapshot,
    inbound: Inbound,
    request: HttpRequest | None = None,
) -> None:
    """Re-issue old-key cookies, expire rejected ones, then harden (and sign) every cookie.

    ``request`` gives the scheme (``request.is_secure()``, which honours
    SECURE_PROXY_SSL_HEADER): over plain HTTP, development mode leaves Secure off and every mode
    warns about a Secure cookie the browser will drop. Without it the scheme is unknown: Secure
    is added as the requirements say and nothing is said about the scheme.
    """
    now = int(time.time())
    # Django's ResponseHeaders keeps lowercased names in ``_store``: looking there skips
    # Mapping.__contains__ and the KeyError it raises and catches for a header that is absent,
    # which it is on almost every response. Any other mapping is asked the ordinary way.
    headers = response.headers
    store = getattr(headers, "_store", None)
    if ("set-cookie" in store) if type(store) is dict else ("Set-Cookie" in headers):
        plain = _plain_http(request)
        _take_over_raw_header(response, snapshot, now, plain, plain and _from_a_browser(request))
    if inbound.reissue:
        _reissue(response, snapshot, inbound.reissue, now)
    for name in inbound.expire:
        if name not in response.cookies:  # unless the view set a fresh one
            wanted = snapshot.requirements.for_name(name)
            # The Cookie header may carry names no Set-Cookie can ("a,b", "path"):
            # a bad cookie must never become a 500.
            with contextlib.suppress(CookieError):
                response.delete_cookie(name, path=wanted.path, domain=wanted.domain)
    if snapshot.on_logout is not None and logged_out(request):
        _clear_on_logout(response, snapshot, logged_in_again(request))
    cookies = response.cookies
    if not cookies:
        return
    requirements = snapshot.requirements
    plans = snapshot.plans
    debug = logger.isEnabledFor(DEBUG)  # once per response, not once per cookie
    # _plain_http and _from_a_browser, inlined (two calls fewer per response).
    if request is None:
        plain_http = warn = False
    else:
        plain_http = not request.is_secure()
        warn = plain_http and "HTTP_HOST" in request.META
    site_names, site_set = observed.site_names, observed.site_set
    # The wire value hardsess's signed-cookie engine signed in this request: sent as it is.
    engine_cookie = snapshot.engine_session_cookie
    engine_wire = (
        getattr(getattr(request, "session", None), "hardsess_wire", None)
        if engine_cookie is not None
        else None
    )
    for name in list(cookies):
        plan = plans.get(name)
        if plan is None:
            plan = plan_for(snapshot, name)
        # A name the policy does not give: remember that the site sets it, so that an
        # unsigned copy arriving later is the site's own, not a foreign cookie. Not for a
        # deletion: the firewall deletes rejected cookies by the name the client chose.
        if plan.unnamed and cookies[name].value:
            if name not in site_names:
                site_set(name)
            if plan.family is not None:
                _warn_family(name, plan.family)
        presigned = engine_wire if name == engine_cookie else None
        _harden(cookies, name, plan.wanted, snapshot, now, debug, plain_http, warn, presigned, plan)
    if snapshot.observing:
        observed.outgoing(requirements, cookies)


def _clear_on_logout(
    response: HttpResponseBase, snapshot: SettingsSnapshot, again: bool = False
) -> None:
    """The logout response clears what ``HARDSESS["ON_LOGOUT"]`` says (firewall/logout.py):
    the ``Clear-Site-Data`` header, and a deletion of each listed cookie the response does not
    set itself (with the path, domain and Partitioned of its requirements, added below).
    ``again``: a user logged in after the logout; the header would wipe the new session."""
    clearing = snapshot.on_logout
    assert clearing is not None
    if snapshot.report_only:  # changes nothing; clearing is no correction to report
        return
    if clearing.header is not None and not again and "Clear-Site-Data" not in response.headers:
        response.headers["Clear-Site-Data"] = clearing.header
    for name in clearing.expire:
        if name not in response.cookies:
            wanted = snapshot.requirements.for_name(name)
            with contextlib.suppress(CookieError):
                response.delete_cookie(name, path=wanted.path, domain=wanted.domain)


#: The cookie names the well-known-family warning was written for in this process.
family_warnings = OncePerProcess(PLAIN_HTTP_NAMES)


def _warn_family(name: str, origin: str) -> None:
    """The site sets a cookie whose name is in a well-known family: it leaves unsigned and
    readable by scripts. Right for the analytics tag's own cookie set server-side; a surprise
    for a site cookie that happens to share the name. Said once per name."""
    if family_warnings.first(name):
        record(
            WARNING,
            INCOMING,  # HS203: a cookie the site reads back is signed; this one will not be
            False,
            "cookie %r leaves unsigned and readable by JavaScript: its name is in the %s "
            "family (docs/runtime.md, 'Which requirements a cookie gets'); give it an entry in "
            "HARDSESS['COOKIES'] to have it signed; logged once per name",
            shown(name),
            origin.removeprefix("well-known: "),
        )


def _plain_http(request: HttpRequest | None) -> bool:
    """Whether the response goes over plain HTTP, as Django sees the request's scheme."""
    return request is not None and not request.is_secure()


def _from_a_browser(request: HttpRequest | None) -> bool:
    """Whether the request carries a Host header, as every browser's does (HTTP/1.1 requires
    it; ASGI servers map HTTP/2's ``:authority`` to it). Django's test client and
    RequestFactory send none unless told to: the plain-HTTP warning is about what a browser
    does, and must not add a line to every test suite that uses the test client."""
    return request is not None and "HTTP_HOST" in request.META


def _take_over_raw_header(
    response: HttpResponseBase,
    snapshot: SettingsSnapshot,
    now: int,
    plain_http: bool,
    warn: bool,
) -> None:
    """Bring a ``Set-Cookie`` written straight into ``response.headers`` under the requirements.

    Django sends such a header as it is, beside the cookies of ``response.cookies``: no flags,
    no signature. It is parsed and moved into ``response.cookies``, where it is hardened and
    signed like every other cookie. A header that is not exactly one cookie SimpleCookie can
    read (a browser and Python would disagree on what it says) is refused. Neither the header
    nor the value is ever logged, only the cookie's name and the header's size.
    """
    raw = str(response.headers["Set-Cookie"])
    # A raw header is how sites write Partitioned today; SimpleCookie reads it from 3.14 only.
    readable, partitioned = without_partitioned(raw)
    jar: SimpleCookie = SimpleCookie()
    with contextlib.suppress(CookieError):
        jar.load(readable)
    report_only = snapshot.report_only
    if len(jar) != 1:
        record(
            ERROR,
            RAW_HEADER,
            report_only,
            "%s a Set-Cookie header set directly in response.headers: not one cookie "
            "hardsess can read (%d bytes); use response.set_cookie()",
            "would refuse" if report_only else "refuse",
            len(raw),
        )
        if not report_only:
            del response.headers["Set-Cookie"]
        return
    ((name, morsel),) = jar.items()
    if partitioned:
        partition(jar, name)
        morsel = jar[name]
    if report_only:  # judged and logged like any cookie, nothing changed
        record(
            INFO,
            RAW_HEADER,
            True,
            "would take over the raw Set-Cookie header of cookie %r",
            shown(name),
        )
        _harden(
            jar, name, snapshot.requirements.for_name(name), snapshot, now, False, plain_http, warn
        )
        return
    del response.headers["Set-Cookie"]
    if name in response.cookies:
        record(
            WARNING,
            RAW_HEADER,
            False,
            "dropped the raw Set-Cookie header of cookie %r: response.cookies sets that cookie too",
            shown(name),
        )
        return
    record(
        INFO,
        RAW_HEADER,
        False,
        "took over the raw Set-Cookie header of cookie %r; use response.set_cookie()",
        shown(name),
    )
    response.cookies[name] = morsel


def _reissue(
    response: HttpResponseBase, snapshot: SettingsSnapshot, reissue: Reissue, now: int
) -> None:
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
            **snapshot.requirements.reissue_attributes(name),
        )


def _harden(
    cookies: SimpleCookie,
    name: str,
    wanted: CookieRequirements,
    snapshot: SettingsSnapshot,
    now: int,
    debug: bool,
    plain_http: bool,
    warn: bool,
    presigned: str | None = None,
    plan: Plan | None = None,
) -> None:
    """Bring one outgoing cookie in line with its requirements, sign it, or refuse it.

    Runs for every cookie of every response, so it is written for the common case (a cookie
    that needs its flags and a signature): a handful of dictionary reads, one MAC, one small dict
    of what the requirements add, and log messages built only when a line will be written.
    ``plain_http``: the response goes over http:// (see :func:`_plain_http`); ``warn``: and to
    a browser, so a Secure cookie is worth the once-per-name warning (deletions never are).
    ``presigned``: the value hardsess's signed-cookie engine signed for this cookie in this
    request; a cookie with exactly that value is already in the wire format and is not signed
    again (every other rule still applies). ``plan``: :func:`plan_for` of ``name`` (built here
    when not given).
    """
    if plan is None:
        plan = Plan(name, wanted, None)
    morsel = cookies[name]
    if len(name) > signing.MAX_NAME_CHARACTERS:  # no browser keeps it; cannot be signed
        _refuse(cookies, name, len(name.encode("utf-8", "surrogatepass")), snapshot.report_only)
        return

    # What a browser would reject or ignore (logged at WARNING): rare, so built only then.
    # Each note is (rule ID, what was done).
    fixes = _NO_FIXES
    impossible = _NO_NOTES
    max_age = morsel["max-age"]
    if type(max_age) is int:  # what Django's set_cookie stores: no parsing then
        expiry = now + max_age
        deletion = max_age <= 0
    elif max_age == "" and not morsel["expires"]:  # a browser-session cookie
        expiry, deletion = 0, False
    else:
        expiry, deletion, fixes, rewrites = canonical_lifetime(morsel, now)
        impossible = [(LIFETIME, note) for note in rewrites]

    # What the requirements add (logged at DEBUG); its keys are the attributes (see _describe).
    samesite = morsel["samesite"]
    # Impossible combinations are judged on what the site asked for: the requirements adding
    # Secure to everything must not hide that a cookie was written in a way browsers reject.
    asked_secure = bool(morsel["secure"])
    # Development mode over plain HTTP: Secure follows the scheme, so the requirements add none
    # and the site's own is taken off below (a browser drops a Secure cookie from http://).
    relaxed = plain_http and snapshot.development
    # Django's test servers in transparent mode get no Secure the site did not ask for over
    # plain HTTP either (a requests-based test client would not send it back), but keep the
    # site's own, as they would without hardsess.
    add_secure = not relaxed and not (plain_http and snapshot.transparent)
    required: dict[str, Any]
    if not samesite and not asked_secure and not morsel["httponly"]:
        # The view asked for no flag (set_cookie's defaults): what the requirements add is
        # the plan's, resolved once for this name.
        # The plan's own dict, never written: the cap below makes a new one.
        required = plan.bare if add_secure else plan.bare_unsecured
        samesite = plan.samesite
        strictness = wanted.samesite_strictness
    else:
        required = {}
        strictness = SAMESITE_STRICTNESS.get(str(samesite).lower(), -1) if samesite else -1
        if strictness < wanted.samesite_strictness:
            samesite = required["samesite"] = wanted.samesite
            strictness = wanted.samesite_strictness
        if wanted.secure and not asked_secure and add_secure:
            required["secure"] = True
        if wanted.httponly and not morsel["httponly"]:
            required["httponly"] = True
    # The gate of _impossible_combinations, inline: SameSite=None without Secure, or a name
    # that may carry a prefix. The catalogue's facts decide inside.
    if (strictness == _NONE and not asked_secure) or plan.prefixed:
        httponly = bool(morsel["httponly"]) or "httponly" in required
        if fixes is _NO_FIXES:
            fixes = {}
        if impossible is _NO_NOTES:
            impossible = []
        _impossible_combinations(morsel, name, samesite, asked_secure, httponly, fixes, impossible)
    # Partitioned (CHIPS) is void without Secure: the policy asking for both Partitioned and
    # no Secure is corrected, as is a Partitioned cookie development mode would relax.
    # is_partitioned, inlined: one call fewer per cookie.
    partitioned = (
        wanted.partitioned
        or isinstance(morsel, PartitionedMorsel)
        or (MORSEL_KNOWS_PARTITIONED and bool(dict.get(morsel, "partitioned")))
    )
    if partitioned and not asked_secure and "secure" not in required and "secure" not in fixes:
        fixes = {**fixes, "secure": True}
        impossible = [*impossible, (PARTITIONED, "Partitioned without Secure: Secure added")]
    if not deletion and expiry and expiry - now > wanted.max_age:
        cap = {"max-age": wanted.max_age, "expires": http_date(now + wanted.max_age)}
        expiry = now + wanted.max_age
        # The cap replaces any rewritten lifetime.
        fixes = {k: v for k, v in fixes.items() if k != "max-age" and k != "expires"}
        if wanted.max_age == MAX_COOKIE_AGE:
            fixes.update(cap)
            impossible = [*impossible, (LIFETIME, f"lifetime capped at {wanted.max_age} s")]
        else:
            required = {**required, **cap}

    signed: str | None = None
    # Morsel.value is a property: read once.
    if wanted.sign and not snapshot.transparent and not deletion:
        value = morsel.value
        if value != presigned:
            signed = signing.sign(snapshot.keyring.primary, name, value, expiry)
    wire_value = signed if signed is not None else morsel.coded_value
    # A character is at most 4 bytes in UTF-8: short cookies need no encoding to be measured.
    if len(wire_value) > plan.room:  # (len(name) + len(wire_value)) * 4 > MAX_COOKIE_BYTES
        size = len(name.encode("utf-8", "surrogatepass")) + len(
            wire_value.encode("utf-8", "surrogatepass")
        )
        if size > MAX_COOKIE_BYTES:
            _refuse(cookies, name, size, snapshot.report_only)
            return

    if snapshot.report_only:
        if required or impossible:
            notes = _describe(required, wanted, snapshot, name) + impossible
            _log_corrections(WARNING, True, "would correct cookie %r: %s", "; ", name, notes)
        if warn and asked_secure and not deletion:  # leaves as written: Secure, over http://
            _warn_plain_http(name, snapshot)
        return
    # Morsel.update would re-validate attribute names, all of which are ours.
    dict.update(morsel, required)
    if fixes:
        dict.update(morsel, fixes)
    # A __Host- / __Secure- name and SameSite=None are void without Secure: they keep it (and
    # the browser drops them over http://, which the warning below says); the rest lose it.
    if (
        relaxed
        and asked_secure
        and name[:2] != "__"
        and not partitioned
        and not samesite_none_needs_secure(samesite, False)
    ):
        dict.__setitem__(morsel, "secure", "")
    if warn and not deletion and morsel["secure"]:
        _warn_plain_http(name, snapshot)
    if signed is not None:
        # Signed values only hold SimpleCookie-safe characters: coded value == value.
        # Morsel.set re-validates the key (a regular expression) that the morsel already
        # carries: when it is this cookie's own name, only the value is replaced.
        # (Morsel has no __slots__; a key that is this name was set with its value.)
        attributes = morsel.__dict__
        if attributes.get("_key") == name:
            attributes["_value"] = attributes["_coded_value"] = signed
        else:
            morsel.set(name, signed, signed)
    if partitioned:  # last: on Python before 3.14 the morsel is replaced (partitioned.py)
        partition(cookies, name)
    if impossible:
        notes = impossible + _describe(required, wanted, snapshot, name)
        _log_corrections(WARNING, False, "corrected cookie %r: %s", "; ", name, notes)
    elif required and debug:
        notes = _describe(required, wanted, snapshot, name)
        _log_corrections(DEBUG, False, "cookie %r given %s", ", ", name, notes)


def _warn_plain_http(name: str, snapshot: SettingsSnapshot) -> None:
    """Say, once per process per cookie name, that a Secure cookie leaves over plain HTTP.

    The browser will not store it (only http://localhost is exempt), so it never comes back:
    a CSRF cookie lost this way fails every form POST with Django's CSRF 403, and nothing else
    would say why. The rule is the cookie's own Secure rule (HS101 session, HS111 CSRF, HS201
    any other). The name is shown bounded; the value never.
    """
    if not plain_http_warnings.first(name):
        return
    rule = snapshot.requirements.flag_rules.get(name, DEFAULT_FLAG_RULES)["secure"]
    if snapshot.development and not snapshot.report_only:
        # Development mode already took Secure off what it could: this one must keep it.
        why = (
            "a __Host-/__Secure- prefixed name or an __Http- one"
            if prefix_of(name) is not None
            else "SameSite=None or Partitioned"
        )
        record(
            WARNING,
            rule,
            snapshot.report_only,
            "cookie %r keeps Secure over plain HTTP even in development mode (%s is void "
            "without Secure): the browser will not store it or send it back over http://; "
            "serve this host over HTTPS, or give the cookie another name or SameSite in "
            "development (logged once per cookie name)",
            shown(name),
            why,
        )
        return
    record(
        WARNING,
        rule,
        snapshot.report_only,
        "cookie %r is Secure but this response goes over plain HTTP: the browser will not "
        "store it or send it back over http:// (only localhost is exempt); serve the site "
        "over HTTPS, behind a TLS proxy set SECURE_PROXY_SSL_HEADER, or for local "
        "development set HARDSESS['DEVELOPMENT'] = True with DEBUG = True (docs/runtime.md, "
        "'Plain-HTTP development'; logged once per cookie name)",
        shown(name),
    )


def _impossible_combinations(
    morsel: Morsel[str],
    name: str,
    samesite: Any,
    asked_secure: bool,
    httponly: bool,
    fixes: dict[str, Any],
    notes: list[tuple[str, str]],
) -> None:
    """Fix what browsers reject: SameSite=None without Secure (HS141), broken prefixes (HS106:
    ``__Host-``, ``__Secure-``, ``__Http-``, ``__Host-Http-``).

    ``samesite`` is the SameSite value the cookie leaves with; ``asked_secure`` whether the
    site itself asked for Secure; ``httponly`` whether the cookie leaves HttpOnly (asked for or
    required: Django's ``delete_cookie`` never asks, and a deletion must not be noise).
    """
    if samesite_none_needs_secure(samesite, asked_secure):
        fixes["secure"] = True
        notes.append((CROSS_SITE, "SameSite=None without Secure: Secure added"))
    prefix = prefix_of(name)
    if prefix is None:
        return
    demands = PREFIX_RULES[prefix]
    if demands.secure and not asked_secure:
        fixes["secure"] = True
        notes.append((PREFIX, f"{prefix} without Secure: Secure added"))
    if demands.root_path and morsel["path"] != "/":
        fixes["path"] = "/"
        notes.append((PREFIX, f"{prefix} with a Path other than /: Path=/"))
    if demands.host_only and morsel["domain"]:
        fixes["domain"] = ""
        notes.append((PREFIX, f"{prefix} with a Domain: Domain removed"))
    if demands.httponly and not httponly:
        # Even for a cookie exempt from HttpOnly (the CSRF cookie JavaScript reads): without it
        # the browser drops the cookie, so no script could read it anyway.
        fixes["httponly"] = True
        notes.append((PREFIX, f"{prefix} without HttpOnly: HttpOnly added"))


_DESCRIPTIONS = {"secure": "Secure", "httponly": "HttpOnly"}


def _describe(
    required: dict[str, Any], wanted: CookieRequirements, snapshot: SettingsSnapshot, name: str
) -> list[tuple[str, str]]:
    """(rule ID, description) of each attribute the requirements added to cookie ``name``.

    A flag answers to the cookie's own rule where the catalogue has one (the session cookie's
    Secure: HS101), else to HS201; a lifetime cap to HS202.
    """
    flag_rules = snapshot.requirements.flag_rules.get(name, DEFAULT_FLAG_RULES)
    described = []
    for attribute in required:
        if attribute == "samesite":
            described.append((flag_rules["samesite"], f"SameSite={wanted.samesite}"))
        elif attribute == "max-age":
            described.append((LIFETIME, f"lifetime capped at {wanted.max_age} s"))
        elif attribute in _DESCRIPTIONS:
            described.append((flag_rules[attribute], _DESCRIPTIONS[attribute]))
    return described


def _log_corrections(
    level: int,
    report_only: bool,
    message: str,
    separator: str,
    name: str,
    notes: list[tuple[str, str]],
) -> None:
    """One record per rule ID among ``notes`` (in the order the IDs first appear), each
    ``message % (name, the rule's notes joined by separator)``."""
    by_rule: dict[str, list[str]] = {}
    for rule, note in notes:
        by_rule.setdefault(rule, []).append(note)
    for rule, texts in by_rule.items():
        record(level, rule, report_only, message, name, separator.join(texts))


def _refuse(cookies: SimpleCookie, name: str, size: int, report_only: bool) -> None:
    """Refuse cookie ``name``: ``size`` bytes of name and value are more than a browser keeps
    (HS204); in report-only mode, say so and send it anyway."""
    if report_only:
        record(
            WARNING,
            TOO_LARGE,
            True,
            "would refuse cookie %r: %d bytes, over %d",
            shown(name),
            size,
            MAX_COOKIE_BYTES,
        )
        return
    # A browser would drop it silently; refusing it here makes the failure visible.
    del cookies[name]
    record(
        ERROR,
        TOO_LARGE,
        False,
        "refused cookie %r: name and value are %d bytes, over %d",
        shown(name),
        size,
        MAX_COOKIE_BYTES,
    )
