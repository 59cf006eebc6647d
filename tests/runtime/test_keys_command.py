"""``manage.py hardsess keys``: generate, status, plan, and the lint placeholder."""

from __future__ import annotations

import datetime
import io
import os
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from hardsess.keyring import load_keyring, validate_keyring
from hardsess.management.keys import env_var, new_key_id
from hardsess.policy import secret_key_weakness
from tests.runtime.conftest import K1, K2, key


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("hardsess", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_generate_prints_a_usable_random_key() -> None:
    first = run("keys", "generate", "--id", "k9")
    second = run("keys", "generate", "--id", "k9")
    secret = re.search(r"secret:\s+(\S+)", first)
    assert secret is not None
    assert secret.group(1) not in second
    entry = {"id": "k9", "secret": secret.group(1), "state": "primary"}
    assert validate_keyring([entry]) == []
    assert secret_key_weakness(secret.group(1)) is None  # as strong as SECRET_KEY must be
    assert "HARDSESS_KEY_K9" in first


TODAY = "k" + datetime.date.today().strftime("%Y%m%d")


def test_new_key_ids_come_from_the_date_and_the_ids_in_use() -> None:
    day = datetime.date(2026, 3, 9)
    assert new_key_id((), day) == "k20260309"
    assert new_key_id(["k1", "k20260309"], day) == "k20260309-2"
    assert new_key_id(["k20260309", "k20260309-2"], day) == "k20260309-3"


def test_generate_and_plan_pick_the_same_default_id() -> None:
    with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
        generated = run("keys", "generate")
        first, second = run("keys", "plan"), run("keys", "plan")
    assert f"id:      {TODAY}\n" in generated
    assert first == second  # the same keyring on the same day: the same plan, to the byte
    assert states(plan_keys(sections(first)[0])) == {TODAY: "verify", "k1": "primary"}
    assert K1["secret"] not in first


def test_a_default_id_already_in_use_gets_a_counter() -> None:
    with override_settings(HARDSESS={"KEYS": [{**K1, "id": TODAY}]}):
        out = run("keys", "plan")
    assert f'"id": "{TODAY}-2", ' in out


def test_a_pasted_plan_runs_in_a_settings_module_and_keeps_the_rest_of_hardsess() -> None:
    """The fragment goes below the project's own HARDSESS, as a user pastes it: no ``os``
    imported by the test, REPORT_ONLY and SESSION still there afterwards."""
    with override_settings(HARDSESS={**EXISTING, "KEYS": [key(K1, "primary")]}):
        out = run("keys", "plan", "--new-id", "k2")
    settings_module = (
        'HARDSESS = {"REPORT_ONLY": True, "SESSION": {"IDLE_TIMEOUT": 1800}}\n\n'
        + settings_block(out)
    )
    module: dict[str, object] = {}
    env = {env_var("k1"): K1["secret"], env_var("k2"): K2["secret"]}
    with mock.patch.dict(os.environ, env):
        exec(compile(settings_module, "settings.py", "exec"), module)
    hardsess = module["HARDSESS"]
    assert isinstance(hardsess, dict)
    assert hardsess["REPORT_ONLY"] is True
    assert hardsess["SESSION"] == {"IDLE_TIMEOUT": 1800}
    assert validate_keyring(hardsess["KEYS"]) == []
    assert states(hardsess["KEYS"]) == {"k2": "verify", "k1": "primary"}
    assert K1["secret"] not in out


def test_without_a_hardsess_setting_the_plan_defines_it(settings: object) -> None:
    out = run("keys", "plan", "--new-id", "k2")  # the test settings define no HARDSESS
    secret_key = settings.SECRET_KEY  # type: ignore[attr-defined]
    derived = load_keyring(None, secret_key).primary.id
    env = {env_var("k2"): K2["secret"], env_var(derived): secret_key}
    module: dict[str, object] = {}
    with mock.patch.dict(os.environ, env):
        exec(settings_block(out), module)  # no NameError: nothing to merge into
    assert "**HARDSESS" not in out
    assert "KEYS" in module["HARDSESS"]  # type: ignore[operator]


def test_generate_refuses_a_bad_id() -> None:
    with pytest.raises(CommandError) as info:
        run("keys", "generate", "--id", "bad.id")
    assert info.value.returncode == 2


@pytest.mark.parametrize(
    ("keys", "stage"),
    [
        ([key(K1, "primary")], "0"),
        ([key(K2, "verify"), key(K1, "primary")], "1"),
        ([key(K2, "primary"), key(K1, "verify")], "2"),
        ([key(K2, "primary"), key(K1, "retired")], "4"),
        # created dates win over the list order
        (
            [
                {**key(K1, "primary"), "created": "2026-01-01"},
                {**key(K2, "verify"), "created": "2026-06-01"},
            ],
            "1",
        ),
    ],
)
def test_status_names_the_stage_and_never_a_secret(keys: list[dict[str, str]], stage: str) -> None:
    with override_settings(HARDSESS={"KEYS": keys}):
        out = run("keys", "status")
    assert f"rotation stage: {stage} " in out
    assert "k1" in out
    assert K1["secret"] not in out
    assert K2["secret"] not in out


def test_status_shows_old_key_use() -> None:
    client = Client()
    with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
        client.get("/rt/set/", {"name": "prefs"})
    with override_settings(HARDSESS={"KEYS": [key(K2, "primary"), key(K1, "verify")]}):
        client.get("/rt/echo/")
        assert "old-key verifications in this process: k1: 1" in run("keys", "status")


@override_settings(HARDSESS={"KEYS": [key(K1, "primary"), key(K1, "primary")]})
def test_status_explains_an_invalid_keyring() -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("hardsess", "keys", "status", stdout=io.StringIO(), stderr=err)
    assert "id is also used by" in err.getvalue()
    assert K1["secret"] not in err.getvalue()


#: What a project's settings hold besides KEYS: a pasted plan must keep it.
EXISTING = {"REPORT_ONLY": True, "SESSION": {"IDLE_TIMEOUT": 1800}}


def settings_block(out: str) -> str:
    """The first settings fragment of ``out``, from its import to the dict's closing brace."""
    block = out[out.index("import os\n") :]
    block = block[: block.index("\n}\n") + 3]  # one settings block, not what follows it
    assert "HARDSESS = {" in block
    return block


def plan_keys(out: str) -> list[dict[str, str]]:
    """Paste a printed plan's settings below an existing ``HARDSESS`` and run it, with the
    environment variables it names set: it must run as it stands (its own imports), keep
    what the settings held besides KEYS, and give a valid keyring."""
    env = {env_var(k["id"]): k["secret"] for k in (K1, K2)}
    env.update({env_var(i): i + "-" + "0123456789abcdef" * 4 for i in ("k3", TODAY)})
    module: dict[str, object] = {"HARDSESS": {**EXISTING, "KEYS": [key(K1, "primary")]}}
    with mock.patch.dict(os.environ, env):
        exec(settings_block(out), module)
    hardsess = module["HARDSESS"]
    assert isinstance(hardsess, dict)
    assert {k: v for k, v in hardsess.items() if k != "KEYS"} == EXISTING
    keys = hardsess["KEYS"]
    assert validate_keyring(keys) == []
    return keys  # type: ignore[no-any-return]


def sections(out: str) -> tuple[str, str]:
    """A plan's two parts: what to deploy now, and what comes later (after the heading)."""
    assert out.startswith(NOW), out
    assert out.count(NOW) == 1, out
    assert out.count(LATER) == 1, out
    now, later = out.split(LATER)
    return now, later


#: The headings every plan prints: what to deploy now, and (clearly apart) what comes later.
NOW = "== DEPLOY NOW"
LATER = "== LATER, NOT YET"


def states(keys: list[dict[str, str]]) -> dict[str, str]:
    return {k["id"]: k["state"] for k in keys}


def plan(keys: list[dict[str, str]], *args: str) -> tuple[str, str]:
    with override_settings(HARDSESS={"KEYS": keys}):
        return sections(run("keys", "plan", *args))


def test_plan_walks_a_rotation_from_stage_0_to_4() -> None:
    with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
        out = run("keys", "plan", "--new-id", "k2")
    assert K1["secret"] not in out
    stage1 = plan_keys(sections(out)[0])
    assert states(stage1) == {"k2": "verify", "k1": "primary"}
    with override_settings(HARDSESS={"KEYS": stage1}):
        assert "rotation stage: 1 " in run("keys", "status")
        stage2 = plan_keys(sections(run("keys", "plan"))[0])
    assert states(stage2) == {"k2": "primary", "k1": "verify"}
    with override_settings(HARDSESS={"KEYS": stage2}):
        now, later = sections(run("keys", "plan"))
    assert "at least 14 day(s)" in later  # SESSION_COOKIE_AGE, two weeks
    assert states(plan_keys(now)) == states(stage2)  # stage 3: keep what runs
    stage4 = plan_keys(later)
    assert states(stage4) == {"k2": "primary", "k1": "retired"}
    with override_settings(HARDSESS={"KEYS": stage4}):
        now, _ = sections(run("keys", "plan", "--new-id", "k3"))
    assert states(plan_keys(now)) == {"k3": "verify", "k2": "primary"}


def test_plan_at_stage_2_never_offers_the_retire_step_as_settings_to_keep() -> None:
    """Deploying stage 4 during the soak refuses every cookie still signed by the old key."""
    now, later = plan([key(K2, "primary"), key(K1, "verify")])
    assert "retired" not in now
    assert "Keep these settings" not in later
    assert states(plan_keys(now)) == {"k2": "primary", "k1": "verify"}
    assert "nothing new" in now
    assert "stage 4 (retire)" in later
    assert "Not before stage 2 has run on every server for at least 14 day(s)" in later
    assert "verified by non-primary key k1" in later
    assert "logs out" in later
    assert states(plan_keys(later)) == {"k2": "primary", "k1": "retired"}


@pytest.mark.parametrize(
    ("keys", "args", "deploy_now", "later_says"),
    [
        pytest.param(
            [key(K1, "primary")],
            ("--new-id", "k2"),
            {"k2": "verify", "k1": "primary"},
            "stage 2 (promote)",
            id="stage-0",
        ),
        pytest.param(
            [key(K2, "verify"), key(K1, "primary")],
            (),
            {"k1": "verify", "k2": "primary"},
            "stage 3 (soak)",
            id="stage-1",
        ),
        pytest.param(
            [key(K2, "primary"), key(K1, "verify")],
            (),
            {"k2": "primary", "k1": "verify"},
            "stage 4 (retire)",
            id="stage-2",
        ),
        pytest.param(
            [key(K2, "primary"), key(K1, "retired")],
            ("--new-id", "k3"),
            {"k3": "verify", "k2": "primary"},
            "stage 2 (promote)",
            id="stage-4",
        ),
    ],
)
def test_every_stage_prints_what_to_deploy_now_apart_from_what_comes_later(
    keys: list[dict[str, str]], args: tuple[str, ...], deploy_now: dict[str, str], later_says: str
) -> None:
    now, later = plan(keys, *args)
    assert states(plan_keys(now)) == deploy_now
    assert now.count("HARDSESS = {") == 1
    assert later_says in later
    # Only the soak (stage 2/3) can print stage 4's settings, and only under LATER: any
    # other later step depends on settings not deployed yet, so it is planned when it comes.
    blocks_later = later.count("HARDSESS = {")
    assert blocks_later == (1 if later_says == "stage 4 (retire)" else 0)
    assert K1["secret"] not in now + later
    assert K2["secret"] not in now + later


def test_emergency_plan_retires_everything_else() -> None:
    now, later = plan([key(K2, "primary"), key(K1, "verify")], "--emergency", "--new-id", "k3")
    assert states(plan_keys(now)) == {"k3": "primary", "k2": "retired", "k1": "retired"}
    assert "HARDSESS = {" not in later
    assert "stage 1 (stage)" in later  # the next rotation, when it is due


def test_plan_from_djangos_secret_key_keeps_existing_cookies_valid(settings: object) -> None:
    out = run("keys", "plan", "--new-id", "k2")
    derived = load_keyring(None, settings.SECRET_KEY)  # type: ignore[attr-defined]
    assert f'"id": "{derived.primary.id}"' in out
    assert "SECRET_KEY" in out
    assert settings.SECRET_KEY not in out  # type: ignore[attr-defined]


def test_lint_subcommand_is_dispatched_or_explained() -> None:
    import importlib.util

    if importlib.util.find_spec("hardsess.management.lint_command") is None:
        with pytest.raises(CommandError, match="lint_command is not installed"):
            run("lint")
    else:
        # Another engineer's module: only the dispatch is this test's business.
        from hardsess.management.commands.hardsess import _lint_module

        assert _lint_module() is not None


def _documented_logging(page: str) -> dict[str, object]:
    """The ``LOGGING = {...}`` block of a docs page, run as a settings module would."""
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / page).read_text(encoding="utf-8")
    start = docs.index("LOGGING = {")
    block = docs[start : docs.index("\n}\n", start) + 3]
    module: dict[str, object] = {}
    exec(block, module)
    logging_setting = module["LOGGING"]
    assert isinstance(logging_setting, dict)
    return logging_setting


