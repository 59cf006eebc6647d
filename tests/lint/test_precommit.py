"""The pre-commit hooks, run by the real ``pre-commit`` as a user's repository would.

Setup (once per module): the package as it is in this working tree (pyproject, README,
hardsess/, lint_rules/, .pre-commit-hooks.yaml) is committed into a temporary git repository,
the *hooks repository*. A second temporary repository, the *project*, points its
``.pre-commit-config.yaml`` at it by path and commit, and stages an insecure settings file.
pre-commit clones the hooks repository and builds its own virtualenv with ``pip install .``
(dependencies come from PyPI), under a ``PRE_COMMIT_HOME`` inside the test's temp directory.

What is checked is what pre-commit prints and does: the ``hardsess`` hook fails with the
finding in its output and leaves the file alone; ``hardsess-fix`` rewrites the file and fails
because files were modified, and passes once the fix is staged; non-Python files are never
handed to the hooks. The wall time of the environment build and of each run is printed
(``pytest -s``), never asserted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
#: What pre-commit needs to build the package from the hooks repository.
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
PACKAGE_DIRS = ("hardsess", "lint_rules")

INSECURE_SETTINGS = """\
import os

DEBUG = False
SESSION_COOKIE_SECURE = False  # TODO before launch
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_SAMESITE = None
"""
FIXED_SETTINGS = """\
import os

DEBUG = False
SESSION_COOKIE_SECURE = True  # TODO before launch
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
"""

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=hardsess tests", "-c", "user.email=tests@invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str
    seconds: float


@dataclass(frozen=True)
class Project:
    path: Path
    env: dict[str, str]

    def pre_commit(self, *args: str) -> Run:
        start = time.perf_counter()
        done = subprocess.run(
            [str(PRE_COMMIT), *args, "--color", "never"],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        print(f"pre-commit {' '.join(args)}: {seconds:.1f} s (exit {done.returncode})")
        return Run(done.returncode, done.stdout + done.stderr, seconds)

    def stage(self, relative: str, text: str) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        _git(self.path, "add", relative)
        return path


def _hooks_repository(where: Path) -> tuple[Path, str]:
    """This working tree's package, committed into a fresh repository: (path, commit)."""
    where.mkdir()
    for name in PACKAGE_FILES:
        shutil.copy2(ROOT / name, where / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PACKAGE_DIRS:
        shutil.copytree(ROOT / name, where / name, ignore=ignore)
    _git(where, "init", "-q")
    _git(where, "add", ".")
    _git(where, "commit", "-q", "-m", "hardsess as under test")
    return where, _git(where, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is not installed in {PRE_COMMIT.parent} (the test extra has it)")
    base = tmp_path_factory.mktemp("precommit")
    hooks, rev = _hooks_repository(base / "hooks")
    path = base / "project"
    path.mkdir()
    _git(path, "init", "-q")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "pre-commit-home"),
        # The hook environment is built once and thrown away: skip byte-compiling Django.
        "PIP_NO_COMPILE": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_AUTHOR_NAME": "hardsess tests",
        "GIT_AUTHOR_EMAIL": "tests@invalid",
        "GIT_COMMITTER_NAME": "hardsess tests",
        "GIT_COMMITTER_EMAIL": "tests@invalid",
    }
    env.pop("VIRTUAL_ENV", None)
    config = (
        "repos:\n"
        f"  - repo: {hooks}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: hardsess\n"
        "      - id: hardsess-fix\n"
    )
    result = Project(path, env)
    result.stage(".pre-commit-config.yaml", config)
    installed = result.pre_commit("install-hooks")
    assert installed.returncode == 0, installed.output
    print(f"hook environment built in {installed.seconds:.1f} s")
    return result


def test_lint_hook_fails_with_the_finding_and_leaves_the_file(project: Project) -> None:
    settings = project.stage("mysite/settings.py", INSECURE_SETTINGS)
    run = project.pre_commit("run", "hardsess")
    assert run.returncode == 1, run.output
    assert "hardsess (Django session and cookie linter)" in run.output
    assert "Failed" in run.output
    assert "- hook id: hardsess\n- exit code: 1" in run.output
    assert "mysite/settings.py:4:" in run.output
    for rule_id in ("HS101", "HS111", "HS103"):
        assert rule_id in run.output
    assert "SESSION_COOKIE_SECURE is False" in run.output
    assert settings.read_text(encoding="utf-8") == INSECURE_SETTINGS


def test_fix_hook_rewrites_fails_then_passes_once_staged(project: Project) -> None:
    settings = project.stage("mysite/settings.py", INSECURE_SETTINGS)
    first = project.pre_commit("run", "hardsess-fix")
    assert first.returncode == 1, first.output
    assert "hardsess (fix)" in first.output
    assert "- hook id: hardsess-fix" in first.output
    # Everything was fixable, so the hook itself exits 0: pre-commit fails only because the
    # file changed under it, which is how a fixer tells the user to review and stage.
    assert "- files were modified by this hook" in first.output
    assert "- exit code:" not in first.output
    assert settings.read_text(encoding="utf-8") == FIXED_SETTINGS

    _git(project.path, "add", "mysite/settings.py")
    second = project.pre_commit("run", "hardsess-fix")
    assert second.returncode == 0, second.output
    assert "hardsess (fix)" in second.output
    assert "Passed" in second.output
    both = project.pre_commit("run", "hardsess")
    assert both.returncode == 0, both.output
    assert settings.read_text(encoding="utf-8") == FIXED_SETTINGS


