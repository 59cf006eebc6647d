"""``[tool.hardsess]``: found by walking up, every key, selection semantics, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardsess.lint.api import lint_source
from hardsess.lint.config import (
    Config,
    ConfigError,
    config_near,
    find_pyproject,
    load_config,
    matches,
)

from .conftest import RunCli, write

SETTINGS = "SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_AGE = 30 * 86400\n"


def test_found_by_walking_up_from_the_paths(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.hardsess]\nignore = ["HS104"]\n',
            "a/b/settings.py": SETTINGS,
            "a/pyproject.toml": "[project]\nname = 'x'\n",  # no [tool.hardsess]: skipped
        },
    )
    assert (
        find_pyproject([str(tmp_path / "a" / "b" / "settings.py")]) == tmp_path / "pyproject.toml"
    )
    config = load_config([str(tmp_path / "a" / "b")])
    assert config.ignore == ("HS104",)
    assert config.root == tmp_path


def test_every_key_parses(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.hardsess]\n"
                'select = ["HS1"]\nignore = ["HS105"]\n'
                'per-file-ignores = { "*/dev.py" = ["HS101"] }\n'
                'extend-exclude = ["legacy/"]\nsettings = ["proj.settings.prod"]\n'
                "max-session-age = 3600\n"
            )
        },
    )
    config = load_config([str(tmp_path)])
    assert config == Config(
        select=("HS1",),
        ignore=("HS105",),
        per_file_ignores={"*/dev.py": ("HS101",)},
        extend_exclude=("legacy/",),
        settings=("proj.settings.prod",),
        max_session_age=3600,
        root=tmp_path,
    )
    assert config.options().max_session_age == 3600


@pytest.mark.parametrize(
    "table",
    [
        "unknown-key = 1",
        "select = [1]",
        "max-session-age = -5",
        "max-session-age = true",
        'per-file-ignores = ["x"]',
        "select = []",
        'select = [""]',
        'select = ["  "]',
    ],
)
def test_bad_config_is_an_error(tmp_path: Path, table: str) -> None:
    write(tmp_path, {"pyproject.toml": f"[tool.hardsess]\n{table}\n"})
    with pytest.raises(ConfigError):
        load_config([str(tmp_path)])


def test_an_empty_select_in_pyproject_is_a_usage_error(tmp_path: Path, run_cli: RunCli) -> None:
    """As ``--select ""``: selecting nothing would pass every file, so it is exit 2."""
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.hardsess]\nselect = []\n",
            "settings.py": "SESSION_COOKIE_SECURE = False\n",
        },
    )
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 2
    assert "selects no rule" in done.stderr


def test_selection_is_by_prefix_and_ignore_wins() -> None:
    config = Config(select=("HS10",), ignore=("HS104",))
    assert config.is_selected("HS101")
    assert not config.is_selected("HS104")
    assert not config.is_selected("HS111")
    assert Config().is_selected("HS201")
    assert Config(select=("ALL",)).is_selected("HS152")


def test_opt_in_rules_need_their_full_id() -> None:
    assert not Config().is_selected("HS203", opt_in=True)
    assert not Config(select=("HS2",)).is_selected("HS203", opt_in=True)
    assert Config(select=("HS203",)).is_selected("HS203", opt_in=True)


def test_max_session_age_changes_the_judgement() -> None:
    source = "SESSION_COOKIE_AGE = 7200\n"
    assert lint_source(source, "settings.py") == []
    strict = Config(max_session_age=3600)
    assert [f.rule_id for f in lint_source(source, "settings.py", config=strict)] == ["HS104"]


def test_per_file_ignores(tmp_path: Path) -> None:
    config = Config(per_file_ignores={"settings/dev.py": ("HS101",)}, root=tmp_path)
    dev = str(tmp_path / "settings" / "dev.py")
    prod = str(tmp_path / "settings" / "prod.py")
    assert [f.rule_id for f in lint_source(SETTINGS, dev, config=config)] == ["HS104"]
    assert sorted(f.rule_id for f in lint_source(SETTINGS, prod, config=config)) == [
        "HS101",
        "HS104",
    ]


def test_cli_reads_config_and_command_line_overrides_it(tmp_path: Path, run_cli: RunCli) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.hardsess]\nignore = ["HS101"]\nextend-exclude = ["old/"]\n',
            "settings.py": SETTINGS,
            "old/settings.py": SETTINGS,
        },
    )
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 1
    assert "HS104" in done.stdout
    assert "HS101" not in done.stdout
    assert "old/settings.py" not in done.stdout
    done = run_cli("lint", "--select", "HS101", cwd=tmp_path)
    assert done.returncode == 0  # ignore (config) wins over select (command line)
    done = run_cli("lint", "--ignore", "HS104", cwd=tmp_path)
    assert done.returncode == 0


def test_cli_bad_config_exits_2(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.hardsess]\nbogus = 1\n", "settings.py": SETTINGS})
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 2
    assert "bogus" in done.stderr


def test_selectors_match_ids_prefixes_and_all() -> None:
    assert matches("HS101", "HS101")
    assert matches("HS101", "HS1")
    assert matches("HS101", "ALL")
    assert not matches("HS101", "HS2")
    assert not matches("HS10", "HS101")


def test_ignores_is_the_per_file_test(tmp_path: Path) -> None:
    config = Config(per_file_ignores={"tests/*": ("HS13",), "dev.py": ("ALL",)}, root=tmp_path)
    assert config.ignores("HS131", str(tmp_path / "tests" / "settings.py"))
    assert not config.ignores("HS101", str(tmp_path / "tests" / "settings.py"))
    assert config.ignores("HS201", str(tmp_path / "proj" / "dev.py"))  # the file name alone
    assert not config.ignores("HS131", str(tmp_path / "proj" / "settings.py"))
    assert not Config().ignores("HS101", "anything.py")


def test_config_near_never_fails(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.hardsess]\nmax-session-age = 60\n", "a/b.py": ""})
    assert config_near(tmp_path / "a" / "b.py").max_session_age == 60
    assert config_near(tmp_path / "a").root == tmp_path
    write(tmp_path, {"pyproject.toml": "[tool.hardsess]\nbogus = 1\n"})
    assert config_near(tmp_path / "a" / "b.py") == Config()
