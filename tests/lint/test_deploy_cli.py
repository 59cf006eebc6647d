"""Deploy mode end to end: ``hardsess lint --settings`` and ``manage.py hardsess lint`` as real
subprocesses on a small project written to a temporary directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HARDSESS = [sys.executable, "-m", "hardsess.cli"]

BASE = """\
import os

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["localhost"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth",
                  "django.contrib.sessions", "hardsess"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_HTTPONLY = False
"""

PROD = """\
from .base import *
from .base import MIDDLEWARE

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = True
SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False
MIDDLEWARE += ["hardsess.middleware.HardSessMiddleware"]
"""

MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        "manage.py": MANAGE,
        "proj/__init__.py": "",
        "proj/settings/__init__.py": "",
        "proj/settings/base.py": BASE,
        "proj/settings/prod.py": PROD,
        "proj/views.py": "def view(request, response):\n    response.set_cookie('k', 'v')\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    return tmp_path


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(REPO)
    env["DJANGO_SECRET_KEY"] = "k" * 60 + "-not-a-real-secret-0123456789"
    env["NO_COLOR"] = "1"
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def line_of(path: Path, prefix: str) -> int:
    return next(
        i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(prefix)
    )


def findings(output: str) -> list[tuple[str, int, str]]:
    report = json.loads(output)
    return sorted((f["path"], f["line"], f["rule_id"]) for f in report["findings"])


def test_cli_settings_flag_reports_effective_values(project: Path) -> None:
    done = run([*HARDSESS, "lint", "--settings", "proj.settings.prod", "--format", "json"], project)
    assert done.returncode == 1, done.stderr
    base = project / "proj/settings/base.py"
    prod = project / "proj/settings/prod.py"
    assert findings(done.stdout) == sorted(
        [
            # File mode: the code rule in views.py still runs.
            ("proj/views.py", 2, "HS201"),
            # HS102 stays in base.py (nothing overrides it); HS101 not (prod overrides it).
            ("proj/settings/base.py", line_of(base, "SESSION_COOKIE_HTTPONLY"), "HS102"),
            # MIDDLEWARE += [...] in prod puts the firewall below SessionMiddleware.
            ("proj/settings/prod.py", line_of(prod, "MIDDLEWARE +="), "HS152"),
        ]
    )


def test_cli_without_settings_is_file_mode(project: Path) -> None:
    done = run([*HARDSESS, "lint", "--format", "json", "proj/settings"], project)
    rules = {rule for _, _, rule in findings(done.stdout)}
    # File mode cannot know prod overrides base: HS101 is reported in base.py.
    assert "HS101" in rules
    # File mode follows prod's star import of base (hardsess.lint.project_names), so
    # MIDDLEWARE += [...] is known there, as in deploy mode.
    assert (
        "proj/settings/prod.py",
        line_of(project / "proj/settings/prod.py", "MIDDLEWARE +="),
        "HS152",
    ) in findings(done.stdout)


def test_settings_from_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.hardsess]\nsettings = ["proj.settings.prod"]\n')
    done = run([*HARDSESS, "lint", "--format", "json", "--select", "HS15"], project)
    assert done.returncode == 1, done.stderr
    prod = project / "proj/settings/prod.py"
    assert findings(done.stdout) == [
        ("proj/settings/prod.py", line_of(prod, "MIDDLEWARE +="), "HS152")
    ]


def test_missing_settings_module_exits_2(project: Path) -> None:
    done = run([*HARDSESS, "lint", "--settings", "proj.settings.nowhere", "proj"], project)
    assert done.returncode == 2
    assert "proj.settings.nowhere: settings module not found" in done.stderr


def test_clean_deploy_exits_0(project: Path) -> None:
    base = project / "proj/settings/base.py"
    firewall_first = (
        'MIDDLEWARE = ["hardsess.middleware.HardSessMiddleware", "django.contrib.sessions'
    )
    base.write_text(
        base.read_text()
        .replace("SESSION_COOKIE_HTTPONLY = False", "SESSION_COOKIE_HTTPONLY = True")
        .replace('MIDDLEWARE = ["django.contrib.sessions', firewall_first)
    )
    prod = project / "proj/settings/prod.py"
    prod.write_text(prod.read_text().replace('["hardsess.middleware.HardSessMiddleware"]', "[]"))
    done = run([*HARDSESS, "lint", "--settings", "proj.settings.prod", "proj/settings"], project)
    assert done.returncode == 0, done.stdout + done.stderr


def test_manage_py_hardsess_lint_uses_the_active_settings(project: Path) -> None:
    # No --skip-checks: the command runs on exactly the projects whose system checks fail.
    done = run(
        [sys.executable, "manage.py", "hardsess", "lint", "--format", "json"],
        project,
    )
    assert done.returncode == 1, done.stderr
    rules = findings(done.stdout)
    assert (
        "proj/settings/prod.py",
        line_of(project / "proj/settings/prod.py", "MIDDLEWARE +="),
        "HS152",
    ) in rules
    assert not any(rule == "HS101" for _, _, rule in rules)


def test_manage_py_hardsess_lint_from_another_directory(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    done = run(
        [
            sys.executable,
            str(project / "manage.py"),
            "hardsess",
            "lint",
            "--select",
            "HS152",
        ],
        elsewhere,
    )
    assert done.returncode == 1, done.stderr
    assert "HS152" in done.stdout
    assert "prod.py" in done.stdout


def test_manage_py_hardsess_lint_same_options_as_the_cli(project: Path) -> None:
    done = run(
        [
            sys.executable,
            "manage.py",
            "hardsess",
            "lint",
            "--statistics",
            "--exit-zero",
        ],
        project,
    )
    assert done.returncode == 0, done.stderr
    assert "HS152" in done.stdout
    done = run(
        [sys.executable, "manage.py", "hardsess", "lint", "--format", "nope"],
        project,
    )
    assert done.returncode != 0
    assert "invalid choice" in done.stderr


def test_manage_py_settings_option_selects_the_deploy_module(project: Path) -> None:
    (project / "proj/settings/dev.py").write_text(
        "from .base import *\nSESSION_COOKIE_SAMESITE = None\n"
    )
    done = run(
        [
            sys.executable,
            "manage.py",
            "hardsess",
            "lint",
            "--settings",
            "proj.settings.dev",
            "--select",
            "HS103",
            "proj/settings",
        ],
        project,
    )
    assert done.returncode == 1, done.stderr
    assert "proj/settings/dev.py:2:1: HS103" in done.stdout


def test_call_command_in_process_on_the_test_project() -> None:
    """Through Django's call_command: the active settings are tests.project.settings."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = io.StringIO(), io.StringIO()
    # tests/project/settings.py is secure but for its literal test-only SECRET_KEY default
    # (HS131): without it, deploy mode finds nothing, exit 0 (no CommandError).
    call_command(
        "hardsess", "lint", str(REPO / "tests/project"), "--format", "json", "--ignore", "HS131",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert json.loads(out.getvalue())["findings"] == []
    # A module that does not exist: exit 2, as a CommandError carrying that status.
    with pytest.raises(CommandError) as raised:
        call_command(
            "hardsess", "lint", str(REPO / "tests/project"), "--settings", "tests.project.nope",
            stdout=out, stderr=err,
        )  # fmt: skip
    assert raised.value.returncode == 2
    assert "tests.project.nope: settings module not found" in err.getvalue()


def test_deploy_findings_are_valid_sarif(project: Path) -> None:
    import jsonschema

    done = run(
        [*HARDSESS, "lint", "--settings", "proj.settings.prod", "--format", "sarif"], project
    )
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    schema = json.loads((REPO / "tests/lint/sarif-2.1.0-subset.schema.json").read_text())
    jsonschema.validate(document, schema)
    rules = {r["ruleId"] for r in document["runs"][0]["results"]}
    assert {"HS102", "HS152"} <= rules
