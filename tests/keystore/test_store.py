"""The key store through real request/response cycles: database (SQLite) and Redis stores,
rotation and revocation without a settings change, at-rest encryption, a wrong KEK, import
from settings, the in-process copy (no query per request) and failing closed."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from hardsess import keystore
from hardsess.keyring import old_key_counter
from hardsess.keystore import counts, schedule
from hardsess.keystore.options import SETTING, problems
from hardsess.keystore.ring import KeyStoreUnavailable, StoreKeyring
from hardsess.middleware import HardSessMiddleware
from tests.keystore.conftest import KEK, TIMINGS, Clock, StoreSetup, store_settings
from tests.runtime.conftest import K1, K2, Rejections, key


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("hardsess", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def key_id(client: Client, name: str = "sessionid") -> str:
    return client.cookies[name].value.split(".")[1]


def ids(data: dict[str, Any]) -> dict[str, str]:
    return {k["id"]: k["state"] for k in data["keys"]}


def status() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("keys", "status", "--json"))
    return data


def test_two_rotations_and_a_revocation_without_a_settings_change(
    store: StoreSetup, clock: Clock, rejections: Rejections
) -> None:
    assert "new key" in run("keys", "rotate")  # an empty store: the first key, active now
    k1 = next(iter(ids(status())))
    alice = Client()
    alice.get("/rt/session/set/", {"user": "alice"})
    assert key_id(alice) == k1
    k1_cookie = alice.cookies["sessionid"].value

    # Rotation 1: the new key is verify-only for PROPAGATION_DELAY.
    assert "verify-only" in run("keys", "rotate", "--now")
    assert "already pending" in run("keys", "rotate", "--now")  # idempotent
    data = status()
    k2 = next(k for k, s in ids(data).items() if k != k1)
    assert data["stage"] == "propagating"
    assert ids(data) == {k1: "primary", k2: "verify"}
    store.refresh()
    assert alice.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
    assert key_id(alice) == k1  # nobody signs with K2 before its activation

    # Activation: K2 signs, K1's cookies are re-issued (no restart, no settings change).
    clock.t += TIMINGS["PROPAGATION_DELAY"]
    store.refresh()
    assert alice.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
    assert key_id(alice) == k2
    assert status()["stage"] == "overlap"

    # Rotation 2, activated; K1 has gone past its overlap: refused.
    run("keys", "rotate", "--now")
    clock.t += TIMINGS["PROPAGATION_DELAY"]
    store.refresh()
    assert alice.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
    k3 = key_id(alice)
    assert k3 not in (k1, k2)
    stale = Client()
    stale.cookies["sessionid"] = k1_cookie
    assert stale.get("/rt/session/get/").json() == {"session": {}}
    assert rejections.reasons() == {"sessionid": "retired_key"}

    # Revocation of the primary: stated cost first, nothing done without --yes.
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("hardsess", "keys", "revoke", k3, stdout=out, stderr=err)
    assert "EVERY user is logged out" in out.getvalue()
    assert ids(status())[k3] == "primary"
    assert "primary from now" in run("keys", "revoke", k3, "--yes")
    store.refresh()
    assert alice.get("/rt/session/get/").json() == {"session": {}}  # the revoked key's cookie
    assert ids(status())[k3] == "retired"
    bob = Client()
    bob.get("/rt/session/set/", {"user": "bob"})
    assert key_id(bob) not in (k1, k2, k3)
    assert bob.get("/rt/session/get/").json() == {"session": {"user": "bob"}}


def test_the_store_holds_no_secret_in_clear(store: StoreSetup, clock: Clock) -> None:
    run("keys", "rotate")
    run("keys", "rotate", "--now")
    raw = _raw_store(store)
    records = schedule.loads(raw)
    assert len(records) == 2
    box = Fernet(KEK)
    for r in records:
        secret = box.decrypt(r.secret.encode()).decode()
        assert len(secret) >= 60
        assert secret not in raw
    # Nor in what the commands print.
    assert all(
        box.decrypt(r.secret.encode()).decode() not in run("keys", "status") for r in records
    )


def _raw_store(store: StoreSetup) -> str:
    if store.backend == "database":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT document FROM hardsess_keyringversion ORDER BY version DESC LIMIT 1"
            )
            return str(cursor.fetchone()[0])
    import redis

    from tests.services import require_redis

    client = redis.Redis.from_url(require_redis())
    prefix = store.settings["KEY_STORE"]["PREFIX"]
    values = [client.get(name) for name in client.scan_iter(match=f"*{prefix}:v*")]
    latest = max((v for v in values if v), key=len)
    # Django's RedisCache pickles values; the document is a str inside the pickle.
    import pickle

    assert isinstance(latest, bytes)
    document = pickle.loads(latest)
    assert isinstance(document, str)
    assert all(b"secret" in v for v in values if v)
    return document


def test_a_wrong_kek_is_a_clear_start_up_error(store: StoreSetup, clock: Clock) -> None:
    run("keys", "rotate")
    other = {**store.settings["KEY_STORE"], "KEK": Fernet.generate_key().decode()}
    with override_settings(HARDSESS={"KEY_STORE": other}):

        def view(request: HttpRequest) -> HttpResponse:
            return HttpResponse()

        with pytest.raises(ImproperlyConfigured, match="wrong KEK"):
            HardSessMiddleware(view)


def test_timings_that_could_sign_with_an_unknown_key_are_refused() -> None:
    bad = {"BACKEND": "database", "KEK": KEK, **TIMINGS, "PROPAGATION_DELAY": 10}
    assert any("PROPAGATION_DELAY" in p for p in problems(bad, read=False))
    assert any("key-encryption key" in p for p in problems({"BACKEND": "cache"}, read=False))
    assert problems(store_settings("database")["KEY_STORE"], read=False) == []
    assert problems("settings", read=False) == []
    with override_settings(HARDSESS={"KEY_STORE": bad}), pytest.raises(ImproperlyConfigured):
        keystore.provider()
    assert SETTING in problems(["x"], read=False)[0]


@pytest.mark.django_db
def test_requests_read_the_in_process_copy_not_the_database(clock: Clock) -> None:
    with override_settings(HARDSESS=store_settings("database")):
        run("keys", "rotate")
        client = Client()
        client.get("/rt/session/set/", {"user": "alice"})
        with CaptureQueriesContext(connection) as queries:
            for _ in range(20):
                assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        assert not [q for q in queries.captured_queries if "keyringversion" in q["sql"]]
        reads = keystore.provider().reads  # type: ignore[union-attr]
        keystore.provider().expire()  # type: ignore[union-attr]
        with CaptureQueriesContext(connection) as queries:
            client.get("/rt/session/get/")
        assert len([q for q in queries.captured_queries if "keyringversion" in q["sql"]]) == 1
        assert keystore.provider().reads == reads + 1  # type: ignore[union-attr]


@pytest.mark.django_db
def test_import_from_settings_logs_nobody_out(clock: Clock, rejections: Rejections) -> None:
    settings_keys = {"KEYS": [key(K2, "primary"), key(K1, "verify")]}
    old = Client()
    with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
        old.get("/rt/session/set/", {"user": "old"})
    alice = Client()
    with override_settings(HARDSESS=settings_keys):
        alice.get("/rt/session/set/", {"user": "alice"})
        assert key_id(alice) == "k2"
    with override_settings(HARDSESS={**settings_keys, **store_settings("database")}):
        assert "imported 2 key(s); k2 stays primary" in run("keys", "import")
        assert "nothing to do" in run("keys", "import")  # idempotent
        assert ids(status()) == {"k2": "primary", "k1": "verify"}
        assert alice.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        assert key_id(alice) == "k2"  # the same key, not re-issued
        assert old.get("/rt/session/get/").json() == {"session": {"user": "old"}}
        assert key_id(old) == "k2"  # re-issued by the primary
    assert rejections == []


def test_an_unreachable_store_keeps_the_last_ring_for_max_stale_then_fails_closed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with override_settings(HARDSESS=store_settings("database")):
        from hardsess.keystore.options import options

        opts = options()
    box = Fernet(KEK)
    records = [
        schedule.Record(
            id="k1",
            secret=box.encrypt(b"s" * 64).decode(),
            created=0,
            activates=0,
            expires=1e12,
        )
    ]

    class Flaky:
        up = True

        def read(self) -> tuple[int, str] | None:
            if not self.up:
                raise ConnectionError("store down: password=hunter2")
            return (1, schedule.dumps(records))

        def create(self, version: int, document: str) -> bool:
            raise AssertionError

    mono = [0.0]
    store = Flaky()
    ring = StoreKeyring(opts, store=store, clock=lambda: 100.0, monotonic=lambda: mono[0])
    first = ring.current()
    assert first.primary.id == "k1"
    store.up = False
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        mono[0] = TIMINGS["CACHE_SECONDS"] + 1
        assert ring.current() is first  # stale but within MAX_STALE
        reads = ring.reads
        assert ring.current() is first
        assert ring.reads == reads  # no read per call while failing
        mono[0] = TIMINGS["MAX_STALE"] + 2
        with pytest.raises(KeyStoreUnavailable):
            ring.current()
        reads = ring.reads
        with pytest.raises(KeyStoreUnavailable):
            ring.current()
        assert ring.reads == reads  # at most one retry a second
    assert "ConnectionError" in caplog.text
    assert "hunter2" not in caplog.text
    store.up = True
    mono[0] += 2
    assert ring.current().primary.id == "k1"


@pytest.mark.django_db
def test_old_key_counts_are_aggregated_across_processes() -> None:
    import time

    from hardsess.fleet import _write

    old_key_counter.clear()
    counts.reset()
    now = time.time()
    old_key_counter.record("kold", "sessionid")
    old_key_counter.record("kold", "sessionid")
    payload = counts.collect(now)
    _write(counts.KIND, payload)
    # Another server's report.
    from django.utils import timezone

    from hardsess.models import FleetReport

    FleetReport.objects.create(
        process="other/1/x",
        kind=counts.KIND,
        payload={"minutes": {"kold": {str(int(now // 60)): 3}, "kx": {"1": 9}}},
        updated=timezone.now(),
    )
    assert counts.fleet_counts(now)["kold"] == 5
    assert "kx" not in counts.fleet_counts(now)  # older than an hour
    old_key_counter.clear()
    counts.reset()


def test_a_store_that_loses_its_ring_is_an_outage_not_an_empty_ring() -> None:
    """A Redis FLUSHDB (Django's RedisCache.clear()) or an evicted key must not read as
    "no keys" (nor as an older ring): the last good ring stays for MAX_STALE, then closed."""
    with override_settings(HARDSESS=store_settings("database")):
        from hardsess.keystore.options import options

        opts = options()
    box = Fernet(KEK)
    record = schedule.Record(
        id="k1", secret=box.encrypt(b"s" * 64).decode(), created=0, activates=0, expires=1e12
    )

    class Emptied:
        found: tuple[int, str] | None = (3, schedule.dumps([record]))

        def read(self) -> tuple[int, str] | None:
            return self.found

        def create(self, version: int, document: str) -> bool:
            raise AssertionError

    mono = [0.0]
    store = Emptied()
    ring = StoreKeyring(opts, store=store, clock=lambda: 100.0, monotonic=lambda: mono[0])
    first = ring.current()
    mono[0] = TIMINGS["CACHE_SECONDS"] + 1  # the copy is due for a re-read
    for lost in (None, (2, schedule.dumps([record]))):
        store.found = lost
        reads = ring.reads
        mono[0] += 2  # past the retry interval
        assert ring.current() is first
        assert ring.reads == reads + 1
    mono[0] += TIMINGS["MAX_STALE"] + 1
    with pytest.raises(KeyStoreUnavailable):
        ring.current()
