"""Templated files (Jinja / cookiecutter) are skipped as templated, never an error; parse
errors show one position, and the GitHub and SARIF outputs point at it."""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest

from hardsess.lint.config import Config
from hardsess.lint.linter import _libcst_error
from hardsess.lint.runner import lint_paths
from hardsess.lint.templates import has_template_syntax, in_template_directory

from .conftest import RunCli, write

JINJA_SETTINGS = (
    "import os\n"
    "\n"
    "SESSION_COOKIE_SECURE = {{ cookiecutter.secure }}\n"
    "{% if cookiecutter.use_celery == 'y' %}\n"
    "CELERY_BROKER_URL = os.environ['BROKER']\n"
    "{% endif %}\n"
)
BAD_OK = "SESSION_COOKIE_SECURE = False\n"
BROKEN = "x = (1,\n  2 +)\nSESSION_COOKIE_SECURE = False\n"


def test_cookiecutter_tree_is_skipped_not_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    write(
        tmp_path,
        {
            "{{cookiecutter.project_slug}}/config/settings.py": JINJA_SETTINGS,
            # parses, and would be a finding: still template source, so not judged
            "{{cookiecutter.project_slug}}/config/prod_settings.py": BAD_OK,
            "{{cookiecutter.project_slug}}/util.py": "X = {{ cookiecutter.x }}\n",  # cannot matter
            "hooks/post_gen_project.py": "print('done')\n",
        },
    )
    done = run_cli("lint", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("HS101") == 0
    lines = [line for line in done.stderr.splitlines() if "templated" in line]
    assert sorted(lines) == [
        f"{{{{cookiecutter.project_slug}}}}/config/{name}: skipped: templated file "
        "(Jinja/cookiecutter syntax), not Python until rendered"
        for name in ("prod_settings.py", "settings.py")
    ]
    assert run_cli("lint", "--strict", ".", cwd=tmp_path).returncode == 0  # strict: budget only


def test_jinja_in_a_py_file_outside_a_template_directory(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"proj/settings.py": JINJA_SETTINGS, "proj/other_settings.py": BAD_OK})
    done = run_cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # the other file's finding only
    document = json.loads(done.stdout)
    assert document["errors"] == []
    assert [(s["path"], s["kind"]) for s in document["skipped"]] == [
        ("proj/settings.py", "templated")
    ]


def test_named_templated_file_is_skipped(tmp_path: Path, run_cli: RunCli) -> None:
    # pre-commit names each staged file: a template that cannot matter must not exit 2 either
    write(tmp_path, {"app/module.py": "{% if cookiecutter.x %}\nVALUE = 1\n{% endif %}\n"})
    done = run_cli("lint", "app/module.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "app/module.py: skipped: templated file" in done.stderr


def test_exit_zero_always_exits_0(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"settings.py": BROKEN, "app/settings.py": BAD_OK})
    assert run_cli("lint", ".", cwd=tmp_path).returncode == 2
    done = run_cli("lint", "--exit-zero", ".", cwd=tmp_path)
    assert done.returncode == 0
    assert "settings.py: cannot parse" in done.stderr  # still reported


def test_parse_error_has_one_position_everywhere(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"settings.py": BROKEN})
    text = run_cli("lint", ".", cwd=tmp_path).stderr
    assert text.splitlines() == ["settings.py: cannot parse: invalid syntax (line 2, column 6)"]
    github = run_cli("lint", "--format", "github", ".", cwd=tmp_path).stdout
    assert github.splitlines() == [
        "::error file=settings.py,line=2,col=6,title=hardsess::"
        "cannot parse: invalid syntax (line 2, column 6)"
    ]
    sarif = json.loads(run_cli("lint", "--format", "sarif", ".", cwd=tmp_path).stdout)
    [note] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    region = note["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 6}


def test_libcst_only_error_keeps_its_message_position() -> None:
    # libcst's raw_line names the next token's line (3 here); the message's 2:6 is right.
    with pytest.raises(cst.ParserSyntaxError) as caught:
        cst.parse_module(BROKEN)
    assert caught.value.raw_line == 3
    error = _libcst_error("settings.py", caught.value)
    assert (error.line, error.column) == (2, 6)
    assert error.reason.endswith("(line 2, column 6)")
    assert "error at" not in error.reason


def test_valid_python_with_braces_is_not_templated(tmp_path: Path) -> None:
    source = 'X = f"{{literal}}"\nY = {frozenset({1})}\n' + BAD_OK
    write(tmp_path, {"settings.py": source})
    run = lint_paths([str(tmp_path)], Config())
    assert run.skipped == []
    assert [f.rule_id for f in run.findings] == ["HS101"]


@pytest.mark.parametrize(
    ("path", "templated"),
    [
        ("{{cookiecutter.project_slug}}/settings.py", True),
        ("a/{{ cookiecutter.app }}/views.py", True),
        ("proj/settings.py", False),
        ("proj/{weird}/settings.py", False),
    ],
)
def test_in_template_directory(path: str, templated: bool) -> None:
    assert in_template_directory(path) is templated


def test_has_template_syntax() -> None:
    assert has_template_syntax(b"{% if x %}\n")
    assert has_template_syntax(b"X = {{ y }}\n")
    assert has_template_syntax(b"{# a note #}\n")
    assert not has_template_syntax(b"x = (1,\n  2 +)\n")
