"""File mode and the project's own modules (hardsess.lint.project_names): names imported from
``base.py``, helpers it defines, the setting named in its own fallbacks after a star import.

Each case is a small settings package written to a temporary directory and linted through the
API as the CLI lints it; the assertions name the file and rule each finding must have (or must
not have, when the default is secure or nothing can be known)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from hardsess.lint import project_names
from hardsess.lint.api import lint_paths
from hardsess.lint.config import Config
from hardsess.lint.linter import lint_data
from hardsess.lint.project_names import ProjectModules
from hardsess.lint.settings_values import collect

from .conftest import write

ENVIRON_BASE = 'import environ\nenv = environ.Env()\nSECRET_KEY = env("DJANGO_SECRET_KEY")\n'
HELPER_BASE = (
    "import os\n"
    "def env_bool(name, default=False):\n"
    '    """True when the variable says so."""\n'
    '    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes")\n'
    'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n'
)


def found(root: Path, *paths: str) -> list[tuple[str, str]]:
    """(file name relative to ``root``, rule) of every finding of a file-mode run."""
    result = lint_paths([str(root / p) for p in paths] or [str(root)])
    assert result.errors == []
    return sorted((str(Path(f.path).relative_to(root)), f.rule_id) for f in result.findings)


def test_an_env_instance_imported_from_base(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "conf/settings/__init__.py": "",
            "conf/settings/base.py": ENVIRON_BASE,
            "conf/settings/production.py": (
                "from .base import *  # noqa\n"
                "from .base import env\n"
                'SESSION_COOKIE_SECURE = env.bool("SESSION_SECURE", default=False)\n'
                'CSRF_COOKIE_SECURE = env("CSRF_SECURE", default=False, cast=bool)\n'
                'SESSION_COOKIE_HTTPONLY = env.bool("HTTPONLY", default=True)\n'
            ),
        },
    )
    assert found(tmp_path) == [
        ("conf/settings/production.py", "HS101"),
        ("conf/settings/production.py", "HS111"),
    ]


def test_an_env_instance_imported_by_absolute_name(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "conf/__init__.py": "",
            "conf/settings/__init__.py": "",
            "conf/settings/base.py": "import environ\nenv = environ.FileAwareEnv()\n",
            "conf/settings/production.py": (
                "from conf.settings.base import env\n"
                'SESSION_COOKIE_SECURE = env.bool("SESSION_SECURE", default=False)\n'
            ),
        },
    )
    assert found(tmp_path) == [("conf/settings/production.py", "HS101")]


def test_a_helper_star_imported_from_base(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "settings/base.py": HELPER_BASE,
            "settings/prod.py": (
                "from .base import *\n"
                'SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)\n'
                'CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)\n'
                'SESSION_COOKIE_HTTPONLY = env_bool("HTTPONLY")\n'
            ),
        },
    )
    result = lint_paths([str(tmp_path / "settings/prod.py")])
    messages = {f.rule_id: f.message for f in result.findings}
    # CSRF's default is secure; SESSION_COOKIE_HTTPONLY takes the helper's default (False).
    assert sorted(messages) == ["HS101", "HS102"]
    assert "unless SESSION_COOKIE_SECURE is set" in messages["HS101"]


def test_a_helper_defined_in_the_same_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "settings.py": (
                "import os\n"
                'env_flag = lambda name, default="0": os.getenv(name, default) == "1"\n'
                "def on(name): return env_flag(name)\n"
                'SESSION_COOKIE_SECURE = on("SECURE")\n'
                'CSRF_COOKIE_SECURE = env_flag("CSRF", "1")\n'
            ),
        },
    )
    assert found(tmp_path) == [("settings.py", "HS101")]


def test_a_helper_the_evaluator_does_not_follow_is_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "settings/base.py": (
                "import os\n"
                "def env_bool(name, default=False):\n"
                "    while True:\n"
                "        value = os.environ.get(name)\n"
                "        break\n"
                "    return default if value is None else value == 'true'\n"
            ),
            "settings/prod.py": (
                'from .base import *\nSESSION_COOKIE_SECURE = env_bool("SECURE", False)\n'
            ),
        },
    )
    assert found(tmp_path) == []


#: Helpers with statements before their ``return``: a local read, a guard that raises, an
#: early return taken only when another variable is set (a secret read from ``NAME_FILE``).
STEPPED_HELPERS = (
    "import os\n"
    "from pathlib import Path\n"
    "def env_bool(name, default):\n"
    '    """Only True or False."""\n'
    "    value = os.getenv(name, default=default)\n"
    '    if value not in ("", "True", "False"):\n'
    '        raise ValueError(f"{name}={value}")\n'
    '    return value == "True"\n'
    "def env_secret(name, default=None):\n"
    '    if path := os.getenv(name + "_FILE"):\n'
    "        return Path(path).read_text().strip()\n"
    "    return os.getenv(name, default)\n"
)


def test_helpers_with_a_local_a_guard_and_an_env_switched_return(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "settings.py": STEPPED_HELPERS
            + 'SECRET_KEY = env_secret("SECRET_KEY", "---")\n'
            + 'SESSION_COOKIE_SECURE = env_bool("SECURE", "False")\n'
            + 'CSRF_COOKIE_SECURE = env_bool("CSRF_SECURE", "True")\n'
        },
    )
    assert found(tmp_path) == [("settings.py", "HS101"), ("settings.py", "HS132")]


@pytest.mark.parametrize(
    "body",
    [
        # The early return depends on something other than an unset variable.
        "    if DEBUG:\n        return 'x'\n    return os.getenv(name, default)\n",
        # A variable that is set by default: the early return is what runs.
        '    if os.getenv(name + "_FILE", "/run/key"):\n        return read()\n'
        "    return os.getenv(name, default)\n",
        # A guard that may also return.
        "    if os.getenv('X'):\n        if os.getenv('Y'):\n            return read()\n"
        "        raise ValueError\n    return os.getenv(name, default)\n",
    ],
)
def test_a_helper_whose_early_return_may_run_is_unknown(tmp_path: Path, body: str) -> None:
    write(
        tmp_path,
        {
            "settings.py": "import os\nDEBUG = True\n"
            f"def env_secret(name, default):\n{body}"
            'SECRET_KEY = env_secret("SECRET_KEY", "---")\n'
        },
    )
    assert found(tmp_path) == []


def test_a_missing_or_broken_base_leaves_the_names_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "settings/broken.py": "def (:\n",
            "settings/prod.py": (
                "from .base import env\n"
                "from .broken import *\n"
                'SESSION_COOKIE_SECURE = env.bool("SECURE", default=False)\n'
                'CSRF_COOKIE_SECURE = env_bool("CSRF", False)\n'
            ),
        },
    )
    assert found(tmp_path, "settings/prod.py") == []


def test_the_setting_named_in_its_own_fallbacks_after_a_star_import(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/settings/base.py": ENVIRON_BASE,
            "a/settings/prod.py": "from .base import *\nSECRET_KEY_FALLBACKS = [SECRET_KEY]\n",
            "b/settings/base.py": HELPER_BASE,
            "b/settings/prod.py": (
                'from .base import *\nSECRET_KEY_FALLBACKS = [SECRET_KEY, os.getenv("OLD", "")]\n'
            ),
            # Rotated in the module itself: the fallback is the old key, as it should be.
            "c/settings/base.py": HELPER_BASE,
            "c/settings/prod.py": (
                "from .base import *\n"
                "SECRET_KEY_FALLBACKS = [SECRET_KEY]\n"
                'SECRET_KEY = os.environ["NEW_SECRET_KEY"]\n'
            ),
        },
    )
    assert found(tmp_path) == [("a/settings/prod.py", "HS133"), ("b/settings/prod.py", "HS133")]


def test_inherited_settings_inform_the_judges_but_stay_their_modules_findings(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "settings/base.py": "SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_AGE = 10**9\n",
            # SameSite=None is judged with base's Secure (HS141), and base's own values are
            # reported once, in base.py, not again in every module that star-imports them.
            "settings/prod.py": 'from .base import *\nSESSION_COOKIE_SAMESITE = "None"\n',
        },
    )
    assert found(tmp_path) == [
        ("settings/base.py", "HS101"),
        ("settings/base.py", "HS104"),
        ("settings/prod.py", "HS103"),
        ("settings/prod.py", "HS141"),
    ]


def test_no_fix_points_into_the_module_that_defines_the_default(tmp_path: Path) -> None:
    base = HELPER_BASE + 'BASE_FLAG = os.environ.get("FLAG", "False") == "True"\n'
    write(
        tmp_path,
        {
            "settings/base.py": base,
            "settings/prod.py": (
                "from .base import *\n"
                'SESSION_COOKIE_SECURE = env_bool("SECURE", False)\n'
                "CSRF_COOKIE_SECURE = BASE_FLAG\n"
            ),
        },
    )
    prod = (tmp_path / "settings/prod.py").read_text()
    result = lint_paths([str(tmp_path / "settings/prod.py")], fix="unsafe")
    assert sorted(f.rule_id for f in result.findings) == ["HS101", "HS111"]
    assert all(f.fix is None for f in result.findings)
    assert (tmp_path / "settings/base.py").read_text() == base
    assert (tmp_path / "settings/prod.py").read_text() == prod


def test_each_project_module_is_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"settings/base.py": ENVIRON_BASE})
    importers = [tmp_path / f"settings/prod{i}.py" for i in range(3)]
    parsed: list[str] = []
    real_parse = cst.parse_module

    def counting_parse(source: bytes | str) -> cst.Module:
        parsed.append("x")
        return real_parse(source)

    monkeypatch.setattr(project_names.cst, "parse_module", counting_parse)
    project = ProjectModules()
    for importer in importers:
        assert project.module(str(importer), ".base") is project.module(str(importer), ".base")
    assert len(parsed) == 1
    # A changed file is read again.
    (tmp_path / "settings/base.py").write_text(ENVIRON_BASE + "\nDEBUG = False\n")
    again = project.module(str(importers[0]), ".base")
    assert again is not None
    assert "DEBUG" in again.assignments
    assert len(parsed) == 2


def test_imports_are_followed_three_modules_deep_and_cycles_end(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "settings/m4.py": "import os\nFLAG = os.getenv('F', 'no') == 'yes'\n",
            "settings/m3.py": "from .m4 import *\n",
            "settings/m2.py": "from .m3 import *\n",
            "settings/m1.py": "from .m2 import *\n",
            "settings/a.py": "from .b import *\nA = 1\n",
            "settings/b.py": "from .a import *\nB = 2\n",
        },
    )

    def flag(importer: str, module: str) -> object:
        source = f"from {module} import *\nX = FLAG\n"
        collected = collect(
            cst.parse_module(source),
            str(tmp_path / "settings" / importer),
            project=ProjectModules(),
        )
        evaluated = collected.assignments["X"].evaluated
        return None if evaluated is None else evaluated.value

    assert flag("p.py", ".m2") is False  # p -> m2 -> m3 -> m4
    assert flag("p.py", ".m1") is None  # one module deeper than followed
    cycle = collect(
        cst.parse_module("from .a import *\nX = A + B\n"),
        str(tmp_path / "settings/p.py"),
        project=ProjectModules(),
    )
    assert cycle.assignments["X"].evaluated is not None


def test_without_a_project_imports_stay_unknown() -> None:
    # The bandit plugin and deploy mode collect without file mode's project imports.
    collected = collect(cst.parse_module("from .base import env\nX = env.bool('S', False)\n"))
    assert collected.assignments["X"].observed is None


def test_a_setting_assigned_a_lambda_stays_unknown() -> None:
    # Bound as a function it would be absent, and absent reads as Django's default.
    collected = collect(cst.parse_module("SESSION_COOKIE_SECURE = lambda: True\n"))
    assignment = collected.assignments["SESSION_COOKIE_SECURE"]
    assert assignment.observed is None


def test_a_run_parses_a_module_linted_and_imported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ENVIRON_BASE + "SESSION_COOKIE_SECURE = False\n"
    prod = "from .base import *\nCSRF_COOKIE_SECURE = env.bool('CSRF', default=False)\n"
    write(tmp_path, {"settings/base.py": base, "settings/prod.py": prod})
    parsed: list[bytes | str] = []
    real_parse = cst.parse_module

    def counting_parse(source: bytes | str) -> cst.Module:
        parsed.append(source)
        return real_parse(source)

    monkeypatch.setattr(cst, "parse_module", counting_parse)
    project = ProjectModules()
    monkeypatch.setattr("hardsess.lint.linter.PROJECT", project)
    # Linted first (the runner's order), then imported by prod.py: one parse.
    files = [str(tmp_path / "settings/base.py"), str(tmp_path / "settings/prod.py")]
    result = lint_paths(files)
    assert sorted((Path(f.path).name, f.rule_id) for f in result.findings) == [
        ("base.py", "HS101"),
        ("prod.py", "HS111"),
    ]
    assert sorted(parsed, key=len) == sorted([base.encode(), prod.encode()], key=len)
    # Imported first (by another process's order, or a pre-commit of prod.py alone), then
    # linted: the import's parse is reused.
    parsed.clear()
    again = ProjectModules()
    monkeypatch.setattr("hardsess.lint.linter.PROJECT", again)
    assert again.module(files[1], ".base") is not None
    linted = lint_data(base.encode(), files[0], Config())
    assert [f.rule_id for f in linted.findings] == ["HS101"]
    assert parsed == [base.encode()]
