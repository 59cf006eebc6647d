"""``manage.py hardsess keys``: generate keys, show the rotation stage, plan the next step.

* ``generate``: prints a new random key. The only place hardsess ever prints a secret.
* ``status``: ids, states and sources (never secrets), the rotation stage (0-4, see
  docs/rotation.md) and old-key verifications counted in this process.
* ``plan``: under ``== DEPLOY NOW``, the ``HARDSESS["KEYS"]`` setting to deploy now (or keep,
  during the soak), secrets referenced by environment variable names (``HARDSESS_KEY_<ID>``),
  never printed; then, apart under ``== LATER, NOT YET``, the step after it and when it may
  start. ``--emergency`` plans the jump to stage 4 for a leaked key.

Every settings block a plan prints can be pasted into a settings module as it stands: it
imports what it uses (``os``) and it merges into the ``HARDSESS`` dict already there
(``**HARDSESS``), replacing only ``"KEYS"``, so REPORT_ONLY, SESSION and the rest survive. The
same keyring on the same day gives the same plan: a new key's default id is derived from the
date and the ids already in use (:func:`new_key_id`), never random.

Stages are read from states. Stage 1 (a new key staged as ``verify``) and stage 2 (the old key
kept as ``verify``) differ only in which key is newer: the later ``created`` date when both keys
carry one, else the position in the list (keys are listed newest first, as ``plan`` prints them).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hardsess import conf
from hardsess.keyring import (
    PRIMARY,
    RETIRED,
    VERIFY,
    Key,
    Keyring,
    load_keyring,
    old_key_counts,
    validate_keyring,
)

STAGE_NAMES = {0: "steady", 1: "stage", 2: "promote", 3: "soak", 4: "retire"}


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass(frozen=True)
class Stage:
    """Where a keyring stands in a rotation."""

    #: 0-4, or None when the keyring is in no stage of a K1 -> K2 rotation.
    number: int | None
    explanation: str
    #: The key being rotated out (stages 1-4), if any.
    old: Key | None = None
    #: The key being rotated in (stages 1-4), if any.
    new: Key | None = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="keys_action", required=True, metavar="ACTION")
    generate = actions.add_parser("generate", help="print a new random key (id and secret)")
    generate.add_argument(
        "--id", help="key id (default: k<YYYYMMDD>, or k<YYYYMMDD>-<n> if that id is in use)"
    )
    status = actions.add_parser("status", help="key ids, states and the rotation stage; no secrets")
    status.add_argument("--json", action="store_true", help="as JSON (key store only)")
    plan = actions.add_parser("plan", help="the next rotation step as settings to deploy")
    plan.add_argument(
        "--new-id", help="id of the key to introduce (default: as `keys generate` picks it)"
    )
    plan.add_argument(
        "--emergency",
        action="store_true",
        help="a key leaked: a new primary now, every other key retired (stage 4 at once)",
    )
    from hardsess.keystore import commands as store_commands

    store_commands.add_arguments(actions)


def handle(options: Mapping[str, Any], stdout: Writer, stderr: Writer) -> int:
    """Run one ``keys`` action; returns the exit status."""
    action = options["keys_action"]
    if action == "generate":
        return _generate(options.get("id"), stdout, stderr)
    from hardsess import keystore
    from hardsess.keystore import commands as store_commands

    if action in store_commands.STORE_ACTIONS or keystore.uses_store():
        return store_commands.handle(options, stdout, stderr)
    if options.get("json"):
        stderr.write("--json needs a key store (HARDSESS['KEY_STORE'])\n")
        return 2
    raw = conf.keys_setting()
    problems = validate_keyring(raw)
    if problems:
        stderr.write("HARDSESS['KEYS'] is invalid:\n" + "".join(f"  - {p}\n" for p in problems))
        return 1
    try:
        keyring = load_keyring(
            raw, settings.SECRET_KEY, list(getattr(settings, "SECRET_KEY_FALLBACKS", ()))
        )
    except ImproperlyConfigured as exc:
        stderr.write(f"{exc}\n")
        return 1
    if action == "status":
        return _status(keyring, stdout)
    return _plan(keyring, options.get("new_id"), bool(options.get("emergency")), stdout, stderr)


def env_var(key_id: str) -> str:
    """The environment variable a plan reads key ``key_id``'s secret from."""
    return "HARDSESS_KEY_" + re.sub(r"[^A-Za-z0-9]", "_", key_id).upper()


