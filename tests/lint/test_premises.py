"""An assignment under ``if X is not None:`` runs only where X is set: X's default is not
judged with it (hardsess.lint.settings_values.premised_unknown).

``if SESSION_FILE_PATH is not None: SESSION_ENGINE = "...file"`` with the path read from the
configuration (default None): wherever the engine is the file engine, the path is set, so
HS109 (file engine in the shared temporary directory) must not fire. Without the guard, or
when the guard names another setting, it still does.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hardsess.lint.api import lint_source
from hardsess.lint.deploy import effective_settings

GUARDED = """\
import os
SESSION_FILE_PATH = os.environ.get("APP_SESSION_DIR", None)
if SESSION_FILE_PATH is not None:
    SESSION_ENGINE = "django.contrib.sessions.backends.file"
"""

UNGUARDED = """\
import os
SESSION_FILE_PATH = os.environ.get("APP_SESSION_DIR", None)
SESSION_ENGINE = "django.contrib.sessions.backends.file"
"""

#: The guard speaks of another name: the path's default stands.
OTHER_GUARD = """\
import os
SESSION_FILE_PATH = os.environ.get("APP_SESSION_DIR", None)
USE_FILES = os.environ.get("APP_FILES", None)
if USE_FILES is not None:
    SESSION_ENGINE = "django.contrib.sessions.backends.file"
"""


def rules(source: str) -> list[str]:
    return sorted(f.rule_id for f in lint_source(source, "proj/settings/prod.py"))


@pytest.mark.parametrize(
    ("source", "reported"), [(GUARDED, False), (UNGUARDED, True), (OTHER_GUARD, True)]
)
def test_file_mode(source: str, reported: bool) -> None:
    assert ("HS109" in rules(source)) is reported


def test_deploy_mode_sees_the_premise_across_a_star_import(tmp_path: Path) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj/__init__.py").touch()
    (tmp_path / "proj/base.py").write_text(textwrap.dedent(GUARDED))
    (tmp_path / "proj/prod.py").write_text("from .base import *\n")
    effective, errors = effective_settings("proj.prod", [tmp_path])
    assert errors == []
    assert effective is not None
    assert effective.values["SESSION_ENGINE"].value.endswith(".file")
    assert "SESSION_FILE_PATH" in effective.unknown
    assert "SESSION_FILE_PATH" not in effective.values