@pytest.mark.django_db
def test_the_documented_logging_shows_the_old_key_line_the_plan_says_to_watch() -> None:
    """docs/rotation.md tells you to watch 'verified by non-primary key k1' at INFO during the
    soak. Under Django's default logging that record reaches no handler; with the LOGGING of
    the docs (configured the way Django does at start-up) it does."""
    import logging

    from django.utils.log import configure_logging

    documented = _documented_logging("rotation.md")
    assert _documented_logging("runtime.md") == documented
    hardsess_logger = logging.getLogger("hardsess")
    saved = (hardsess_logger.handlers[:], hardsess_logger.level, hardsess_logger.propagate)
    try:
        configure_logging("logging.config.dictConfig", {})  # Django's defaults alone
        assert not hardsess_logger.isEnabledFor(logging.INFO)

        configure_logging("logging.config.dictConfig", documented)
        [handler] = hardsess_logger.handlers
        assert isinstance(handler, logging.StreamHandler)
        captured = io.StringIO()
        handler.setStream(captured)
        client = Client()
        with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
            client.get("/rt/set/", {"name": "prefs", "value": "dark", "max_age": "3600"})
        with override_settings(HARDSESS={"KEYS": [key(K2, "primary"), key(K1, "verify")]}):
            client.get("/rt/session/get/")
        assert "cookie prefs verified by non-primary key k1" in captured.getvalue()
        assert K1["secret"] not in captured.getvalue()
    finally:
        for handler in hardsess_logger.handlers:
            if handler not in saved[0]:
                hardsess_logger.removeHandler(handler)
        hardsess_logger.handlers[:] = saved[0]
        hardsess_logger.setLevel(saved[1])
        hardsess_logger.propagate = saved[2]
