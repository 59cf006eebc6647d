"""What this process has seen of each cookie: the firewall's half of a guided rollout.

Two things, kept apart by cost:

* **Which names the site sets** (:func:`site_set`, :func:`site_sets`), always: a name no entry
  of the policy gives that this process has seen leave in a ``Set-Cookie`` is the site's own, so
  an unsigned copy arriving is logged as the site's (forged, or from before hardsess) and not as
  a foreign cookie. Only what is logged depends on it, never what is accepted. One set lookup
  per outgoing cookie the policy does not name, at most SITE_NAMES names.
* **Observations** (:func:`incoming`, :func:`outgoing`), only while ``snapshot.observing``
  (report-only, by default): per cookie name, how often the site set it, and how it arrived
  (signed, unsigned, exempt from signing, rejected). Every ``INTERVAL`` seconds a background
  thread writes this process's totals to the fleet store (:mod:`hardsess.fleet`), and
  ``manage.py hardsess cookies`` adds up the fleet's.

Names are the client's choosing, so both are bounded: a name is cut to 64 characters and ids in
it are folded into ``*`` (``remember-cookie_3f2a...`` is ``remember-cookie_*``, which is also the
pattern a policy would give it); past MAX_SHAPES distinct shapes, names seen only once are
folded into one entry (OTHER) to make room, and when none is left the rest are counted there.
Values are never kept.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from http.cookies import SimpleCookie
from typing import Any

from hardsess.firewall import signing
from hardsess.firewall.log import shown
from hardsess.firewall.requirements import RequirementsResolver

__all__ = [
    "KINDS",
    "MAX_SHAPES",
    "NEW_PER_MESSAGE",
    "OTHER",
    "SITE_NAMES",
    "incoming",
    "outgoing",
    "reset",
    "shape_of",
    "site_set",
    "site_sets",
    "totals",
]

#: Names the site was seen setting, remembered per process.
SITE_NAMES = 256
#: Distinct name shapes observed per process; the rest are counted under OTHER.
MAX_SHAPES = 256
OTHER = "(other names)"
#: New entries one request (or one response) may create; its other new names go under OTHER.
#: A browser brings a handful of cookies, nearly all known after the first requests; a client
#: spraying invented names fills the table no faster than this per request, so the names that
#: arrive on every request reach a count that keeps them (see _forget_strays).
NEW_PER_MESSAGE = 16

#: What is counted per shape: the site set it (not counting deletions); it arrived validly
#: signed, unsigned (signing required), unsigned and exempt from signing, or failed to verify.
KINDS = ("set", "signed", "unsigned", "exempt", "rejected")

_site: set[str] = set()
#: The names of :func:`site_set`, read-only for the firewall's way out: it calls site_set only
#: for a name not in it (one set lookup instead of a call per cookie). Cleared, never replaced.
site_names = _site
_lock = threading.Lock()
#: shape -> {"origin": str, kind: count}
_counts: dict[str, dict[str, Any]] = {}
#: Entries created since the last pass of _forget_strays.
_created = [0]

#: An id inside a cookie name: a hex run of 8 or more with a digit in it (uuids included), or
#: four or more digits.
_ID = re.compile(r"[0-9a-fA-F]{8,}(?:-[0-9a-fA-F]{4,})*|[0-9]{4,}")


def _fold(match: re.Match[str]) -> str:
    text = match.group(0)
    return "*" if any(c.isdigit() for c in text) else text


def shape_of(name: str) -> str:
    """The name as observations keep it: cut as log lines cut it, ids folded into ``*``."""
    return _ID.sub(_fold, shown(name))


def site_set(name: str) -> None:
    """Remember that the site set cookie ``name`` (a name the policy does not give)."""
    if name not in _site and len(_site) < SITE_NAMES:
        _site.add(name)


def site_sets(name: str) -> bool:
    """Whether this process has seen the site set cookie ``name``."""
    return name in _site


def _count(requirements: RequirementsResolver, name: str, kind: str, budget: list[int]) -> None:
    """Count one ``kind`` for ``name``; ``budget`` is how many new entries the request that
    brought it may still create (the rest of its new names are counted under OTHER)."""
    shape = shape_of(name)
    if shape == OTHER:
        shape += "?"  # a client's cookie named like the overflow entry is not that entry
    entry = _counts.get(shape)
    if entry is None:
        with _lock:
            entry = _counts.get(shape)
            if entry is None:
                if len(_counts) >= MAX_SHAPES and _created[0] >= MAX_SHAPES // 4:
                    _forget_strays()
                if len(_counts) >= MAX_SHAPES or budget[0] <= 0:
                    shape = OTHER
                    entry = _counts.setdefault(OTHER, {"origin": OTHER})
                else:
                    budget[0] -= 1
                    _created[0] += 1
                    entry = _counts[shape] = {"origin": requirements.origin_of(name)}
    # Counts are statistics: a rare increment lost between two threads is not worth a lock.
    entry[kind] = entry.get(kind, 0) + 1
    _started()


def _forget_strays() -> None:
    """Make room (under the lock) by forgetting names seen once and never set by the site.

    A scanner's invented names arrive once each; a script's cookie arrives on every request of
    every visitor. Without this, one request of junk names early in a rollout would fill the
    table and push every later name, the JavaScript cookie that matters included, under OTHER.
    A pass walks at most MAX_SHAPES entries and runs only after MAX_SHAPES // 4 entries were
    created since the last one, so its cost per new name is bounded even when it frees nothing
    (a client repeating the same invented names keeps them; what lands under OTHER says so).
    """
    _created[0] = 0
    strays = [
        shape
        for shape, entry in _counts.items()
        if shape != OTHER and not entry.get("set") and _total(entry) <= 1
    ]
    for shape in strays:
        other = _counts.setdefault(OTHER, {"origin": OTHER})
        for kind, count in _counts.pop(shape).items():
            if kind != "origin":
                other[kind] = other.get(kind, 0) + count


def _total(entry: Mapping[str, Any]) -> int:
    return sum(count for kind, count in entry.items() if kind != "origin")


def incoming(
    requirements: RequirementsResolver,
    cookies: Mapping[str, str],
    rejected: list[tuple[str, str]],
    reissue: Mapping[str, Any],
) -> None:
    """Count how each cookie of one request arrived."""
    reasons = dict(rejected)
    budget = [NEW_PER_MESSAGE]
    for name, value in cookies.items():
        reason = reasons.get(name)
        if reason in (signing.UNSIGNED, signing.FOREIGN):
            kind = "unsigned"
        elif reason is not None:
            kind = "rejected"
        elif not requirements.for_name(name).sign:
            kind = "exempt"
        elif not value:
            continue  # a deleted cookie the client still holds
        else:
            kind = "signed"
        _count(requirements, name, kind, budget)


def outgoing(requirements: RequirementsResolver, cookies: SimpleCookie) -> None:
    """Count the cookies one response sets (deletions are not counted)."""
    budget = [NEW_PER_MESSAGE]
    for name, morsel in cookies.items():
        if morsel.value:  # a deletion's value is empty
            _count(requirements, name, "set", budget)


def totals() -> dict[str, dict[str, Any]]:
    """A copy of this process's observations: shape -> {"origin": ..., kind: count}."""
    with _lock:
        return {shape: dict(entry) for shape, entry in _counts.items()}


def reset() -> None:
    """Forget everything observed (tests)."""
    with _lock:
        _forget()


def _forget() -> None:
    _counts.clear()
    _site.clear()
    _created[0] = 0


def _after_fork_in_child() -> None:
    # The child has one thread; another thread of the parent may have held the lock at the
    # fork and will never release it here: a new lock, not the inherited one.
    global _lock
    _lock = threading.Lock()
    _forget()


def _started() -> None:
    # Imported here: the fleet reporter (and the ORM it writes with) is only needed once
    # something has been observed.
    from hardsess import fleet

    fleet.cookie_reporter.ensure_running()


os.register_at_fork(after_in_child=_after_fork_in_child)
