"""The byte-level pre-filter: files that cannot matter are neither parsed nor import libcst."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hardsess.lint.prefilter import (
    CODE_TRIGGERS,
    SETTINGS_TRIGGERS,
    code_may_matter,
    settings_may_matter,
)
from hardsess.lint.registry import load_rules
from hardsess.policy import SETTINGS_NAMES

from .conftest import ROOT


def test_settings_triggers_are_every_setting_the_catalogue_reads() -> None:
    assert {t.decode() for t in SETTINGS_TRIGGERS} == set(SETTINGS_NAMES)
    assert settings_may_matter(b"SESSION_COOKIE_SECURE = False\n")
    assert not settings_may_matter(b"DEBUG = True\nALLOWED_HOSTS = []\n")


def test_code_triggers() -> None:
    assert code_may_matter(b"response.set_cookie('k')")
    assert code_may_matter(b"response.set_signed_cookie('k', 'v')")
    assert not code_may_matter(b"response.delete_cookie('k')")


def test_every_code_rule_trigger_passes_the_prefilter() -> None:
    for rule_id, cls in load_rules().code.items():
        assert set(cls.TRIGGERS) <= set(CODE_TRIGGERS), rule_id


_PROBE = """
import json, sys
from hardsess.cli import main
code = main(["lint", *sys.argv[1:]])
print(json.dumps({"libcst": any(m == "libcst" or m.startswith("libcst.") for m in sys.modules),
                  "django": "django" in sys.modules, "code": code}))
"""


def _probe(paths: list[str], cwd: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *paths],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1]
    result: dict[str, object] = json.loads(last)
    return result


def test_a_file_with_no_session_or_cookie_content_does_not_import_libcst(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text("DEBUG = True\nALLOWED_HOSTS = ['x']\n")
    (tmp_path / "views.py").write_text("def view(request):\n    return None\n")
    result = _probe(["settings.py", "views.py"], tmp_path)
    assert result == {"libcst": False, "django": False, "code": 0}


def test_a_file_that_matters_is_parsed_but_django_is_never_imported(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text("SESSION_COOKIE_SECURE = False\n")
    result = _probe(["settings.py"], tmp_path)
    assert result == {"libcst": True, "django": False, "code": 1}


def test_a_settings_name_in_a_non_settings_file_is_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "helpers.py").write_text("SESSION_COOKIE_SECURE = False\n")
    result = _probe(["helpers.py"], tmp_path)
    assert result == {"libcst": False, "django": False, "code": 0}
