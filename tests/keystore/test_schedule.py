"""The schedule (hardsess.keystore.schedule): one primary, activation after the delay,
retirement after the overlap, revocation, and clock skew within the stated bound."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from hardsess.keyring import PRIMARY, RETIRED, VERIFY
from hardsess.keystore import schedule
from hardsess.keystore.schedule import Record

DELAY, SIGN_FOR, OVERLAP, SKEW, STALE = 100.0, 1000.0, 50.0, 10.0, 60.0
_tokens = itertools.count()


def token() -> str:
    return f"token-{next(_tokens)}"


def rotate(records: list[Record], now: float, force: bool = False) -> list[Record]:
    decision = schedule.rotate(
        records,
        now,
        force=force,
        propagation_delay=DELAY,
        sign_for=SIGN_FOR,
        overlap=OVERLAP,
        skew=SKEW,
        make_secret=token,
    )
    return records if decision.records is None else decision.records


def states(records: list[Record], now: float) -> dict[str, str]:
    return schedule.states(records, now, OVERLAP)


def test_an_empty_store_gets_a_primary_at_once() -> None:
    ring = rotate([], 0.0)
    assert len(ring) == 1
    assert states(ring, 0.0) == {ring[0].id: PRIMARY}
    assert states(ring, -SKEW) == {ring[0].id: PRIMARY}  # on a clock behind, too


def test_a_new_key_verifies_until_its_activation_then_signs_and_the_old_one_retires() -> None:
    ring = rotate([], 0.0)
    k1 = ring[0].id
    ring = rotate(ring, 10.0, force=True)
    k2 = ring[1].id
    assert states(ring, 10.0) == {k1: PRIMARY, k2: VERIFY}
    assert states(ring, 10.0 + DELAY - 0.001) == {k1: PRIMARY, k2: VERIFY}
    assert states(ring, 10.0 + DELAY) == {k1: VERIFY, k2: PRIMARY}
    assert states(ring, 10.0 + DELAY + OVERLAP - 0.001)[k1] == VERIFY
    assert states(ring, 10.0 + DELAY + OVERLAP) == {k1: RETIRED, k2: PRIMARY}


def test_rotate_is_idempotent_and_due_only_near_the_end_of_signing() -> None:
    ring = rotate([], 0.0)
    assert rotate(ring, 1.0) == ring  # not due
    due = ring[0].activates + SIGN_FOR - DELAY
    assert rotate(ring, due - 1) == ring
    once = rotate(ring, due)
    assert len(once) == 2
    assert rotate(once, due + 1) == once  # a key is pending: nothing more
    assert rotate(once, due + 1, force=True) == once
    # The successor activates when the primary's signing time is up.
    assert once[1].activates == ring[0].activates + SIGN_FOR


def test_revoking_the_primary_promotes_the_pending_key_now() -> None:
    ring = rotate(rotate([], 0.0), 5.0, force=True)
    k1, k2 = ring[0].id, ring[1].id
    decision = schedule.revoke(
        ring, k1, 20.0, sign_for=SIGN_FOR, overlap=OVERLAP, skew=SKEW, make_secret=token
    )
    assert decision.records is not None
    assert decision.new is not None
    assert decision.new.id == k2  # already known to every server: no new secret
    assert states(decision.records, 20.0) == {k1: RETIRED, k2: PRIMARY}


def test_revoking_the_only_key_makes_a_new_primary_now() -> None:
    ring = rotate([], 0.0)
    decision = schedule.revoke(
        ring, ring[0].id, 20.0, sign_for=SIGN_FOR, overlap=OVERLAP, skew=SKEW, make_secret=token
    )
    assert decision.records is not None
    assert decision.new is not None
    assert states(decision.records, 20.0) == {ring[0].id: RETIRED, decision.new.id: PRIMARY}
    again = schedule.revoke(
        decision.records,
        ring[0].id,
        21.0,
        sign_for=SIGN_FOR,
        overlap=OVERLAP,
        skew=SKEW,
        make_secret=token,
    )
    assert again.records is None  # idempotent


def test_revoking_an_old_key_keeps_the_primary() -> None:
    ring = rotate(rotate([], 0.0), 5.0, force=True)
    now = 5.0 + DELAY + 1
    decision = schedule.revoke(
        ring, ring[0].id, now, sign_for=SIGN_FOR, overlap=OVERLAP, skew=SKEW, make_secret=token
    )
    assert decision.records is not None
    assert decision.new is None
    assert states(decision.records, now) == {ring[0].id: RETIRED, ring[1].id: PRIMARY}


@settings(max_examples=300, deadline=None)
@given(
    gaps=st.lists(st.floats(0, SIGN_FOR), min_size=1, max_size=6),
    offsets=st.lists(st.floats(-SKEW / 2, SKEW / 2), min_size=2, max_size=5),
    t=st.floats(0, 1),
    age=st.floats(0, STALE),
)
def test_skewed_clocks_never_sign_with_a_key_another_server_refuses_or_lacks(
    gaps: list[float], offsets: list[float], t: float, age: float
) -> None:
    """Servers whose clocks differ by at most SKEW (each within SKEW/2 of true time), each
    holding a copy of the ring at most STALE old: whatever key any of them signs with at true
    time ``t``, every one of them has that key and verifies it."""
    # Rotations at most SIGN_FOR apart (a fleet that runs `keys rotate`), and any time until
    # SIGN_FOR after the last one.
    rotations = list(itertools.accumulate(gaps))
    t *= rotations[-1] + SIGN_FOR
    ring = rotate([], 0.0)
    history = [(0.0, ring)]
    for index, when in enumerate(sorted(rotations)):
        # The writer's own clock is skewed too: it stamps the schedule.
        ring = rotate(ring, when + offsets[index % len(offsets)], force=True)
        history.append((when, ring))

    def copy_at(read_time: float) -> list[Record]:
        return [r for w, r in history if w <= max(read_time, 0.0)][-1]

    # The timings satisfy the stated inequalities (hardsess.keystore.options).
    assert DELAY >= STALE + 2 * SKEW
    assert OVERLAP > 2 * SKEW
    for signer in offsets:
        signer_ring = copy_at(t - age)
        signing = schedule.primary_of(signer_ring, t + signer, OVERLAP)
        assert signing is not None
        for verifier, read in itertools.product(offsets, (t, t - STALE)):
            # The freshest copy and the stalest one allowed.
            got = states(copy_at(read), t + verifier).get(signing.id)
            assert got in (PRIMARY, VERIFY), (signing.id, got)
    # And each server has exactly one primary.
    for offset in offsets:
        assert list(states(ring, t + offset).values()).count(PRIMARY) == 1


def test_revoking_a_key_never_brings_back_an_older_retired_one() -> None:
    ring = rotate(rotate([], 0.0), 5.0, force=True)
    k1, k2 = ring[0].id, ring[1].id
    now = 5.0 + DELAY + OVERLAP + 1
    assert states(ring, now) == {k1: RETIRED, k2: PRIMARY}
    decision = schedule.revoke(
        ring, k2, now, sign_for=SIGN_FOR, overlap=OVERLAP, skew=SKEW, make_secret=token
    )
    assert decision.records is not None
    assert decision.new is not None
    after = states(decision.records, now)
    assert after == {k1: RETIRED, k2: RETIRED, decision.new.id: PRIMARY}
    for later in (now + 1, now + OVERLAP, now + SIGN_FOR):
        assert states(decision.records, later)[k1] == RETIRED


def test_revoking_a_pending_key_leaves_the_primary_signing() -> None:
    ring = rotate(rotate([], 0.0), 5.0, force=True)
    k1, k2 = ring[0].id, ring[1].id
    decision = schedule.revoke(
        ring, k2, 6.0, sign_for=SIGN_FOR, overlap=OVERLAP, skew=SKEW, make_secret=token
    )
    assert decision.records is not None
    assert decision.new is None
    for later in (6.0, 5.0 + DELAY + OVERLAP + 1):
        assert states(decision.records, later) == {k1: PRIMARY, k2: RETIRED}