def new_key_id(existing: Iterable[str] = (), today: datetime.date | None = None) -> str:
    """The default id of a new key: ``k<YYYYMMDD>``, or ``k<YYYYMMDD>-<n>`` (n = 2, 3, ...)
    when an id in ``existing`` already takes it. Deterministic, so ``keys generate`` and a
    later ``keys plan`` on the same day name the same key, and a plan run twice prints the
    same settings (a random id would make every run's output differ)."""
    base = "k" + (today or datetime.date.today()).strftime("%Y%m%d")
    taken = set(existing)
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in itertools.count(2) if f"{base}-{n}" not in taken)


def _configured_ids() -> list[str]:
    """Ids in ``HARDSESS["KEYS"]`` as configured, for ``generate``'s default id; an
    unreadable setting gives none (``generate`` must work before any keyring exists)."""
    raw = conf.keys_setting()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return []
    return [str(k["id"]) for k in raw if isinstance(k, Mapping) and "id" in k]


def _generate(key_id: str | None, stdout: Writer, stderr: Writer) -> int:
    from hardsess.keyring import KEY_ID_RE

    key_id = key_id or new_key_id(_configured_ids())
    if not KEY_ID_RE.fullmatch(key_id):
        stderr.write("--id must be 1 to 32 characters of letters, digits, '_' or '-'\n")
        return 2
    secret = secrets.token_urlsafe(48)  # 64 characters, 384 bits
    stdout.write(
        f"id:      {key_id}\n"
        f"secret:  {secret}\n"
        f"created: {datetime.date.today().isoformat()}\n"
        f"\nStore the secret in your secret manager and expose it as {env_var(key_id)};\n"
        f"then `manage.py hardsess keys plan --new-id {key_id}` prints the settings to deploy.\n"
    )
    return 0


def _newer(a: Key, b: Key, keys: Sequence[Key]) -> bool:
    """Is ``a`` newer than ``b``? By ``created`` when both have one, else by list position."""
    if a.created and b.created and a.created != b.created:
        return a.created > b.created
    return keys.index(a) < keys.index(b)


def rotation_stage(keyring: Keyring) -> Stage:
    """The rotation stage the keyring is in (see the table in docs/rotation.md)."""
    primary = keyring.primary
    verify = [k for k in keyring.keys if k.state == VERIFY]
    retired = [k for k in keyring.keys if k.state == RETIRED]
    if not verify and not retired:
        return Stage(0, "steady: one key signs and verifies")
    if not verify:
        return Stage(
            4,
            "retire: the new key signs; retired keys are refused (a new rotation starts at 1)",
            old=retired[0],
            new=primary,
        )
    if len(verify) > 1:
        return Stage(None, f"{len(verify)} keys in state verify: not a single K1 -> K2 rotation")
    other = verify[0]
    if keyring.derived or not _newer(other, primary, keyring.keys):
        return Stage(
            2,
            "promote/soak: the new key signs, the old one still verifies; hold this (stage 3, "
            "soak) until the longest cookie life has passed and old-key use stays at zero",
            old=other,
            new=primary,
        )
    return Stage(
        1,
        "stage: the new key verifies but does not sign yet; deploy to every server first",
        old=primary,
        new=other,
    )


def longest_cookie_life() -> int:
    """Seconds a signed cookie set today may still come back (what stage 3 waits for)."""
    from hardsess.firewall.snapshot import current_snapshot

    policies = current_snapshot().requirements
    lives = [settings.SESSION_COOKIE_AGE]
    if policies.for_name(settings.CSRF_COOKIE_NAME).sign and not settings.CSRF_USE_SESSIONS:
        lives.append(settings.CSRF_COOKIE_AGE)
    if settings.LANGUAGE_COOKIE_AGE:
        lives.append(settings.LANGUAGE_COOKIE_AGE)
    explicit = conf.cookie_policies_setting()
    if isinstance(explicit, Mapping):
        lives.extend(policies.for_name(name).max_age for name in explicit if name != "*")
    return max(lives)