def test_fix_hook_keeps_failing_on_a_finding_it_cannot_fix(project: Project) -> None:
    key = "example-only-4f7Qz9Lm2Xv8Rk1Tj6Wb3Nc5Hd0Gs-public-test-key"
    text = f'SECRET_KEY = "{key}"\n'
    project.stage("mysite/settings.py", text)
    run = project.pre_commit("run", "hardsess-fix")
    assert run.returncode == 1, run.output
    assert "- exit code: 1" in run.output
    assert "HS131" in run.output
    assert "- files were modified by this hook" not in run.output
    assert key not in run.output, "a finding must never echo the secret it is about"


def test_code_rule_runs_on_any_python_file_and_other_files_are_skipped(project: Project) -> None:
    project.stage("mysite/settings.py", FIXED_SETTINGS)
    project.stage("shop/views.py", "def view(response):\n    response.set_cookie('cart', '1')\n")
    project.stage("NOTES.md", "SESSION_COOKIE_SECURE = False\n")
    run = project.pre_commit("run", "hardsess", "--files", "shop/views.py", "NOTES.md")
    assert run.returncode == 1, run.output
    assert "shop/views.py:2:" in run.output
    assert "HS201" in run.output
    assert "NOTES.md" not in run.output

    only_markdown = project.pre_commit("run", "hardsess", "--files", "NOTES.md")
    assert only_markdown.returncode == 0, only_markdown.output
    assert "(no files to check)" in only_markdown.output
    assert "Skipped" in only_markdown.output


def test_manifest_is_valid_and_the_card_copy_is_a_link_to_it() -> None:
    link = ROOT / "pre-commit-hooks.yaml"
    assert link.is_symlink()
    assert os.readlink(link) == ".pre-commit-hooks.yaml"
    for name in (".pre-commit-hooks.yaml", "pre-commit-hooks.yaml"):
        done = subprocess.run(
            [str(PRE_COMMIT), "validate-manifest", name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_hooks_are_run_once_with_every_file_not_split_across_processes(project: Project) -> None:
    """More files than the engine's own parallel threshold: pre-commit must not split them
    too (``require_serial``), or each part prints its own summary."""
    from hardsess.lint.runner import PARALLEL_THRESHOLD

    names = [f"many/app{i}/settings.py" for i in range(PARALLEL_THRESHOLD + 8)]
    for name in names:
        path = project.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SESSION_COOKIE_SECURE = False\n", encoding="utf-8")
    env = {k: v for k, v in project.env.items() if k != "PRE_COMMIT_NO_CONCURRENCY"}
    try:
        run = Project(project.path, env).pre_commit("run", "hardsess", "--files", *names)
    finally:
        shutil.rmtree(project.path / "many")
    assert run.returncode == 1, run.output
    assert run.output.count("Found ") == 1, run.output
    assert f"Found {len(names)} finding(s)" in run.output
    for name in names:
        assert f"{name}:1:1: HS101" in run.output


def test_every_hook_of_the_manifest_is_serial() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = text.count("- id: ")
    assert hooks == 2
    assert text.count("\n  require_serial: true\n") == hooks


def _recipe(marker: str) -> str:
    """The ``yaml`` block of docs/cli.md's pre-commit section that contains ``marker``."""
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = docs[docs.index("## pre-commit") :]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    [block] = [b for b in blocks if marker in b]
    return block


def test_the_documented_local_recipe_runs_offline(tmp_path: Path) -> None:
    """docs/cli.md's ``repo: local`` recipe, as written, run by the real pre-commit with
    nothing to clone or build: the hardsess of this environment lints the staged file."""
    path = tmp_path / "project"
    path.mkdir()
    _git(path, "init", "-q")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{PRE_COMMIT.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        # No index to reach: a hook that tried to install anything would fail here.
        "PIP_NO_INDEX": "1",
        "PIP_INDEX_URL": "http://127.0.0.1:9/",
    }
    local = Project(path, env)
    local.stage(".pre-commit-config.yaml", _recipe("repo: local"))
    settings = local.stage("mysite/settings.py", INSECURE_SETTINGS)
    run = local.pre_commit("run", "hardsess")
    assert run.returncode == 1, run.output
    assert "- hook id: hardsess\n- exit code: 1" in run.output
    assert "mysite/settings.py:4:1: HS101" in run.output
    assert settings.read_text(encoding="utf-8") == INSECURE_SETTINGS


def test_the_documented_pinned_recipe_names_a_sha_and_hooks_that_exist() -> None:
    import re

    block = _recipe("rev: ")
    rev = re.search(r"^\s+rev: (\S+)", block, re.MULTILINE)
    assert rev is not None
    assert re.fullmatch(r"[0-9a-f]{40}", rev.group(1)), "pin a commit sha, not a movable tag"
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for hook in re.findall(r"^\s+(?:# )?- id: ([\w-]+)", block, re.MULTILINE):
        assert f"- id: {hook}\n" in manifest
