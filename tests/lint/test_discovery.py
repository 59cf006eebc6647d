"""File discovery: .gitignore, extend-exclude, default excludes, explicit paths, settings paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hardsess.lint.discovery import discover, is_settings_path

from .conftest import RunCli, write


def found(paths: list[str], cwd: Path, **kwargs: object) -> list[str]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        files, missing = discover(paths, **kwargs)  # type: ignore[arg-type]
    finally:
        os.chdir(previous)
    assert missing == []
    return [Path(f.path).as_posix() for f in files]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(
        tmp_path,
        {
            ".gitignore": "build_out/\n*.gen.py\n!keep.gen.py\n",
            "app/settings.py": "",
            "app/views.py": "",
            "app/notes.txt": "",
            "app/schema.gen.py": "",
            "app/keep.gen.py": "",
            "build_out/settings.py": "",
            ".venv/lib/settings.py": "",
            "node_modules/x.py": "",
            "sub/.gitignore": "local_only.py\n",
            "sub/local_only.py": "",
            "sub/other.py": "",
            "legacy/old.py": "",
        },
    )
    return tmp_path


def test_walk_respects_gitignore_and_default_excludes(repo: Path) -> None:
    assert found(["."], repo) == [
        "app/keep.gen.py",
        "app/settings.py",
        "app/views.py",
        "legacy/old.py",
        "sub/other.py",
    ]


def test_extend_exclude(repo: Path) -> None:
    files = found(["."], repo, extend_exclude=["legacy/", "views.py"], exclude_root=repo)
    assert "legacy/old.py" not in files
    assert "app/views.py" not in files
    assert "app/settings.py" in files


def test_explicit_paths_are_linted_even_when_ignored(repo: Path) -> None:
    assert found(["build_out/settings.py", "app/schema.gen.py"], repo) == [
        "app/schema.gen.py",
        "build_out/settings.py",
    ]
    assert found(["app/notes.txt"], repo) == ["app/notes.txt"]


def test_an_explicitly_named_ignored_directory_is_walked(repo: Path) -> None:
    assert found(["build_out"], repo) == ["build_out/settings.py"]
    assert found([".venv/lib"], repo) == [".venv/lib/settings.py"]


def test_gitignore_of_the_repository_applies_to_a_subdirectory_walk(repo: Path) -> None:
    write(repo, {"app/more.gen.py": ""})
    assert "app/more.gen.py" not in found(["app"], repo)


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    files, missing = discover([str(tmp_path / "nope.py")])
    assert files == []
    assert missing == [str(tmp_path / "nope.py")]


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/settings.py": "", "pkg/inner/views.py": ""})
    (tmp_path / "pkg" / "inner" / "loop").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "pkg" / "self.py").symlink_to(tmp_path / "pkg" / "self.py")
    assert found(["pkg"], tmp_path) == ["pkg/inner/views.py", "pkg/settings.py"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("settings.py", True),
        ("proj/settings.py", True),
        ("proj/settings/prod.py", True),
        ("proj/settings/__init__.py", True),
        ("test_settings.py", True),
        ("proj/settings_local.py", True),
        ("proj/views.py", False),
        ("proj/mysettings.py", False),
        ("proj/settings.pyc", False),
        ("proj/conf/prod.py", False),
    ],
)
def test_settings_paths(path: str, expected: bool) -> None:
    assert is_settings_path(path) is expected


def test_settings_named_in_config() -> None:
    assert is_settings_path("src/proj/conf/prod.py", ["proj.conf.prod"])
    assert is_settings_path("src/proj/conf/__init__.py", ["proj.conf"])
    assert is_settings_path("deploy/env.py", ["deploy/env.py"])
    assert not is_settings_path("src/proj/conf/dev.py", ["proj.conf.prod"])


INSECURE_SETTINGS = "SESSION_COOKIE_SECURE = False\n"


@pytest.fixture
def project_with_env(tmp_path: Path) -> tuple[Path, Path]:
    """A project with a real virtual environment named ``env/`` (no .gitignore, no usual
    name) holding an installed package that would have findings, and a bare site-packages."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "env"], cwd=tmp_path, check=True)
    assert (tmp_path / "env" / "pyvenv.cfg").is_file()
    env = tmp_path / "env"
    [packages] = [*env.glob("lib/python*/site-packages"), *env.glob("Lib/site-packages")]
    installed = packages / "djangoish"
    cookie_code = "r.set_cookie('a', 'b')\n"
    write(installed, {"conf/global_settings.py": INSECURE_SETTINGS, "views.py": cookie_code})
    write(
        tmp_path,
        {
            "proj/settings.py": INSECURE_SETTINGS,
            "vendor/lib/site-packages/pkg/settings.py": INSECURE_SETTINGS,
            "tools/venv-copy/pyvenv.cfg": "home = /usr/bin\n",
            "tools/venv-copy/settings.py": INSECURE_SETTINGS,
        },
    )
    return tmp_path, installed


def test_virtualenvs_and_site_packages_are_not_walked(project_with_env: tuple[Path, Path]) -> None:
    root, _ = project_with_env
    assert found(["."], root) == ["proj/settings.py"]


def test_a_named_environment_path_is_still_linted(project_with_env: tuple[Path, Path]) -> None:
    root, installed = project_with_env
    named = installed.relative_to(root).as_posix()
    assert found([named], root) == [f"{named}/conf/global_settings.py", f"{named}/views.py"]
    assert found(["tools/venv-copy/settings.py"], root) == ["tools/venv-copy/settings.py"]


def test_fix_never_rewrites_an_installed_package(
    project_with_env: tuple[Path, Path], run_cli: RunCli
) -> None:
    root, installed = project_with_env
    done = run_cli("lint", "--fix", cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "proj/settings.py").read_text() == "SESSION_COOKIE_SECURE = True\n"
    assert (installed / "conf/global_settings.py").read_text() == INSECURE_SETTINGS
    assert (root / "tools/venv-copy/settings.py").read_text() == INSECURE_SETTINGS
