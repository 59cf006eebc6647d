"""The schedule: which key of a stored ring signs, verifies or is refused at a given time.

Pure functions over :class:`Record` lists, so the same answer is computed by every server that
reads the same ring and has the same clock; the rules (docs/rotation.md, "Key store"):

* a key is **refused** once revoked, or at its end of verification: the earlier of its own
  ``expires`` and its successor's activation plus ``OVERLAP`` (the successor: the next key by
  activation that is not revoked, or was revoked only after it activated);
* the **primary** is, of the keys not refused whose ``activates`` has passed, the one with the
  latest ``activates`` (ties broken by id): one per server at any instant, by construction;
* every other key not refused **verifies** (a new key before its activation, an old one during
  its overlap).

Two servers whose clocks differ by at most ``MAX_CLOCK_SKEW`` disagree on the primary only
during that long around an activation, and both keys verify on both servers then: a new key
was written ``PROPAGATION_DELAY`` before its activation, which every server has read by then,
and the old one verifies ``OVERLAP`` longer. So no server ever signs with a key another
server refuses (see :mod:`hardsess.keystore.options` for the inequalities).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace

from hardsess.keyring import KEY_ID_RE, PRIMARY, RETIRED, VERIFY

FORMAT = 1


def now() -> float:
    """The wall clock every schedule decision reads (tests replace it)."""
    return time.time()


@dataclass(frozen=True, slots=True)
class Record:
    """One stored key. ``secret`` is the Fernet token of the secret, never the secret."""

    id: str
    secret: str
    created: float
    activates: float
    expires: float
    revoked: float | None = None
    #: "rotate", "revoke" (made by a revocation), "import" or "bootstrap".
    origin: str = "rotate"


def dumps(records: Sequence[Record]) -> str:
    return json.dumps(
        {"format": FORMAT, "keys": [asdict(r) for r in records]}, separators=(",", ":")
    )


def loads(text: str) -> list[Record]:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a hardsess key store document of format 1")
    records = [Record(**entry) for entry in data["keys"]]
    for r in records:
        if not KEY_ID_RE.fullmatch(r.id):
            raise ValueError("a stored key id is malformed")
    return records


def _order(r: Record) -> tuple[float, str]:
    return (r.activates, r.id)


def end_of_verification(record: Record, records: Iterable[Record], overlap: float) -> float:
    """When ``record`` stops verifying, revocation aside.

    Its successors are the later keys that activated before they were revoked (if ever): a
    key revoked after it signed still ends its predecessors' overlap, so revoking it never
    brings an older, retired key back; a key revoked while still pending never signed, and
    ends nothing.
    """
    successors = [
        r.activates
        for r in records
        if (r.revoked is None or r.revoked > r.activates) and _order(r) > _order(record)
    ]
    end = record.expires
    if successors:
        end = min(end, min(successors) + overlap)
    return end


def states(records: Sequence[Record], now: float, overlap: float) -> dict[str, str]:
    """Each key id's state at ``now``: primary, verify or retired (refused).

    No primary (an empty ring, or every active key expired or revoked) gives none: the
    caller fails closed.
    """
    result: dict[str, str] = {}
    candidates: list[Record] = []
    for r in records:
        if r.revoked is not None or now >= end_of_verification(r, records, overlap):
            result[r.id] = RETIRED
        else:
            result[r.id] = VERIFY
            if r.activates <= now:
                candidates.append(r)
    if candidates:
        result[max(candidates, key=_order).id] = PRIMARY
    return result


def next_change(records: Sequence[Record], now: float, overlap: float) -> float | None:
    """The first time after ``now`` at which :func:`states` may answer differently."""
    times = [r.activates for r in records] + [
        end_of_verification(r, records, overlap) for r in records
    ]
    later = [t for t in times if t > now]
    return min(later) if later else None


def primary_of(records: Sequence[Record], now: float, overlap: float) -> Record | None:
    found = [r for r in records if states(records, now, overlap).get(r.id) == PRIMARY]
    return found[0] if found else None


def pending(records: Sequence[Record], now: float, overlap: float) -> list[Record]:
    """Keys written but not active yet (verify-only until their activation)."""
    st = states(records, now, overlap)
    return [r for r in records if r.activates > now and st[r.id] != RETIRED]


def new_id(records: Iterable[Record], now: float) -> str:
    """A fresh id: ``k<unix time>-<random>``; the random part keeps concurrent writers apart
    (only one of them commits anyway)."""
    taken = {r.id for r in records}
    while True:
        candidate = f"k{int(now)}-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


@dataclass(frozen=True, slots=True)
class Decision:
    """What ``rotate`` or ``revoke`` changes: the new ring, or None when nothing changes."""

    records: list[Record] | None
    message: str
    new: Record | None = None


def rotate(
    records: Sequence[Record],
    now: float,
    *,
    force: bool,
    propagation_delay: float,
    sign_for: float,
    overlap: float,
    skew: float,
    make_secret: object,
) -> Decision:
    """Add a successor key if one is due; idempotent.

    Due when the ring has no primary (an empty store: the first key activates now), or when
    the primary has signed for ``sign_for - propagation_delay`` (or ``force``) and no key is
    pending already. The new key is verify-only for ``propagation_delay``. A first key is
    active ``skew`` before now, so that every server within the skew has a primary at once.
    ``make_secret`` is a callable returning an encrypted secret token.
    """
    assert callable(make_secret)
    primary = primary_of(records, now, overlap)
    waiting = pending(records, now, overlap)
    if primary is None and not waiting:
        # Active now on every clock within the skew, not only on the writer's.
        activates = now - skew
        origin = "bootstrap"
    elif waiting:
        names = ", ".join(f"{r.id} (activates {_iso(r.activates)})" for r in waiting)
        return Decision(None, f"nothing to do: {names} is already pending")
    else:
        assert primary is not None
        due = primary.activates + sign_for - propagation_delay
        if not force and now < due:
            return Decision(
                None, f"nothing to do: {primary.id} signs until a rotation due {_iso(due)}"
            )
        activates = now + propagation_delay
        origin = "rotate"
    record = Record(
        id=new_id(records, now),
        secret=make_secret(),
        created=now,
        activates=activates,
        expires=activates + 2 * sign_for + overlap,
        origin=origin,
    )
    message = (
        f"new key {record.id}: the first key, primary now"
        if origin == "bootstrap"
        else f"new key {record.id}: verify-only until {_iso(activates)}, then primary"
    )
    return Decision([*records, record], message, record)


def revoke(
    records: Sequence[Record],
    key_id: str,
    now: float,
    *,
    sign_for: float,
    overlap: float,
    skew: float,
    make_secret: object,
) -> Decision:
    """Refuse ``key_id`` from now on; if it signed (or would have), a primary takes over now:
    the newest pending key when there is one (every server has it already), else a new key.
    Its activation is set ``skew`` before now (but after every other active key's), so every
    server within the skew has a primary at once."""
    assert callable(make_secret)
    target = next((r for r in records if r.id == key_id), None)
    if target is None:
        return Decision(None, f"no key {key_id} in the store")
    if target.revoked is not None:
        return Decision(None, f"{key_id} is already revoked")
    updated = [replace(r, revoked=now) if r.id == key_id else r for r in records]
    new: Record | None = None
    if primary_of(updated, now, overlap) is None or primary_of(records, now, overlap) is target:
        waiting = pending(updated, now, overlap)
        active = [r.activates for r in updated if r.revoked is None and r.activates <= now]
        activates = max([now - skew] + [a + 0.001 for a in active])
        if waiting:
            promoted = max(waiting, key=_order)
            new = replace(promoted, activates=activates)
            updated = [new if r.id == promoted.id else r for r in updated]
        else:
            new = Record(
                id=new_id(records, now),
                secret=make_secret(),
                created=now,
                activates=activates,
                expires=now + 2 * sign_for + overlap,
                origin="revoke",
            )
            updated.append(new)
    message = f"{key_id} revoked"
    if new is not None:
        message += f"; {new.id} is primary from now"
    return Decision(updated, message, new)


def _iso(t: float) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="seconds")
