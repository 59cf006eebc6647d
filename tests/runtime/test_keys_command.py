"""``manage.py hardsess keys``: generate, status, plan, and the lint placeholder."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from hardsess.keyring import load_keyring, validate_keyring
from hardsess.management.keys import env_var
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
    assert "HARDSESS_KEY_K9" in first


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


def plan_keys(out: str) -> list[dict[str, str]]:
    """Evaluate a printed plan with fake environment variables: it must be valid settings."""
    env = {env_var(k["id"]): k["secret"] for k in (K1, K2)}
    env.update({env_var("k3"): "k3-" + "0123456789abcdef" * 4})
    block = out[out.index("HARDSESS = {") :]
    namespace: dict[str, object] = {}
    exec(block, {"os": type("os", (), {"environ": env})}, namespace)
    keys = namespace["HARDSESS"]["KEYS"]  # type: ignore[index]
    assert validate_keyring(keys) == []
    return keys  # type: ignore[no-any-return]


def states(keys: list[dict[str, str]]) -> dict[str, str]:
    return {k["id"]: k["state"] for k in keys}


def test_plan_walks_a_rotation_from_stage_0_to_4() -> None:
    with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
        out = run("keys", "plan", "--new-id", "k2")
    assert K1["secret"] not in out
    stage1 = plan_keys(out)
    assert states(stage1) == {"k2": "verify", "k1": "primary"}
    with override_settings(HARDSESS={"KEYS": stage1}):
        assert "rotation stage: 1 " in run("keys", "status")
        stage2 = plan_keys(run("keys", "plan"))
    assert states(stage2) == {"k2": "primary", "k1": "verify"}
    with override_settings(HARDSESS={"KEYS": stage2}):
        out = run("keys", "plan")
    assert "at least 14 day(s)" in out  # SESSION_COOKIE_AGE, two weeks
    stage4 = plan_keys(out)
    assert states(stage4) == {"k2": "primary", "k1": "retired"}
    with override_settings(HARDSESS={"KEYS": stage4}):
        assert states(plan_keys(run("keys", "plan", "--new-id", "k3"))) == {
            "k3": "verify",
            "k2": "primary",
        }


def test_emergency_plan_retires_everything_else() -> None:
    with override_settings(HARDSESS={"KEYS": [key(K2, "primary"), key(K1, "verify")]}):
        keys = plan_keys(run("keys", "plan", "--emergency", "--new-id", "k3"))
    assert states(keys) == {"k3": "primary", "k2": "retired", "k1": "retired"}


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