def _status(keyring: Keyring, stdout: Writer) -> int:
    source = "derived from SECRET_KEY" if keyring.derived else "HARDSESS['KEYS']"
    lines = [f"keyring: {len(keyring.keys)} key(s), {source}"]
    width = max(len(k.id) for k in keyring.keys)
    for k in keyring.keys:
        created = f"  created {k.created}" if k.created else ""
        lines.append(f"  {k.id:<{width}}  {k.state:<8}  {k.source}{created}")
    stage = rotation_stage(keyring)
    number = "?" if stage.number is None else str(stage.number)
    lines.append(f"rotation stage: {number} ({stage.explanation})")
    counts = old_key_counts()
    if counts:
        used = ", ".join(f"{key_id}: {n}" for key_id, n in sorted(counts.items()))
        lines.append(f"old-key verifications in this process: {used}")
    else:
        lines.append("old-key verifications in this process: none")
    stdout.write("\n".join(lines) + "\n")
    return 0


def _entry(key: Key | None, key_id: str, state: str, created: str | None, note: str) -> str:
    fields = f'"id": "{key_id}", "secret": os.environ["{env_var(key_id)}"], "state": "{state}"'
    if created:
        fields += f', "created": "{created}"'
    comment = f"  # {note}" if note else ""
    return f"        {{{fields}}},{comment}"


def _settings_block(entries: list[str]) -> str:
    """A settings fragment to paste as it stands: it imports ``os`` (the secrets are read
    from the environment) and, when the settings already define ``HARDSESS``, merges into it
    (``**HARDSESS``) so that only ``"KEYS"`` changes: replacing the whole dict would drop
    REPORT_ONLY, SESSION, COOKIES and whatever else the project set."""
    merge = (
        "    **HARDSESS,  # the rest of HARDSESS (REPORT_ONLY, SESSION, ...) stays as it is\n"
        if hasattr(settings, "HARDSESS")
        else ""
    )
    keys = '    "KEYS": [\n' + "\n".join(entries) + "\n    ],\n"
    return "import os\n\nHARDSESS = {\n" + merge + keys + "}\n"


def _note(key: Key) -> str:
    if key.source.startswith("HARDSESS"):
        return ""
    return f"the value of {key.source} today (same id, so its cookies stay valid)"


#: The two headings of every plan. A plan prints what to deploy now and, apart and under its
#: own heading, what comes later: settings of a later stage deployed early log users out.
NOW_HEADING = "== DEPLOY NOW"
LATER_HEADING = "== LATER, NOT YET"


@dataclass(frozen=True)
class Plan:
    """One ``keys plan`` answer: the step to take now, and the one after it."""

    #: What to do now (a heading suffix, then sentences).
    now_title: str
    now_text: str
    #: The settings to deploy now (or keep, when there is nothing new to deploy).
    now_entries: list[str]
    later_title: str
    later_text: str
    #: Settings of the later step, when they can be written today (only stage 4's can: the
    #: soak changes no setting). None: ``keys plan`` prints them when their time comes.
    later_entries: list[str] | None = None

    def render(self) -> str:
        parts = [
            f"{NOW_HEADING}: {self.now_title} ==\n{self.now_text}\n",
            _settings_block(self.now_entries),
            f"{LATER_HEADING}: {self.later_title} ==\n{self.later_text}\n",
        ]
        if self.later_entries is not None:
            parts.append(_settings_block(self.later_entries))
        return "\n".join(parts)


def _plan(
    keyring: Keyring, new_id: str | None, emergency: bool, stdout: Writer, stderr: Writer
) -> int:
    stage = rotation_stage(keyring)
    if not emergency and stage.number is None:
        stderr.write(f"No plan: {stage.explanation}. Reduce the keyring to one rotation.\n")
        return 1
    if emergency or stage.number in (0, 4):
        new_id = new_id or new_key_id(keyring.by_id)
        if new_id in keyring.by_id:
            stderr.write(f"--new-id {new_id} is already in the keyring\n")
            return 2
    if emergency:
        assert new_id is not None
        plan = _emergency_plan(keyring, new_id)
    elif stage.number in (0, 4):
        assert new_id is not None
        plan = _stage_plan(keyring, new_id, retired_dropped=stage.number == 4)
    elif stage.number == 1:
        plan = _promote_plan(stage)
    else:
        plan = _soak_plan(stage)
    stdout.write(plan.render())
    return 0


