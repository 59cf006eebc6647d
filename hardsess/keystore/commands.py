"""``manage.py hardsess keys`` with a key store: ``rotate``, ``revoke``, ``import``,
``status [--json]`` and ``generate-kek``. No command prints a key secret; ``generate-kek``
prints the new key-encryption key, which is the one thing it is for."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hardsess import conf, keystore
from hardsess.keyring import PRIMARY, RETIRED, VERIFY, load_keyring
from hardsess.keystore import counts, crypto, options, schedule
from hardsess.keystore.ring import make_store

logger = logging.getLogger("hardsess")

STORE_ACTIONS = ("rotate", "revoke", "import", "generate-kek")


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def add_arguments(actions: Any) -> None:
    rotate = actions.add_parser(
        "rotate", help="key store: add the next key if one is due (idempotent; cron it)"
    )
    rotate.add_argument(
        "--now", action="store_true", help="start a rotation now unless a key is pending"
    )
    revoke = actions.add_parser(
        "revoke", help="key store: refuse a key everywhere; a new primary takes over now"
    )
    revoke.add_argument("key_id", metavar="ID")
    revoke.add_argument("--yes", action="store_true", help="do it (without: say what it costs)")
    actions.add_parser(
        "import", help="key store: copy the settings keyring (same ids, nobody logged out)"
    )
    actions.add_parser("generate-kek", help="print a new key-encryption key (Fernet)")


def _box() -> Any:
    return crypto.fernet(options.options().kek)


def _encrypting(box: Any) -> Callable[[], str]:
    return lambda: crypto.encrypt(box, crypto.new_secret())


def _need_store(stderr: Writer) -> bool:
    if not keystore.uses_store():
        stderr.write(
            "HARDSESS['KEY_STORE'] is 'settings': this action needs a key store "
            "('database' or 'cache'); see docs/rotation.md#key-store\n"
        )
        return False
    problems = options.problems()
    if problems:
        stderr.write(
            "HARDSESS['KEY_STORE'] is invalid:\n" + "".join(f"  - {p}\n" for p in problems)
        )
        return False
    return True


def handle(options_: Mapping[str, Any], stdout: Writer, stderr: Writer) -> int:
    action = options_["keys_action"]
    if action == "generate-kek":
        stdout.write(
            f"{crypto.new_kek()}\n\nStore it in your secret manager and expose it as "
            f"{options.KEK_ENV} on every server (never in the key store's database).\n"
        )
        return 0
    if not _need_store(stderr):
        return 1
    try:
        if action == "rotate":
            return _rotate(bool(options_.get("now")), stdout)
        if action == "revoke":
            return _revoke(str(options_["key_id"]), bool(options_.get("yes")), stdout, stderr)
        if action == "import":
            return _import(stdout, stderr)
        if action == "status":
            return status(bool(options_.get("json")), stdout)
    except ImproperlyConfigured as exc:
        stderr.write(f"{exc}\n")
        return 1
    stderr.write(f"`keys {action}` is for the settings store; with a key store use rotate\n")
    return 2


def _rotate(force: bool, stdout: Writer) -> int:
    opts = options.options()
    make = _encrypting(_box())
    decision = keystore.change(
        lambda records, now: schedule.rotate(
            records,
            now,
            force=force,
            propagation_delay=opts.propagation_delay,
            sign_for=opts.sign_for,
            overlap=opts.overlap,
            skew=opts.max_clock_skew,
            make_secret=make,
        )
    )
    if decision.new is not None:
        logger.warning("hardsess keys rotate: %s", decision.message)
    stdout.write(decision.message + "\n")
    return 0


def _revoke(key_id: str, yes: bool, stdout: Writer, stderr: Writer) -> int:
    opts = options.options()
    store = make_store(opts)
    found = store.read()
    records = [] if found is None else schedule.loads(found[1])
    now = schedule.now()
    target = next((r for r in records if r.id == key_id), None)
    if target is None:
        stderr.write(f"no key {key_id} in the store\n")
        return 1
    state = schedule.states(records, now, opts.overlap).get(key_id)
    try:
        used: int | str = counts.fleet_counts(now).get(key_id, 0)
    except Exception:  # no fleet reports here (no database)
        used = "an unknown number of"
    if state == PRIMARY:
        cost = (
            f"{key_id} is the primary: EVERY user is logged out (every session cookie is "
            "signed by it), and for up to CACHE_SECONDS "
            f"({opts.cache_seconds:g} s) a server that has not re-read the store refuses "
            "cookies the others sign with the new key"
        )
    elif state == VERIFY and target.activates > now:
        cost = f"{key_id} is pending (never signed): nobody is logged out"
    elif state == VERIFY:
        cost = (
            f"{key_id} is an old key still verified: users whose cookies it signed are "
            f"logged out ({used} such cookie(s) arrived in the last hour, fleet-wide)"
        )
    else:
        cost = f"{key_id} is already refused: nobody more is logged out"
    stdout.write(f"cost: {cost}\n")
    if not yes:
        stdout.write(f"nothing done: run `keys revoke {key_id} --yes` to revoke it\n")
        return 2
    make = _encrypting(_box())
    decision = keystore.change(
        lambda recs, t: schedule.revoke(
            recs,
            key_id,
            t,
            sign_for=opts.sign_for,
            overlap=opts.overlap,
            skew=opts.max_clock_skew,
            make_secret=make,
        )
    )
    logger.warning("hardsess keys revoke: %s (%s)", decision.message, cost)
    stdout.write(
        f"{decision.message}; every server refuses {key_id} within CACHE_SECONDS "
        f"({opts.cache_seconds:g} s)\n"
    )
    return 0


def _import(stdout: Writer, stderr: Writer) -> int:
    """The settings keyring into an empty store, same ids and secrets: nobody logged out."""
    opts = options.options()
    raw = conf.keys_setting()
    ring = load_keyring(
        raw, settings.SECRET_KEY, list(getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    )
    secrets_by_id = _settings_secrets(raw)
    box = _box()

    def decide(records: list[schedule.Record], now: float) -> schedule.Decision:
        ids = {r.id for r in records}
        if records and {k.id for k in ring.keys} <= ids:
            return schedule.Decision(None, "nothing to do: the settings keys are in the store")
        if records:
            return schedule.Decision(
                None, "the store already holds other keys: import only into an empty store"
            )
        imported: list[schedule.Record] = []
        # The primary stays primary; every verify key is older than it, so it verifies for
        # OVERLAP and then retires; a retired key is imported revoked (still refused).
        ordered = [ring.primary] + [k for k in ring.keys if k is not ring.primary]
        for index, key in enumerate(ordered):
            imported.append(
                schedule.Record(
                    id=key.id,
                    secret=crypto.encrypt(box, secrets_by_id[key.id]),
                    created=now,
                    activates=now - opts.max_clock_skew - index,
                    expires=now + 2 * opts.sign_for + opts.overlap,
                    revoked=now if key.state == RETIRED else None,
                    origin="import",
                )
            )
        return schedule.Decision(
            imported, f"imported {len(imported)} key(s); {ring.primary.id} stays primary"
        )

    decision = keystore.change(decide)
    out = stdout if decision.records is not None or "nothing" in decision.message else stderr
    out.write(decision.message + "\n")
    if decision.records is not None:
        logger.warning("hardsess keys import: %s", decision.message)
    return 0 if out is stdout else 1


def _settings_secrets(raw: object) -> dict[str, str]:
    from hardsess.keyring import derived_key_id

    if raw is None:
        found = {derived_key_id(settings.SECRET_KEY): str(settings.SECRET_KEY)}
        for old in getattr(settings, "SECRET_KEY_FALLBACKS", ()):
            found.setdefault(derived_key_id(old), str(old))
        return found
    assert isinstance(raw, (list, tuple))
    return {str(e["id"]): str(e["secret"]) for e in raw}


def status_data(now: float | None = None) -> dict[str, Any]:
    """What ``keys status --json`` prints: the ring, the stage, old-key use fleet-wide."""
    opts = options.options()
    store = make_store(opts)
    found = store.read()
    records = [] if found is None else schedule.loads(found[1])
    now = schedule.now() if now is None else now
    states = schedule.states(records, now, opts.overlap)
    try:
        used: dict[str, int] | None = counts.fleet_counts(now, [r.id for r in records])
    except Exception as exc:  # no database, not migrated: the ring is still worth showing
        logger.warning("hardsess keys status: no fleet reports (%s)", type(exc).__name__)
        used = None
    keys: list[dict[str, Any]] = []
    for r in sorted(records, key=lambda r: (-r.activates, r.id)):
        end = schedule.end_of_verification(r, records, opts.overlap)
        keys.append(
            {
                "id": r.id,
                "state": states[r.id],
                "created": schedule._iso(r.created),
                "activates": schedule._iso(r.activates),
                "expires": schedule._iso(r.expires),
                "verifies_until": schedule._iso(end),
                "revoked": None if r.revoked is None else schedule._iso(r.revoked),
                "origin": r.origin,
                "pending": states[r.id] == VERIFY and r.activates > now,
                "verifications_last_hour": (
                    # Every key's: a retired key's count says cookies it signed still arrive.
                    used.get(r.id, 0) if used is not None else None
                ),
            }
        )
    pending = [k for k in keys if k["pending"]]
    old = [k for k in keys if k["state"] == VERIFY and not k["pending"]]
    for k in old:
        # Nothing signed by it arrived anywhere in the last hour: revoking it early logs
        # nobody active out (it retires by itself at verifies_until anyway).
        k["safe_to_retire"] = k["verifications_last_hour"] == 0 if used is not None else None
    if not records:
        stage, explanation = "empty", "no key: run `keys import` or `keys rotate`"
    elif not any(k["state"] == PRIMARY for k in keys):
        stage, explanation = "broken", "no key may sign now: run `keys rotate`"
    elif pending:
        stage = "propagating"
        explanation = (
            f"{pending[0]['id']} is verify-only until {pending[0]['activates']}, then signs"
        )
    elif old:
        stage = "overlap"
        explanation = "; ".join(
            f"{k['id']} still verifies until {k['verifies_until']} "
            + (
                "(old-key use unknown: no fleet reports)"
                if used is None
                else f"({k['verifications_last_hour']} use(s) in the last hour"
                + (": retiring it early is safe)" if k["safe_to_retire"] else ")")
            )
            for k in old
        )
    else:
        stage, explanation = "steady", "one key signs and verifies"
    return {
        "store": opts.backend,
        "fleet_reports": used is not None,
        "version": 0 if found is None else found[0],
        "now": schedule._iso(now),
        "stage": stage,
        "explanation": explanation,
        "keys": keys,
    }


def status(as_json: bool, stdout: Writer) -> int:
    data = status_data()
    if as_json:
        stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    lines = [f"key store: {data['store']}, version {data['version']}, {len(data['keys'])} key(s)"]
    for k in data["keys"]:
        used = k["verifications_last_hour"]
        extra = f", {used} use(s) in the last hour" if used is not None else ""
        revoked = f", revoked {k['revoked']}" if k["revoked"] else ""
        lines.append(
            f"  {k['id']}  {k['state']:<8}  activates {k['activates']}  verifies until "
            f"{k['verifies_until']}{revoked}{extra}"
        )
    lines.append(f"stage: {data['stage']} ({data['explanation']})")
    stdout.write("\n".join(lines) + "\n")
    return 0


def as_argparse(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_arguments(actions)
