"""The way in: replace ``request.COOKIES`` by verified original values before anything reads it.

Every cookie whose requirements sign it is verified (:func:`hardsess.firewall.signing.verify`);
one that fails is removed, logged and signalled (``cookie_rejected``), and, when forged or
stale, named for deletion on the way out. Cookies tossed by a sibling domain fail closed.
Every rejection answers to HS203 (a cookie the site reads back must be signed: the firewall is
that rule's runtime remedy). Contracts: docs/runtime.md, "Incoming".
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from logging import INFO, WARNING
from typing import Any

from django.http import HttpRequest

from hardsess.backends.signed_cookies import VerifiedPayload
from hardsess.firewall import header as cookie_header
from hardsess.firewall import observed, signing
from hardsess.firewall.log import OncePerProcess, record, shown
from hardsess.firewall.rule_ids import INCOMING
from hardsess.firewall.snapshot import SettingsSnapshot
from hardsess.keyring import old_key_counter
from hardsess.policy.cookies import MAX_COOKIE_BYTES
from hardsess.signals import cookie_rejected

__all__ = [
    "MAX_DELETIONS",
    "MAX_REPORTED",
    "NOTHING",
    "Inbound",
    "Reissue",
    "verify_header",
    "verify_request",
]

#: Cookies verified by a non-primary key, to be re-issued: name -> verification result.
Reissue = dict[str, signing.Verified]

#: Rejections after which the browser is told to drop the cookie. Not "unsigned" (JavaScript
#: may have set it) and not "duplicate" (deleting one copy would leave the tossed one alone).
_EXPIRE_ON = frozenset(
    {
        signing.MALFORMED,
        signing.UNKNOWN_KEY,
        signing.RETIRED_KEY,
        signing.BAD_SIGNATURE,
        signing.EXPIRED,
    }
)

#: Rejections per request logged and signalled one by one; the rest are counted in one line.
MAX_REPORTED = 8
#: Deletion ``Set-Cookie`` headers per request for rejected cookies. Eight covers what a browser
#: holds after a key is retired (session, messages, a few of the site's own); more are deleted
#: by the requests that follow, eight at a time. Names are at most MAX_COOKIE_BYTES and come
#: from the request's own header: a response never carries more deletion bytes than the
#: request brought, plus eight short attribute strings.
MAX_DELETIONS = 8


@dataclass(slots=True)
class Inbound:
    """What the way in leaves for the way out."""

    #: Cookies verified by a non-primary key: re-issued with the primary key.
    reissue: Reissue = field(default_factory=dict)
    #: Cookies rejected as forged or stale: the browser is told to delete them.
    expire: list[str] = field(default_factory=list)


#: The way in of almost every request: nothing to re-issue, nothing to expire.
NOTHING = Inbound()

#: What _verify finds in almost every request: no rejection, nothing to re-issue. Shared and
#: never written (a fresh list or dict replaces them before the first write): the common
#: request allocates neither.
_NO_REJECTIONS: list[tuple[str, str]] = []
_NO_REISSUE: Reissue = {}


def verify_request(request: HttpRequest, snapshot: SettingsSnapshot, sender: type) -> Inbound:
    """Replace ``request.COOKIES`` by verified original values; say what to re-issue.

    The cookies are read from the header string Django itself parses (see
    :mod:`hardsess.firewall.header`): the names judged here are the names the view sees.
    ``sender`` is the ``cookie_rejected`` signal's sender (the middleware class, which
    imports this module, so it is passed in rather than imported back).
    """
    header = cookie_header.header_of(request)
    if header is None:  # a request built by hand: its COOKIES are all there is
        pairs, disguised = list(request.COOKIES.items()), list[str]()
    elif not header:
        request.COOKIES = {}
        return NOTHING
    else:
        pairs, disguised = cookie_header.pairs_of(header)
    cookies = dict(pairs)  # what parse_cookie gives: the last duplicate wins
    if not cookies:
        request.COOKIES = cookies
        return NOTHING
    clean, rejected, reissue = _verify(pairs, disguised, cookies, snapshot)
    request.COOKIES = clean
    if not rejected and not reissue:  # almost every request
        return NOTHING
    report_only = snapshot.report_only
    _report(request, sender, rejected, report_only)
    for name, result in reissue.items():
        old_key_counter.record(result.key.id, name)
    if report_only:
        return NOTHING
    expire = list(
        islice(
            (n for n, r in rejected if r in _EXPIRE_ON and len(n) <= MAX_COOKIE_BYTES),
            MAX_DELETIONS,
        )
    )
    if not reissue and not expire:
        return NOTHING
    return Inbound(reissue, expire)


def verify_header(
    header: str, snapshot: SettingsSnapshot, sender: type, scope: Mapping[str, Any]
) -> dict[str, str]:
    """The verified original values of a Cookie ``header`` that reaches no ``HttpRequest``
    (an ASGI WebSocket scope: :mod:`hardsess.asgi`).

    The same parse and verification as :func:`verify_request`, the same rejections logged and
    signalled (``cookie_rejected`` with ``request=None`` and ``scope``). Nothing can be
    re-issued or expired without a response to carry it: a cookie verified by a non-primary
    key is accepted and counted, and re-issued by the next HTTP response.
    """
    if not header:
        return {}
    pairs, disguised = cookie_header.pairs_of(header)
    cookies = dict(pairs)
    if not cookies:
        return cookies
    clean, rejected, reissue = _verify(pairs, disguised, cookies, snapshot)
    if rejected:
        _report(None, sender, rejected, snapshot.report_only, scope)
    for name, result in reissue.items():
        old_key_counter.record(result.key.id, name)
    return clean


def _verify(
    pairs: list[tuple[str, str]],
    disguised: list[str],
    cookies: dict[str, str],
    snapshot: SettingsSnapshot,
) -> tuple[dict[str, str], list[tuple[str, str]], Reissue]:
    """The verified cookies of one Cookie header, what was rejected, what to re-issue.

    ``pairs`` and ``disguised`` as :func:`hardsess.firewall.header.pairs_of` gives them;
    ``cookies`` is ``dict(pairs)``, not empty. Shared by the HTTP firewall and the ASGI one
    (:mod:`hardsess.asgi`): one verification for every protocol.
    """
    now = int(time.time())
    report_only = snapshot.report_only
    keyring = snapshot.keyring
    # requirements.for_name, inlined: one Python call fewer per cookie.
    requirements = snapshot.requirements
    named, match, default = requirements.named, requirements.match, requirements.default
    clean: dict[str, str] = {}
    rejected = _NO_REJECTIONS
    reissue = _NO_REISSUE
    unsigned, foreign, malformed = signing.UNSIGNED, signing.FOREIGN, signing.MALFORMED
    signed_prefixes = signing.SIGNED_PREFIXES
    # Django's test servers in transparent mode take unsigned values as they are, silently.
    signing_on = not snapshot.transparent
    # The session cookie of hardsess's signed-cookie engine (None otherwise): verified here as
    # any signed cookie, handed on marked as verified; an unsigned one is Django's engine's
    # (migration) and goes to the engine, whose check of Django's signature decides.
    engine_cookie = snapshot.engine_session_cookie
    for name, value in cookies.items():
        wanted = named.get(name)
        if wanted is None:
            wanted = match(name)[0]
        must_sign = wanted.sign
        if not value.startswith(signed_prefixes):  # looks_signed, inlined
            if name == engine_cookie:
                clean[name] = value
                continue
            if not must_sign or report_only or not signing_on:
                clean[name] = value
            # An empty value is how a test client or a browser holds a cookie it was told
            # to delete: nothing to verify and nothing worth a warning.
            if must_sign and value and signing_on:
                # Unsigned under "*" and never seen leaving this site: JavaScript's or another
                # service's (foreign). Otherwise the site's own, forged or from before hardsess.
                # The label only picks the log line: either way the view never sees it.
                is_foreign = wanted is default and not observed.site_sets(name)
                if rejected is _NO_REJECTIONS:
                    rejected = []
                rejected.append((name, foreign if is_foreign else unsigned))
            continue
        # verify's first shape check, without the call: junk is the cheap case.
        result = malformed if value.count(".") < 4 else signing.verify(keyring, name, value, now)
        if isinstance(result, str):
            # An exempt cookie that only looks signed is passed on as it came.
            if must_sign:
                if rejected is _NO_REJECTIONS:
                    rejected = []
                rejected.append((name, result))
            if report_only or not must_sign:
                clean[name] = value
            continue
        if name == engine_cookie:
            payload = VerifiedPayload(result.value)
            payload.verified = result
            clean[name] = payload
        else:
            clean[name] = result.value
        if result.key is not keyring.primary:  # not .is_primary: a property call per cookie
            if reissue is _NO_REISSUE:
                reissue = {}
            reissue[name] = result
    suspects = cookie_header.duplicated(pairs, len(cookies))
    if disguised:
        suspects = suspects | set(disguised)
    if suspects:
        if rejected is _NO_REJECTIONS:
            rejected = []
        _fail_closed(suspects, disguised, snapshot, clean, reissue, rejected)
    if snapshot.observing:
        observed.incoming(requirements, cookies, rejected, reissue)
    return clean, rejected, reissue


def _fail_closed(
    suspects: frozenset[str] | set[str],
    disguised: list[str],
    snapshot: SettingsSnapshot,
    clean: dict[str, str],
    reissue: Reissue,
    rejected: list[tuple[str, str]],
) -> None:
    """Drop the cookies the Cookie header shows tossed: no copy of them is trusted.

    A disguised name (one Django reaches only by stripping what a browser keeps) is dropped
    whatever it is called: no browser sets such a cookie for the name the view would see. A
    name sent twice is dropped when the site trusts it (the session cookie, and every cookie its
    requirements sign): Django keeps the last copy, and a sibling domain can choose which is
    last. Duplicates of the site's unsigned cookies (analytics set on two paths, say) pass on
    as Django would read them.
    """
    for_name = snapshot.requirements.for_name
    session_name = snapshot.session_cookie_name
    dropped: dict[str, str] = {}
    for name in suspects:
        if name in disguised:
            dropped[name] = signing.DISGUISED
        elif name == session_name or for_name(name).sign:
            dropped[name] = signing.DUPLICATE
    if not dropped:
        return
    rejected.extend(sorted(dropped.items()))
    if not snapshot.report_only:
        for name in dropped:
            clean.pop(name, None)
            reissue.pop(name, None)


def _report(
    request: HttpRequest | None,
    sender: type,
    rejected: list[tuple[str, str]],
    report_only: bool,
    scope: Mapping[str, Any] | None = None,
) -> None:
    """Log and signal the first MAX_REPORTED rejections one by one, the rest as one line.

    Every line and signal is work the client chose to cause: a header of junk cookies
    must not buy a log line, a signal and a deletion each. Foreign cookies, and in
    report-only the site's own arriving unsigned, describe the site rather than the request:
    they are logged once per name (:func:`_report_once`) and left out of the count line.
    """
    for name, reason in rejected[:MAX_REPORTED]:
        # The name is attacker-controlled: %r keeps it on one line, shown bounds it.
        if _quiet(reason, report_only):
            _report_once(name, reason, report_only)
        elif report_only:
            record(WARNING, INCOMING, True, "would reject cookie %r (%s)", shown(name), reason)
        else:
            record(WARNING, INCOMING, False, "rejected cookie %r (%s)", shown(name), reason)
        extra = {} if scope is None else {"scope": scope}
        cookie_rejected.send(
            sender=sender,
            request=request,
            name=name,
            reason=reason,
            rule_id=INCOMING,
            report_only=report_only,
            **extra,
        )
    rest = [reason for _, reason in rejected[MAX_REPORTED:] if not _quiet(reason, report_only)]
    if rest:
        counts = Counter(rest)
        record(
            WARNING,
            INCOMING,
            report_only,
            "%s %d more cookie(s) in this request (%s)",
            "would reject" if report_only else "rejected",
            len(rest),
            ", ".join(f"{reason}: {count}" for reason, count in sorted(counts.items())),
        )


def _quiet(reason: str, report_only: bool) -> bool:
    return reason == signing.FOREIGN or (report_only and reason == signing.UNSIGNED)


#: Names the once-per-name lines below were written for in this process (bounded, as the
#: plain-HTTP warning's are: a client can invent names).
once_per_name = OncePerProcess(64)


def _report_once(name: str, reason: str, report_only: bool) -> None:
    """The lines that describe a cookie rather than a request, written once per name.

    A foreign cookie (analytics, consent, a script's UI state) arrives on every request of
    every visitor; in report-only every cookie of the site's own does, unsigned, until
    enforcement signs it. The first line is the news: the rest is counted by the observations
    (``manage.py hardsess cookies``), not logged.
    """
    if not once_per_name.first(f"{reason}:{name}"):
        return
    if reason == signing.FOREIGN:
        record(
            WARNING if report_only else INFO,
            INCOMING,
            report_only,
            "%s foreign cookie %r from request.COOKIES: unsigned, and no entry of "
            "HARDSESS['COOKIES'] names it (JavaScript or another service sets it); give it "
            "one with 'sign': False if the site's code reads it (docs/adopting.md#foreign-cookies)"
            "; logged once per name",
            "would drop" if report_only else "dropped",
            shown(name),
        )
    else:
        record(
            INFO,
            INCOMING,
            True,
            "cookie %r arrives unsigned: the site's own, signed from enforcement on; "
            "logged once per name",
            shown(name),
        )
