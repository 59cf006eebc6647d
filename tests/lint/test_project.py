"""hardsess.lint.project: settings recognised by content, deployment references, and the
development / test classification by path (small trees of our own in tmp_path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardsess.lint.project import (
    Classifier,
    Reference,
    deployment_names,
    is_development_path,
    is_test_code_path,
    looks_like_settings,
    package_root,
    references,
)
from tests.lint.conftest import write


@pytest.mark.parametrize(
    "source",
    [
        "DEBUG = False\nALLOWED_HOSTS = []\nSESSION_COOKIE_SECURE = False\n",
        "SESSION_COOKIE_AGE: int = 3600\nSESSION_COOKIE_NAME = 's'\nMIDDLEWARE += []\n",
    ],
)
def test_three_django_settings_make_a_settings_module(source: str) -> None:
    assert looks_like_settings(source.encode())


@pytest.mark.parametrize(
    "source",
    [
        "DEBUG = False\nSESSION_COOKIE_SECURE = False\n",  # two are not enough
        # not at module level
        "class Conf:\n    DEBUG = 1\n    ALLOWED_HOSTS = 2\n    SECRET_KEY = 3\n",
        "if DEBUG == 1 or ALLOWED_HOSTS == 2 or SECRET_KEY == 3:\n    pass\n",  # comparisons
        "DEBUG_TOOLBAR = 1\nMY_SECRET_KEY = 2\nX_ALLOWED_HOSTS = 3\n",  # not Django's names
    ],
)
def test_other_modules_are_not_settings(source: str) -> None:
    assert not looks_like_settings(source.encode())


@pytest.mark.parametrize(
    "path",
    [
        "tests/settings.py",
        "src/app/tests/settings.py",
        "proj/settings/test.py",
        "proj/settings/testing.py",
        "proj/settings/ci.py",
        "proj/settings/local.py",
        "proj/settings/local_dev.py",
        "proj/settings/dev.py",
        "proj/settings/debug.py",
        "proj/settings/development.py",
        "proj/settings/dev/__init__.py",
        "proj/test_settings.py",
        "proj/settings_ci.py",
        "conftest.py",
        "app/fixtures/settings.py",
        "devproject/settings.py",  # a settings.py says nothing: its directories do
        "examples/shop/shop/settings.py",
        "docs/settings.py",
        "docs/django_settings.py",  # "django" says no more than "settings" does
        "proj/configuration_example.py",
        "scripts/smoketest_configuration.py",
    ],
)
def test_development_by_path(path: str) -> None:
    assert is_development_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "proj/settings.py",
        "proj/settings/production.py",
        "proj/settings/prod.py",
        "proj/settings/staging.py",
        "config/session.py",
        "proj/settings/latest.py",  # "test" inside a word is not the word
        "proj/settings/devices.py",
        "proj/contest/settings.py",
        "devices/settings.py",
        "proj/django_settings.py",
    ],
)
def test_deployed_by_path(path: str) -> None:
    assert not is_development_path(path)


def test_test_code_is_narrower_than_development() -> None:
    assert is_test_code_path("app/tests/test_views.py")
    assert is_test_code_path("app/test_views.py")
    assert is_test_code_path("app/views_test.py")
    assert not is_test_code_path("app/views/local.py")  # a development name, but not test code
    assert not is_test_code_path("app/views.py")


def test_references_name_each_source_with_its_kind(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Dockerfile": "FROM python\nENV DJANGO_SETTINGS_MODULE=proj.settings.docker\n",
            "Dockerfile.dev": "ENV DJANGO_SETTINGS_MODULE proj.settings.dockerdev\n",
            "Procfile": "web: DJANGO_SETTINGS_MODULE=proj.settings.heroku gunicorn proj.wsgi\n",
            "docker/compose.yml": "x:\n  DJANGO_SETTINGS_MODULE: 'proj.settings.compose'\n",
            "docker-compose.local.yml": "x:\n  - DJANGO_SETTINGS_MODULE=proj.settings.cl\n",
            ".env": 'DJANGO_SETTINGS_MODULE="proj.settings.dotenv"\n',
            ".env.test": "DJANGO_SETTINGS_MODULE=proj.settings.dotenvtest\n",
            "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = proj.settings.pytest\n",
            "tox.ini": "[testenv]\ncommands = python manage.py test --settings=proj.settings.tox\n",
            ".github/workflows/ci.yml": "env:\n  DJANGO_SETTINGS_MODULE: proj.settings.gha\n",
            "docker/Dockerfile": "RUN DJANGO_SETTINGS_MODULE=proj.settings.build "
            "python manage.py collectstatic --noinput\n",
        },
    )
    python = {
        "proj/wsgi.py": b'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.wsgi")\n',
        "proj/asgi.py": b"os.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings.asgi'\n",
        "manage.py": b'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.manage")\n',
    }
    found = {(r.module.rpartition(".")[2], r.kind) for r in references([tmp_path], python)}
    assert found == {
        ("docker", "deployed"),
        ("dockerdev", "development"),
        ("heroku", "deployed"),
        ("compose", "deployed"),
        ("cl", "development"),
        ("dotenv", "deployed"),
        ("dotenvtest", "development"),
        ("pytest", "development"),
        ("tox", "development"),
        ("gha", "development"),
        ("build", "development"),  # a build step's module, not the site's
        ("wsgi", "deployed"),
        ("asgi", "deployed"),
        ("manage", "deployed"),
    }


def test_a_file_that_runs_only_the_development_server_names_a_development_module(
    tmp_path: Path,
) -> None:
    compose = "services:\n  web:\n    environment:\n      - DJANGO_SETTINGS_MODULE=proj.{}\n"
    write(
        tmp_path,
        {
            "docker-compose.yml": compose.format("docker")
            + "    command: python manage.py runserver 0.0.0.0:8000\n",
            "deploy/docker-compose.yml": compose.format("prod")
            + "    command: gunicorn proj.wsgi  # not runserver\n",
            "docker/Dockerfile": "ENV DJANGO_SETTINGS_MODULE=proj.image\n"
            "# for a quick try: python manage.py runserver\n",
        },
    )
    found = {(r.module, r.kind) for r in references([tmp_path], {})}
    assert found == {
        ("proj.docker", "development"),  # runserver and nothing else
        ("proj.prod", "deployed"),  # gunicorn runs the site, whatever else is said
        ("proj.image", "deployed"),  # a commented runserver is no command
    }


def test_a_commented_out_reference_names_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "# ENV DJANGO_SETTINGS_MODULE=proj.settings.old\n"})
    python = {
        "proj/wsgi.py": b'# os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"\n'
        b'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")\n',
    }
    assert [r.module for r in references([tmp_path], python)] == ["proj.settings.prod"]


def test_a_module_only_tests_reference_is_development(tmp_path: Path) -> None:
    write(tmp_path, {"proj/__init__.py": "", "proj/qa.py": "", "proj/prod.py": ""})
    refs = [
        Reference("proj.qa", "pytest.ini", "development"),
        Reference("proj.prod", "pytest.ini", "development"),
        Reference("proj.prod", "proj/wsgi.py", "deployed"),
    ]
    classifier = Classifier([tmp_path], refs=refs)
    assert classifier.is_development(str(tmp_path / "proj/qa.py"))
    assert not classifier.is_development(str(tmp_path / "proj/prod.py"))  # deployed wins
    assert classifier.deployed_modules() == ["proj.prod"]


def test_overrides_win_over_the_classification(tmp_path: Path) -> None:
    write(tmp_path, {"proj/__init__.py": "", "proj/local.py": "", "proj/staging.py": ""})
    classifier = Classifier(
        [tmp_path],
        deployed_patterns=["proj/local.py", "proj.staging"],
        development_patterns=["proj.staging", "tests/*"],
        config_root=tmp_path,
    )
    assert not classifier.is_development(str(tmp_path / "proj/local.py"))
    assert not classifier.is_development(str(tmp_path / "proj/staging.py"))  # deployed first
    assert classifier.deployed_modules() == ["proj.staging"]  # a dotted entry: deploy mode
    write(tmp_path, {"tests/helpers.py": ""})
    assert classifier.is_test_code(str(tmp_path / "tests/helpers.py"))


def test_package_root_climbs_above_packages(tmp_path: Path) -> None:
    write(tmp_path, {"src/proj/__init__.py": "", "src/proj/settings/__init__.py": ""})
    assert package_root(tmp_path / "src/proj/settings") == tmp_path / "src"
    assert package_root(tmp_path / "src") == tmp_path / "src"


def test_a_deployment_file_names_the_settings_module_of_its_deployment(tmp_path: Path) -> None:
    # Dockerfile.cabotage names no settings module (the platform sets it); manage.py names
    # the development one. The module named like the deployment is the one it runs.
    files = {n: "" for n in ("__init__.py", "base.py", "local.py", "cabotage.py", "app.py")}
    write(tmp_path, {f"proj/settings/{n}": t for n, t in files.items()})
    write(tmp_path, {"Dockerfile.cabotage": "FROM python\n", "Dockerfile.dev": "FROM python\n"})
    write(tmp_path, {"app.yaml": "runtime: python\n", "docker-compose.yml": "services: {}\n"})
    refs = [Reference("proj.settings.local", "manage.py", "deployed")]
    names = deployment_names([tmp_path])
    assert names == ["cabotage"]
    classifier = Classifier([tmp_path], refs=refs, names=names)
    assert classifier.deployed_modules() == ["proj.settings.cabotage"]