def _emergency_plan(keyring: Keyring, new_id: str) -> Plan:
    today = datetime.date.today().isoformat()
    entries = [_entry(None, new_id, PRIMARY, today, "new key")]
    entries += [_entry(k, k.id, RETIRED, k.created, _note(k)) for k in keyring.keys]
    return Plan(
        now_title="emergency rotation (a key leaked), to every server at once",
        now_text=(
            "Cookies signed by any other key are refused from now on: users sign in again.\n"
            f"1. `manage.py hardsess keys generate --id {new_id}`; set {env_var(new_id)}.\n"
            "2. Deploy these settings:"
        ),
        now_entries=entries,
        later_title="the next ordinary rotation, stage 1 (stage)",
        later_text=(
            "When it is due, `manage.py hardsess keys plan` stages a new key; it drops the\n"
            "retired entries then (their cookies are long gone)."
        ),
    )


def _stage_plan(keyring: Keyring, new_id: str, *, retired_dropped: bool) -> Plan:
    today = datetime.date.today().isoformat()
    primary = keyring.primary
    text = (
        f"Generate the new key with `manage.py hardsess keys generate --id {new_id}` and set\n"
        f"{env_var(new_id)}. Deploy these settings to EVERY server; the current key still signs."
    )
    if retired_dropped:
        text += "\nRetired keys are dropped: their cookies are long gone."
    return Plan(
        now_title="stage 1 (stage)",
        now_text=text,
        now_entries=[
            _entry(None, new_id, VERIFY, today, "new key: verifies only"),
            _entry(primary, primary.id, PRIMARY, primary.created, _note(primary)),
        ],
        later_title="stage 2 (promote)",
        later_text=(
            "Only once EVERY server runs stage 1: a server without the new key would refuse\n"
            "what it signs, logging those users out. Then run `manage.py hardsess keys plan`\n"
            "again for the stage-2 settings."
        ),
    )


def _promote_plan(stage: Stage) -> Plan:
    assert stage.new is not None
    assert stage.old is not None
    new, old = stage.new, stage.old
    return Plan(
        now_title="stage 2 (promote)",
        now_text=(
            "Every server must already run stage 1. The new key signs; cookies signed by the\n"
            "old key are still accepted and re-issued as they arrive. Deploy these settings:"
        ),
        now_entries=[
            _entry(new, new.id, PRIMARY, new.created, _note(new)),
            _entry(old, old.id, VERIFY, old.created, _note(old)),
        ],
        later_title="stage 3 (soak), then stage 4 (retire)",
        later_text=(
            "Stage 3 changes no setting: keep stage 2 running for the longest signed cookie\n"
            "life. Then `manage.py hardsess keys plan` again says how long, and prints stage 4."
        ),
    )


def _soak_plan(stage: Stage) -> Plan:
    assert stage.new is not None
    assert stage.old is not None
    new, old = stage.new, stage.old
    days = -(-longest_cookie_life() // 86400)
    return Plan(
        now_title="nothing new; stage 3 (soak)",
        now_text=(
            "Deploy nothing new. Keep these settings (stage 2) on every server; the old key\n"
            f"{old.id} must still verify while cookies it signed can come back:"
        ),
        now_entries=[
            _entry(new, new.id, PRIMARY, new.created, _note(new)),
            _entry(old, old.id, VERIFY, old.created, _note(old)),
        ],
        later_title="stage 4 (retire)",
        later_text=(
            f"Not before stage 2 has run on every server for at least {days} day(s) (the longest\n"
            f"signed cookie life) and the INFO log line 'verified by non-primary key {old.id}'\n"
            f"has stopped appearing. Deployed earlier, it logs out every user whose cookie\n"
            f"{old.id} signed: such cookies are refused. Then deploy:"
        ),
        later_entries=[
            _entry(new, new.id, PRIMARY, new.created, _note(new)),
            _entry(old, old.id, RETIRED, old.created, _note(old)),
        ],
    )
