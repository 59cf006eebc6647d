"""Knowing what is deployed, through the runner as the CLI uses it: settings recognised by
content, deploy mode on the modules the project deploys, development and test modules quiet,
the ``[tool.hardsess]`` overrides, and the robustness of deploy mode on real layouts.
Each tree is a small reproduction of our own."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hardsess.lint.config import Config, parse_table
from hardsess.lint.deploy import run
from hardsess.lint.runner import RunResult, lint_paths
from hardsess.policy import django_defaults
from tests.lint.conftest import RunCli

SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
MESSAGES = "django.contrib.messages.middleware.MessageMiddleware"
#: Django 5.2 / 6.0 keep the legacy salt fallback (HS134); set it so only HS101/HS111 remain.
NO_LEGACY_SALT = "SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False\n"
LEGACY = ["HS134"] if django_defaults().get("SIGNED_COOKIE_LEGACY_SALT_FALLBACK") else []

#: A project whose base.py is insecure and whose prod.py fixes the session cookie only.
LAYOUT = {
    "proj/__init__.py": "",
    "proj/settings/__init__.py": "",
    "proj/settings/base.py": (
        "DEBUG = True\nALLOWED_HOSTS = []\nSESSION_COOKIE_SECURE = False\n"
        f"MIDDLEWARE = [{SESSIONS!r}, {CSRF!r}]\n"
    ),
    "proj/settings/prod.py": f"from .base import *\nSESSION_COOKIE_SECURE = True\n{NO_LEGACY_SALT}",
}
#: What deploy mode on proj.settings.prod reports: CSRF_COOKIE_SECURE left at Django's default.
DEPLOYED = [("proj/settings/prod.py", 1, "HS111")]
#: What file mode alone reports on the same tree: base.py's value, which prod.py overrides.
FILE_MODE = [("proj/settings/base.py", 3, "HS101")]


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def lint(
    root: Path, monkeypatch: pytest.MonkeyPatch, config: Config | None = None, *paths: str
) -> RunResult:
    monkeypatch.chdir(root)
    return lint_paths(list(paths) or ["."], config or Config(root=root))


def where(result: RunResult) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.rule_id) for f in result.findings]


# --------------------------------------------------------------------------- by content


@pytest.mark.parametrize("name", ["config/production.py", "config/session.py"])
def test_settings_module_recognised_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    write(
        tmp_path,
        {
            "config/__init__.py": "",
            name: "SESSION_COOKIE_NAME = 's'\nSESSION_COOKIE_AGE = 3600\n"
            "SESSION_COOKIE_HTTPONLY = False\n",
        },
    )
    assert where(lint(tmp_path, monkeypatch)) == [(name, 3, "HS102")]


def test_module_with_one_or_two_setting_names_is_not_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"app/flags.py": "DEBUG = False\nSESSION_COOKIE_HTTPONLY = False\n"})
    assert where(lint(tmp_path, monkeypatch)) == []


# --------------------------------------------------------------------------- deployed modules

REFERENCES = {
    "wsgi.py": ("proj/wsgi.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{}")\n'),
    "asgi.py": ("proj/asgi.py", "os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{}')\n"),
    "manage.py": ("manage.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{}")\n'),
    "Dockerfile": ("Dockerfile", "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE={}\n"),
    "Procfile": ("Procfile", "web: DJANGO_SETTINGS_MODULE={} gunicorn proj.wsgi\n"),
    "compose": ("docker-compose.yml", "services:\n  web:\n    environment:\n"),
    ".env": (".env", "DJANGO_SETTINGS_MODULE={}\n"),
    "uwsgi.ini": ("uwsgi.ini", "[uwsgi]\nmodule = proj.wsgi\nenv = DJANGO_SETTINGS_MODULE={}\n"),
    "gunicorn.conf.py": ("gunicorn.conf.py", 'raw_env = ["DJANGO_SETTINGS_MODULE={}"]\n'),
    "systemd": (
        "deploy/proj.service",
        "[Service]\nEnvironment=DJANGO_SETTINGS_MODULE={}\nExecStart=gunicorn proj.wsgi\n",
    ),
    "supervisord": (
        "supervisord.conf",
        "[program:web]\ncommand=gunicorn proj.wsgi\nenvironment=DJANGO_SETTINGS_MODULE={}\n",
    ),
}


@pytest.mark.parametrize("source", sorted(REFERENCES))
def test_deployed_module_is_judged_in_deploy_mode_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    name, text = REFERENCES[source]
    if source == "compose":
        text += "      DJANGO_SETTINGS_MODULE: {}\n"
    write(tmp_path, {**LAYOUT, name: text.format("proj.settings.prod")})
    assert where(lint(tmp_path, monkeypatch)) == DEPLOYED


def test_without_a_reference_each_file_is_judged_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, LAYOUT)
    assert where(lint(tmp_path, monkeypatch)) == FILE_MODE


def test_deploy_mode_by_default_only_for_modules_among_the_linted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Linting one staged view must not judge the whole project (pre-commit).
    write(
        tmp_path,
        {
            **LAYOUT,
            "proj/wsgi.py": REFERENCES["wsgi.py"][1].format("proj.settings.prod"),
            "proj/views.py": "def view(request):\n    return None\n",
        },
    )
    assert where(lint(tmp_path, monkeypatch, None, "proj/views.py")) == []


def test_given_settings_replace_the_discovered_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {**LAYOUT, "proj/wsgi.py": REFERENCES["wsgi.py"][1].format("proj.settings.base")},
    )
    monkeypatch.chdir(tmp_path)
    result = lint_paths(["."], Config(root=tmp_path), settings_modules=["proj.settings.prod"])
    assert where(result) == DEPLOYED


def test_cli_runs_deploy_mode_on_what_wsgi_names(tmp_path: Path, run_cli: RunCli) -> None:
    write(
        tmp_path,
        {**LAYOUT, "proj/wsgi.py": REFERENCES["wsgi.py"][1].format("proj.settings.prod")},
    )
    done = run_cli("lint", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("proj/settings/prod.py:1:1: HS111 ")
    assert "base.py" not in done.stdout


# --------------------------------------------------------------------------- development, test

INSECURE = "DEBUG = True\nALLOWED_HOSTS = ['*']\nSESSION_COOKIE_HTTPONLY = False\n"


@pytest.mark.parametrize(
    "name",
    [
        "tests/settings.py",
        "proj/settings/test.py",
        "proj/settings/ci.py",
        "proj/settings/local_dev.py",
        "proj/settings/development.py",
        "proj/test_settings.py",
        "conftest.py",
    ],
)
def test_development_settings_are_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    write(tmp_path, {name: INSECURE, "proj/settings/staging.py": INSECURE})
    # The control: a module that is not development is reported.
    assert where(lint(tmp_path, monkeypatch)) == [("proj/settings/staging.py", 3, "HS102")]


@pytest.mark.parametrize(
    ("config_file", "text"),
    [
        ("pytest.ini", "[pytest]\nDJANGO_SETTINGS_MODULE = proj.qa_settings\n"),
        ("setup.cfg", "[tool:pytest]\nDJANGO_SETTINGS_MODULE=proj.qa_settings\n"),
        ("tox.ini", "[testenv]\ncommands = django-admin test --settings=proj.qa_settings\n"),
        (".github/workflows/ci.yml", "env:\n  DJANGO_SETTINGS_MODULE: proj.qa_settings\n"),
        ("docker-compose.local.yml", "x:\n  - DJANGO_SETTINGS_MODULE=proj.qa_settings\n"),
    ],
)
def test_settings_referenced_only_by_tests_are_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config_file: str, text: str
) -> None:
    files = {"proj/__init__.py": "", "proj/qa_settings.py": INSECURE}
    write(tmp_path, files)
    assert where(lint(tmp_path, monkeypatch)) == [("proj/qa_settings.py", 3, "HS102")]
    write(tmp_path, {config_file: text})
    assert where(lint(tmp_path, monkeypatch)) == []


def test_pytest_options_in_pyproject_are_a_test_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/qa_settings.py": INSECURE,
            "pyproject.toml": "[tool.pytest.ini_options]\n"
            'DJANGO_SETTINGS_MODULE = "proj.qa_settings"\n',
        },
    )
    assert where(lint(tmp_path, monkeypatch)) == []


COOKIE = "def view(request, response):\n    response.set_cookie('k', 'v')\n    return response\n"


def test_set_cookie_in_tests_is_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {"app/tests/test_views.py": COOKIE, "app/test_client.py": COOKIE, "app/views.py": COOKIE},
    )
    assert {f.path for f in lint(tmp_path, monkeypatch).findings} == {"app/views.py"}


def test_overrides_in_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings/__init__.py": "",
            "proj/settings/local.py": INSECURE,
            "proj/settings/staging.py": INSECURE,
            "app/tests/test_views.py": COOKIE,
        },
    )
    table = {
        "deployed": ["proj/settings/local.py", "app/tests/*"],
        "development": ["proj.settings.staging"],
    }
    result = lint(tmp_path, monkeypatch, parse_table(table, tmp_path))
    assert {(path, rule) for path, _, rule in where(result)} == {
        ("proj/settings/local.py", "HS102"),
        ("app/tests/test_views.py", "HS201"),
    }


def test_a_dotted_deployed_entry_runs_deploy_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, LAYOUT)
    config = parse_table({"deployed": ["proj.settings.prod"]}, tmp_path)
    assert where(lint(tmp_path, monkeypatch, config)) == DEPLOYED


# --------------------------------------------------------------------------- robustness


def deploy(
    root: Path, monkeypatch: pytest.MonkeyPatch, *modules: str, paths: list[str]
) -> RunResult:
    monkeypatch.chdir(root)
    return run(list(modules), config=Config(), paths=paths)


@pytest.mark.parametrize(
    "guard",
    [
        "import contextlib\nwith contextlib.suppress(ImportError):\n    from .local import *\n",
        "from contextlib import suppress\nwith suppress(ModuleNotFoundError):\n"
        "    from .local import *\n",
    ],
)
def test_contextlib_suppress_guards_an_optional_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, guard: str
) -> None:
    write(tmp_path, {**LAYOUT, "proj/settings/prod.py": LAYOUT["proj/settings/prod.py"] + guard})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", paths=[])
    assert result.errors == []
    assert where(result) == DEPLOYED


def test_suppress_of_another_exception_is_no_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guard = "import contextlib\nwith contextlib.suppress(KeyError):\n    from .local import *\n"
    write(tmp_path, {**LAYOUT, "proj/settings/prod.py": LAYOUT["proj/settings/prod.py"] + guard})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", paths=[])
    assert [e.reason.split(":")[0] for e in result.errors] == ["line 6"]


def test_settings_path_does_not_shadow_a_third_party_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # myproj/celery.py is Django's celery recipe; `celery` is the installed package.
    write(
        tmp_path,
        {
            "myproj/__init__.py": "",
            "myproj/celery.py": "app = None\n",
            "myproj/settings.py": "from celery.schedules import crontab\n"
            f"SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n{NO_LEGACY_SALT}",
        },
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    settings = str(tmp_path / "myproj/settings.py")
    result = deploy(outside, monkeypatch, settings, paths=[settings])
    assert result.errors == []


def test_settings_path_with_dots_in_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/base.py": "SESSION_COOKIE_HTTPONLY = False\n",
            "proj/settings.dist.py": "from .base import *\n"
            f"SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n{NO_LEGACY_SALT}",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj/settings.dist.py", paths=[])
    assert result.errors == []
    assert where(result) == [("proj/base.py", 1, "HS102")]


@pytest.mark.parametrize(
    ("middleware", "expected"),
    [
        ([], []),
        (["django.middleware.common.CommonMiddleware"], []),
        ([SESSIONS], ["HS101", *LEGACY]),
        ([CSRF], ["HS111"]),
        ([MESSAGES], LEGACY),
        (["proj.middleware.TenantSessionMiddleware", CSRF], ["HS101", "HS111", *LEGACY]),
        (["proj.middleware.FlashMessageMiddleware"], LEGACY),
    ],
)
def test_no_session_or_csrf_middleware_means_no_default_for_its_cookie(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, middleware: list[str], expected: list[str]
) -> None:
    # The legacy salt (HS134) replays signed cookies Django sets itself: the signed-cookie
    # session's and the cookie message storage's. With neither middleware there are none.
    write(tmp_path, {"proj/__init__.py": "", "proj/prod.py": f"MIDDLEWARE = {middleware!r}\n"})
    result = deploy(tmp_path, monkeypatch, "proj.prod", paths=[])
    assert sorted(f.rule_id for f in result.findings) == sorted(expected)


@pytest.mark.parametrize(
    "loader",
    [
        "Configuration.load_settings(__name__)\n",
        "import sys\nsetup(sys.modules[__name__])\n",
        "load_into(globals())\n",
        "globals().update(read_settings())\n",
    ],
)
def test_settings_loaded_by_a_call_are_unknown_not_insecure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    write(tmp_path, {"proj/__init__.py": "", "proj/prod.py": f"DEBUG = False\n{loader}"})
    assert deploy(tmp_path, monkeypatch, "proj.prod", paths=[]).findings == []


def test_a_logger_named_after_the_module_is_no_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = "import logging\nlogger = logging.getLogger(__name__)\n"
    write(tmp_path, {"proj/__init__.py": "", "proj/prod.py": source})
    result = deploy(tmp_path, monkeypatch, "proj.prod", paths=[])
    assert sorted(f.rule_id for f in result.findings) == sorted(["HS101", "HS111", *LEGACY])


def test_discovered_module_with_a_missing_import_is_unknown_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # secrets.py is written at deploy time and never committed: the project did not ask for
    # deploy mode, so no exit 2, and no Django default guessed for what secrets.py may set.
    prod = "from .base import *\nfrom .secrets import *\n"
    wsgi = REFERENCES["wsgi.py"][1].format("proj.settings.prod")
    write(tmp_path, {**LAYOUT, "proj/settings/prod.py": prod, "proj/wsgi.py": wsgi})
    result = lint(tmp_path, monkeypatch)
    # base.py's own value is still judged; nothing at line 1 of prod.py (no HS111 default).
    assert (result.errors, where(result)) == ([], FILE_MODE)
    # Asked for by name, the same module is an error (exit 2), as before.
    given = lint_paths(["."], Config(root=tmp_path), settings_modules=["proj.settings.prod"])
    assert [e.path for e in given.errors] == ["proj/settings/prod.py"]


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("  # noqa", ["HS111"]),  # flake8's, for F403: Django's defaults still reported
        ("  # noqa: F403", ["HS111"]),
        ("  # noqa: HS111", []),
        ("  # hardsess: ignore[HS111]", []),
    ],
)
def test_bare_noqa_on_the_star_import_does_not_hide_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, comment: str, expected: list[str]
) -> None:
    prod = LAYOUT["proj/settings/prod.py"].replace("import *\n", f"import *{comment}\n", 1)
    write(tmp_path, {**LAYOUT, "proj/settings/prod.py": prod})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", paths=[])
    assert [f.rule_id for f in result.findings] == expected


def test_settings_path_in_a_checkout_that_has_an_init_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A checkout named my-repo/ with an __init__.py: no package, so imports start there.
    repo = tmp_path / "my-repo"
    write(repo, {"__init__.py": "", **LAYOUT})
    result = deploy(repo, monkeypatch, "proj/settings/prod.py", paths=["proj/settings/prod.py"])
    assert result.errors == []
    assert where(result) == DEPLOYED


@pytest.mark.parametrize(
    "guard",
    [
        "from pathlib import Path\nif (Path(__file__).parent / 'local.py').exists():\n"
        "    from .local import *\n",
        "import os\nif DEBUG and os.path.exists('proj/settings/local.py'):\n"
        "    from .local import *\n",
    ],
)
def test_an_import_under_a_file_exists_test_is_guarded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, guard: str
) -> None:
    write(tmp_path, {**LAYOUT, "proj/settings/prod.py": LAYOUT["proj/settings/prod.py"] + guard})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", paths=[])
    assert result.errors == []
    assert where(result) == DEPLOYED


def test_an_import_under_another_test_is_no_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guard = "if DEBUG:\n    from .local import *\n"
    write(tmp_path, {**LAYOUT, "proj/settings/prod.py": LAYOUT["proj/settings/prod.py"] + guard})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", paths=[])
    assert [e.reason.split(":")[0] for e in result.errors] == ["line 5"]


def test_a_src_layout_deploys_the_module_its_manage_py_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # src/manage.py puts src/ on sys.path: proj.settings is src/proj/settings/__init__.py,
    # a settings package, and its relative import resolves from there.
    write(
        tmp_path,
        {
            "src/manage.py": "import os\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
            "src/proj/__init__.py": "",
            "src/proj/settings/__init__.py": "from .base import *\nSESSION_COOKIE_SECURE = True\n"
            + NO_LEGACY_SALT,
            "src/proj/settings/base.py": LAYOUT["proj/settings/base.py"],
        },
    )
    result = lint(tmp_path, monkeypatch)
    assert result.errors == []
    assert ("src/proj/settings/__init__.py", 1, "HS111") in where(result)
    assert ("src/proj/settings/base.py", 3, "HS101") not in where(result)


SPLIT = {
    "proj/__init__.py": "",
    "proj/settings/__init__.py": "",
    "proj/settings/components/base.py": LAYOUT["proj/settings/base.py"],
    "proj/settings/components/prod.py": f"SESSION_COOKIE_SECURE = True\n{NO_LEGACY_SALT}",
}


def test_split_settings_include_runs_its_files_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # django-split-settings: each file included runs in this module's namespace.
    prod = (
        "from split_settings.tools import include, optional\n"
        "include('components/base.py', 'components/prod.py', optional('local.py'))\n"
    )
    write(tmp_path, {**SPLIT, "proj/settings/prod.py": prod})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", paths=[])
    assert result.errors == []
    assert where(result) == [("proj/settings/prod.py", 1, "HS111")]


def test_split_settings_include_of_a_glob_is_opaque(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prod = "from split_settings.tools import include\ninclude('components/*.py')\n"
    write(tmp_path, {**SPLIT, "proj/settings/prod.py": prod})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", paths=[])
    assert result.errors == []
    assert where(result) == []  # what the glob binds is unknown: no default is assumed


@pytest.mark.parametrize("given", [[], ["docker/config.py"]])
def test_a_module_the_dockerfile_copies_into_place_is_judged_as_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: list[str]
) -> None:
    # The image has settings/config.py, copied from docker/config.py at build time: its
    # `from .common import *` resolves from settings/, discovered or given.
    write(
        tmp_path,
        {
            "docker/Dockerfile": "COPY . /app\nWORKDIR /app\n"
            "RUN set -eux; cp docker/config.py settings/config.py; true\n"
            "ENV DJANGO_SETTINGS_MODULE=settings.config\n",
            "docker/config.py": "from .common import *\nSESSION_COOKIE_SECURE = True\n"
            + NO_LEGACY_SALT,
            "settings/__init__.py": "",
            "settings/common.py": LAYOUT["proj/settings/base.py"],
        },
    )
    monkeypatch.chdir(tmp_path)
    result = lint_paths(["."], Config(root=tmp_path), settings_modules=given)
    assert result.errors == []
    assert ("docker/config.py", 1, "HS111") in where(result)


def test_a_manage_py_inside_a_package_names_modules_from_its_own_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``python app/manage.py`` puts app/ on sys.path: its "core.settings" is
    # app/core/settings.py, even though app/ is a package; pytest names the same module by
    # its full name, which alone would make it a test module.
    settings = f"from .base import *\nSESSION_COOKIE_SECURE = True\n{NO_LEGACY_SALT}"
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/base.py": LAYOUT["proj/settings/base.py"],
            "app/core/settings.py": settings,
            "app/manage.py": REFERENCES["manage.py"][1].format("core.settings"),
            "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = app.core.settings\n",
        },
    )
    assert where(lint(tmp_path, monkeypatch)) == [("app/core/settings.py", 1, "HS111")]


def test_an_import_cycle_in_a_discovered_module_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            **LAYOUT,
            "proj/settings/prod.py": LAYOUT["proj/settings/prod.py"] + "from .paths import ROOT\n",
            "proj/settings/paths.py": "from .constants import NAME\nROOT = '/srv'\n",
            "proj/settings/constants.py": "from .paths import ROOT\nNAME = 'x'\n",
            "proj/wsgi.py": REFERENCES["wsgi.py"][1].format("proj.settings.prod"),
        },
    )
    result = lint(tmp_path, monkeypatch)
    assert result.errors == []
    assert where(result) == DEPLOYED


def test_a_module_named_by_an_f_string_is_each_value_the_file_gives_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wsgi = (
        "import os\n"
        'environment = "prod"\n'
        'if os.environ.get("DEBUG"):\n'
        '    environment = "dev"\n'
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.settings.{environment}")\n'
    )
    write(
        tmp_path,
        {
            **LAYOUT,
            "proj/settings/dev.py": "from .base import *\n",
            "proj/wsgi.py": wsgi,
        },
    )
    # prod.py is judged in deploy mode; dev.py, development by its name, stays quiet.
    assert where(lint(tmp_path, monkeypatch)) == DEPLOYED
