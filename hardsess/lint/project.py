"""What the project deploys: its settings modules, which of them run in production, and
which are development, test or CI only (docs/deploy-mode.md, "Which modules are deployed").

Three questions, answered from the project's own files and never by importing anything:

* **Is this file a settings module?** By path (:func:`~hardsess.lint.discovery.is_settings_path`)
  or by content: a module that assigns at least :data:`MIN_SETTINGS_NAMES` of the names
  Django's ``global_settings`` defines (:func:`looks_like_settings`), so ``config/production.py``
  and ``conf/session.py`` are linted as settings. A byte-level regular expression, asked only
  of files the pre-filter already let through (they mention a setting some rule reads).
* **Which modules are deployed?** The ones the project names in ``DJANGO_SETTINGS_MODULE``
  where it starts Django for real: ``wsgi.py`` / ``asgi.py`` / ``manage.py``
  (``os.environ.setdefault(...)``), Dockerfiles, Procfiles, compose files and ``.env`` files
  (:func:`references`; a module named in ``src/manage.py`` is looked up from ``src/``), the
  module a Dockerfile copies into place (:func:`copied_modules`) and the module named like a
  deployment file (``Dockerfile.cabotage``: :func:`deployment_names`). Deploy mode judges
  them when no ``--settings`` is given.
* **Which are development, test or CI?** By path (:func:`is_development_path`: ``tests/``,
  ``conftest.py``, ``settings/test.py``, ``ci.py``, ``local*.py``, ``dev*.py``, ...) or by
  how they are referenced (pytest's ``DJANGO_SETTINGS_MODULE``, ``--settings=...`` in tox or CI
  configuration, ``Dockerfile.dev``, ``docker-compose.local.yml``, ``.env.test``). Their
  settings findings are not reported, and code under test directories is not linted for
  ``set_cookie`` either. ``deployed = [...]`` / ``development = [...]`` in ``[tool.hardsess]``
  override the classification.

Standard library only, and cheap: a handful of ``stat`` calls per project root, a regular
expression over the few files that can name a settings module.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

__all__ = [
    "DJANGO_SETTINGS",
    "MIN_SETTINGS_NAMES",
    "Classifier",
    "Reference",
    "copied_modules",
    "deployment_names",
    "is_development_path",
    "is_settings_module",
    "is_test_code_path",
    "locate",
    "looks_like_settings",
    "package_root",
    "project_roots",
    "references",
]

#: The names ``django.conf.global_settings`` defines (Django 5.2, and ROOT_URLCONF, which every
#: project sets), as bytes for the content test.
_NAMES = """
ABSOLUTE_URL_OVERRIDES ADMINS ALLOWED_HOSTS APPEND_SLASH AUTHENTICATION_BACKENDS
AUTH_PASSWORD_VALIDATORS AUTH_USER_MODEL CACHES CACHE_MIDDLEWARE_ALIAS
CACHE_MIDDLEWARE_KEY_PREFIX CACHE_MIDDLEWARE_SECONDS CSRF_COOKIE_AGE CSRF_COOKIE_DOMAIN
CSRF_COOKIE_HTTPONLY CSRF_COOKIE_NAME CSRF_COOKIE_PATH CSRF_COOKIE_SAMESITE CSRF_COOKIE_SECURE
CSRF_FAILURE_VIEW CSRF_HEADER_NAME CSRF_TRUSTED_ORIGINS CSRF_USE_SESSIONS DATABASES
DATABASE_ROUTERS DATA_UPLOAD_MAX_MEMORY_SIZE DATA_UPLOAD_MAX_NUMBER_FIELDS
DATA_UPLOAD_MAX_NUMBER_FILES DATETIME_FORMAT DATETIME_INPUT_FORMATS DATE_FORMAT
DATE_INPUT_FORMATS DEBUG DEBUG_PROPAGATE_EXCEPTIONS DECIMAL_SEPARATOR DEFAULT_AUTO_FIELD
DEFAULT_CHARSET DEFAULT_EXCEPTION_REPORTER DEFAULT_EXCEPTION_REPORTER_FILTER DEFAULT_FROM_EMAIL
DEFAULT_INDEX_TABLESPACE DEFAULT_TABLESPACE DISALLOWED_USER_AGENTS EMAIL_BACKEND EMAIL_HOST
EMAIL_HOST_PASSWORD EMAIL_HOST_USER EMAIL_PORT EMAIL_SSL_CERTFILE EMAIL_SSL_KEYFILE
EMAIL_SUBJECT_PREFIX EMAIL_TIMEOUT EMAIL_USE_LOCALTIME EMAIL_USE_SSL EMAIL_USE_TLS
FILE_UPLOAD_DIRECTORY_PERMISSIONS FILE_UPLOAD_HANDLERS FILE_UPLOAD_MAX_MEMORY_SIZE
FILE_UPLOAD_PERMISSIONS FILE_UPLOAD_TEMP_DIR FIRST_DAY_OF_WEEK FIXTURE_DIRS FORCE_SCRIPT_NAME
FORMAT_MODULE_PATH FORMS_URLFIELD_ASSUME_HTTPS FORM_RENDERER IGNORABLE_404_URLS INSTALLED_APPS
INTERNAL_IPS LANGUAGES LANGUAGES_BIDI LANGUAGE_CODE LANGUAGE_COOKIE_AGE LANGUAGE_COOKIE_DOMAIN
LANGUAGE_COOKIE_HTTPONLY LANGUAGE_COOKIE_NAME LANGUAGE_COOKIE_PATH LANGUAGE_COOKIE_SAMESITE
LANGUAGE_COOKIE_SECURE LOCALE_PATHS LOGGING LOGGING_CONFIG LOGIN_REDIRECT_URL LOGIN_URL
LOGOUT_REDIRECT_URL MANAGERS MEDIA_ROOT MEDIA_URL MESSAGE_STORAGE MIDDLEWARE MIGRATION_MODULES
MONTH_DAY_FORMAT NUMBER_GROUPING PASSWORD_HASHERS PASSWORD_RESET_TIMEOUT PREPEND_WWW
ROOT_URLCONF SECRET_KEY SECRET_KEY_FALLBACKS SECURE_CONTENT_TYPE_NOSNIFF
SECURE_CROSS_ORIGIN_OPENER_POLICY SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD
SECURE_HSTS_SECONDS SECURE_PROXY_SSL_HEADER SECURE_REDIRECT_EXEMPT SECURE_REFERRER_POLICY
SECURE_SSL_HOST SECURE_SSL_REDIRECT SERVER_EMAIL SESSION_CACHE_ALIAS SESSION_COOKIE_AGE
SESSION_COOKIE_DOMAIN SESSION_COOKIE_HTTPONLY SESSION_COOKIE_NAME SESSION_COOKIE_PATH
SESSION_COOKIE_SAMESITE SESSION_COOKIE_SECURE SESSION_ENGINE SESSION_EXPIRE_AT_BROWSER_CLOSE
SESSION_FILE_PATH SESSION_SAVE_EVERY_REQUEST SESSION_SERIALIZER SHORT_DATETIME_FORMAT
SHORT_DATE_FORMAT SIGNED_COOKIE_LEGACY_SALT_FALLBACK SIGNING_BACKEND SILENCED_SYSTEM_CHECKS
STATICFILES_DIRS STATICFILES_FINDERS STATIC_ROOT STATIC_URL STORAGES TEMPLATES
TEST_NON_SERIALIZED_APPS TEST_RUNNER THOUSAND_SEPARATOR TIME_FORMAT TIME_INPUT_FORMATS
TIME_ZONE USE_I18N USE_THOUSAND_SEPARATOR USE_TZ USE_X_FORWARDED_HOST USE_X_FORWARDED_PORT
WSGI_APPLICATION X_FRAME_OPTIONS YEAR_MONTH_FORMAT
"""
DJANGO_SETTINGS: frozenset[bytes] = frozenset(n.encode("ascii") for n in _NAMES.split())

#: How many distinct Django setting names a module must assign to be a settings module. One or
#: two are common elsewhere (a ``DEBUG`` flag, an app's ``LOGGING`` dict); three are not.
MIN_SETTINGS_NAMES = 3

# A module-level assignment (``NAME =``, ``NAME: T =``, ``NAME +=``) at the start of a line.
_ASSIGNED = re.compile(rb"^([A-Z][A-Z0-9_]*)[ \t]*(?::[^=\n]*)?\+?=(?!=)", re.MULTILINE)


def looks_like_settings(data: bytes) -> bool:
    """Whether a module's bytes assign at least :data:`MIN_SETTINGS_NAMES` Django settings."""
    seen: set[bytes] = set()
    for match in _ASSIGNED.finditer(data):
        name = match.group(1)
        if name in DJANGO_SETTINGS:
            seen.add(name)
            if len(seen) >= MIN_SETTINGS_NAMES:
                return True
    return False


def is_settings_module(path: str, data: bytes, configured: Sequence[str] = ()) -> bool:
    """Whether settings rules run on a file: by path or configuration
    (:func:`~hardsess.lint.discovery.is_settings_path`), or by content
    (:func:`looks_like_settings`, asked only when the bytes mention a setting some rule reads).
    The one test the runner, the API, the linter and the bandit plugin share."""
    from hardsess.lint.discovery import is_settings_path
    from hardsess.lint.prefilter import settings_may_matter

    if is_settings_path(path, configured):
        return True
    return settings_may_matter(data) and looks_like_settings(data)


# --------------------------------------------------------------------------- paths

#: Directories whose whole content is tests: settings and code there is never deployed.
_TEST_DIRECTORIES = frozenset({"tests", "test", "testing", "fixtures", "test_fixtures"})
#: Words in a module's name (split on ``_``, ``-``, ``.``) that say development, test or CI,
#: or a template to copy, never deployed as it is (``configuration_example.py``).
_DEVELOPMENT_WORDS = frozenset(
    {
        "test", "tests", "testing", "ci", "local", "dev", "devel", "develop", "development",
        "devproject", "testproject", "smoketest", "example", "examples", "sample", "docs",
        "debug",
    }
)  # fmt: skip
#: Words a settings module's name may add without changing what it is (``settings_dev.py``).
_NEUTRAL_WORDS = frozenset({"settings", "setting", "conf", "config", "django"})


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[_.\-]+", name.lower()) if w]


def is_test_code_path(path: str) -> bool:
    """Whether a file is test code: under a test directory, or ``test_*.py``, ``*_test.py``,
    ``tests.py``, ``conftest.py``. Its own ``set_cookie`` calls are not reported."""
    parts = Path(path.replace(os.sep, "/")).parts
    if any(part in _TEST_DIRECTORIES for part in parts[:-1]):
        return True
    name = parts[-1] if parts else ""
    return (
        name in ("tests.py", "conftest.py") or name.startswith("test_") or name.endswith("_test.py")
    )


def is_development_path(path: str) -> bool:
    """Whether a settings module is development, test or CI by its path: test code (see
    :func:`is_test_code_path`), or a name with a development word (``local.py``,
    ``local_dev.py``, ``settings/ci.py``, ``development.py``, ``testing.py``, a package
    ``settings/dev/__init__.py``)."""
    if is_test_code_path(path):
        return True
    posix = Path(path.replace(os.sep, "/"))
    stem = posix.parent.name if posix.name == "__init__.py" else posix.stem
    words = [w for w in _words(stem) if w not in _NEUTRAL_WORDS]
    if not words:
        # ``devproject/settings.py``, ``examples/app/settings.py``: the name says nothing,
        # so the directories holding it do.
        words = [w for part in posix.parent.parts for w in _words(part)]
    return any(w in _DEVELOPMENT_WORDS for w in words)


def _development_module(module: str) -> bool:
    return is_development_path(module.replace(".", "/") + ".py")


# --------------------------------------------------------------------------- references

Kind = Literal["deployed", "development"]


class Reference(NamedTuple):
    """A settings module the project names, where, and what that says about it."""

    module: str
    where: str
    kind: Kind


# os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x"), os.environ["DJANGO_SETTINGS_MODULE"] = "x"
_PYTHON = re.compile(rb"""DJANGO_SETTINGS_MODULE['"]\s*(?:,|\]\s*=)\s*['"]([A-Za-z_][\w.]*)['"]""")
#: ``f"proj.settings.{environment}"``: one placeholder, a plain name, in a dotted name.
_PYTHON_FSTRING = re.compile(
    rb"""DJANGO_SETTINGS_MODULE['"]\s*(?:,|\]\s*=)\s*f['"]([A-Za-z_][\w.]*)\{([A-Za-z_]\w*)\}"""
    rb"""([\w.]*)['"]"""
)
# ENV DJANGO_SETTINGS_MODULE=x, DJANGO_SETTINGS_MODULE: x, - DJANGO_SETTINGS_MODULE=x,
# DJANGO_SETTINGS_MODULE = x (pytest, tox setenv), export DJANGO_SETTINGS_MODULE="x"
_ASSIGNMENT = re.compile(
    rb"""DJANGO_SETTINGS_MODULE['"]?[ \t]*[:= \t][ \t]*['"]?([A-Za-z_][\w.]*)"""
)
_FLAG = re.compile(rb"""--settings[= \t]+['"]?([A-Za-z_][\w.]*)""")

#: Files whose settings references are tests or CI, never a deployment.
_TEST_CONFIGS = ("pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", ".gitlab-ci.yml")
#: Directories (below a root) whose files start the site; checked for deployment files.
_DEPLOY_DIRECTORIES = ("", "docker", "deploy", "deployment", "compose", "ops")


def _deploy_file(name: str) -> bool:
    lower = name.lower()
    return (
        lower.startswith(("dockerfile", "procfile", "docker-compose", "compose.", ".env"))
        or lower.endswith((".dockerfile", ".env"))
        or lower in ("app.yaml", "app.json", "fly.toml", "render.yaml", "heroku.yml")
        # Application-server and process-manager configuration: uWSGI's ``env =
        # DJANGO_SETTINGS_MODULE=...``, gunicorn's ``raw_env``, supervisord's and systemd's
        # ``environment``.
        or lower in ("uwsgi.ini", "uwsgi.yml", "uwsgi.yaml", "gunicorn.conf.py", "gunicorn.py")
        or lower.endswith(("uwsgi.ini", ".service"))
        or (lower.startswith("supervisord") and lower.endswith(".conf"))
    )


def _development_file(name: str) -> bool:
    """A deployment file for development: ``Dockerfile.dev``, ``docker-compose.local.yml``,
    ``.env.test``, ``local.yml``."""
    stem = name.lower()
    for prefix in ("dockerfile", "docker-compose", "compose", "procfile"):
        if stem.startswith(prefix):
            stem = stem[len(prefix) :]
    return any(w in _DEVELOPMENT_WORDS for w in _words(stem) if w not in ("yml", "yaml", "env"))


def deployment_names(roots: Iterable[Path]) -> list[str]:
    """The names deployment files give a deployment (``Dockerfile.cabotage``,
    ``docker-compose.production.yml``, ``.env.prod``): a settings module of that name beside a
    module the project names is the one that deployment runs, set by its platform."""
    names: list[str] = []
    for root in roots:
        for sub in _DEPLOY_DIRECTORIES:
            directory = root / sub if sub else root
            try:
                entries = sorted(os.listdir(directory))
            except OSError:
                continue
            for entry in entries:
                lower = entry.lower()
                if not _deploy_file(entry) or _development_file(entry):
                    continue
                for prefix in ("dockerfile", "docker-compose", "compose", "procfile", ".env"):
                    if lower.startswith(prefix):
                        lower = lower[len(prefix) :]
                        break
                else:
                    # ``prod.dockerfile``; ``app.yaml`` and ``fly.toml`` name no deployment.
                    if not lower.endswith((".dockerfile", ".env")):
                        continue
                    lower = lower.rpartition(".")[0]
                words = [w for w in _words(lower) if w not in ("yml", "yaml", "env", "toml")]
                if len(words) == 1 and words[0].isidentifier() and words[0] not in names:
                    names.append(words[0])
    return names


def references(roots: Iterable[Path], python_files: Mapping[str, bytes] = {}) -> list[Reference]:
    """The settings modules the project names (see the module doc).

    ``python_files``: files already read (path -> bytes); those named ``wsgi.py``,
    ``asgi.py`` or ``manage.py`` are searched, so nothing is read twice. The non-Python files
    are looked for in each root and a few conventional deployment directories below it.
    """
    found: list[Reference] = []
    for path, data in python_files.items():
        name = os.path.basename(path)
        if name in ("wsgi.py", "asgi.py", "manage.py") and b"DJANGO_SETTINGS_MODULE" in data:
            kind: Kind = "development" if is_test_code_path(path) else "deployed"
            found += [
                Reference(m.group(1).decode(), path, kind)
                for m in _PYTHON.finditer(data)
                if not _commented(data, m.start())
            ]
            found += [Reference(module, path, kind) for module in _fstring_modules(data)]
    seen: set[Path] = set()
    for _, sub, entry in _deployment_entries(roots):
        test_config = not sub and entry.name in _TEST_CONFIGS
        if not (test_config or _deploy_file(entry.name)) or not entry.is_file():
            continue
        file = _real(entry.path)
        if file in seen:
            continue
        seen.add(file)
        found += _references_in(file, entry.name, test_config)
    for root in roots:
        workflows = root / ".github" / "workflows"
        if workflows.is_dir():
            for workflow in sorted(workflows.glob("*.y*ml")):
                found += _references_in(_real(workflow), workflow.name, True)
    return found


def _fstring_modules(data: bytes) -> list[str]:
    """The modules ``f"proj.settings.{environment}"`` can name: one per string literal the
    file assigns to that variable (``environment = "production"``, ``= "development"``).
    Each is then classified by its own path and name, as any other reference."""
    modules: list[str] = []
    for match in _PYTHON_FSTRING.finditer(data):
        if _commented(data, match.start()):
            continue
        prefix, variable, suffix = (g.decode() for g in match.groups())
        assigned = re.compile(
            rb"^[ \t]*" + re.escape(variable.encode()) + rb"""[ \t]*=[ \t]*['"](\w+)['"]""",
            re.MULTILINE,
        )
        for value in assigned.finditer(data):
            module = f"{prefix}{value.group(1).decode()}{suffix}"
            if module not in modules:
                modules.append(module)
    return modules


def _references_in(file: Path, name: str, test_config: bool) -> list[Reference]:
    try:
        data = file.read_bytes()
    except OSError:
        return []
    if b"DJANGO_SETTINGS_MODULE" not in data and b"--settings" not in data:
        return []
    development = test_config or _development_file(name) or _dev_server_only(data)
    kind: Kind = "development" if development else "deployed"
    found: list[Reference] = []
    for pattern in (_ASSIGNMENT, _FLAG):
        for match in pattern.finditer(data):
            if _commented(data, match.start()):
                continue
            start = data.rfind(b"\n", 0, match.start()) + 1
            end = data.find(b"\n", match.end())
            line = data[start : end if end >= 0 else len(data)]
            # ``RUN DJANGO_SETTINGS_MODULE=proj.settings.build manage.py collectstatic``: a
            # module for a build step, not the one the site runs with.
            build = any(step in line for step in _BUILD_STEPS)
            found.append(
                Reference(match.group(1).decode(), str(file), "development" if build else kind)
            )
    return found


#: Servers a deployment runs Django with; ``runserver`` is the development server.
_SERVERS = (b"gunicorn", b"uwsgi", b"uvicorn", b"daphne", b"hypercorn", b"waitress", b"granian")


def _dev_server_only(data: bytes) -> bool:
    """Whether a compose file, Dockerfile or Procfile runs Django's development server
    (``manage.py runserver``, on a line that is not a comment) and no production server:
    its settings module is a development one, whatever the file is called
    (djangoproject.com's ``docker-compose.yml`` runs ``runserver`` with
    ``settings.docker``, which star-imports ``settings.dev``)."""
    at = data.find(b"runserver")
    while at >= 0 and _commented(data, at):
        at = data.find(b"runserver", at + 1)
    if at < 0:
        return False
    lowered = data.lower()
    return not any(server in lowered for server in _SERVERS)


def _commented(data: bytes, offset: int) -> bool:
    """Whether ``offset`` is in a ``#`` comment line (Python, shell, YAML, Dockerfile, .env):
    ``# os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"`` is an alternative the
    project does not run."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data[start:offset].lstrip().startswith(b"#")


# ``cp docker/config.py settings/config.py`` (a RUN step), ``COPY docker/prod.py proj/prod.py``:
# a module the image has that the checkout holds elsewhere. Relative paths only, both ``.py``.
_COPY = re.compile(
    rb"""(?:^|[\s;&|])(?:cp|COPY)[ \t]+(?:-\S+[ \t]+)*([\w./-]+\.py)[ \t]+([\w./-]+\.py)\b"""
)


def _deployment_entries(roots: Iterable[Path]) -> Iterator[tuple[Path, str, os.DirEntry[str]]]:
    """(root, subdirectory, entry) for every entry of each root and of its deployment
    directories (``docker/``, ``deploy/``, ...), in name order: where references and
    Dockerfile copies are looked for."""
    for root in roots:
        for sub in _DEPLOY_DIRECTORIES:
            directory = root / sub if sub else root
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                yield root, sub, entry


def copied_modules(roots: Iterable[Path]) -> dict[str, Path]:
    """The settings modules a Dockerfile copies into place while building the image (dotted
    name of the destination -> the file copied, resolved): ``DJANGO_SETTINGS_MODULE`` may name a
    module only the image has. Destinations are taken relative to the root, as after
    ``COPY . /app`` with ``WORKDIR /app``."""
    copies: dict[str, Path] = {}
    for root, _, entry in _deployment_entries(roots):
        lower = entry.name.lower()
        if not (lower.startswith("dockerfile") or lower.endswith(".dockerfile")):
            continue
        try:
            data = Path(entry.path).read_bytes()
        except OSError:
            continue
        for match in _COPY.finditer(data):
            if _commented(data, match.start()):
                continue
            source, destination = (g.decode() for g in match.groups())
            file = root / source.lstrip("./")
            if source.startswith("/") or destination.startswith("/") or not file.is_file():
                continue
            parts = destination.lstrip("./")[: -len(".py")].split("/")
            if all(p.isidentifier() for p in parts):
                copies.setdefault(".".join(parts), _real(file))
    return copies


#: Management commands run while building an image, with settings of their own.
_BUILD_STEPS = (b"collectstatic", b"compilemessages", b"compress")


# --------------------------------------------------------------------------- roots


def package_root(directory: Path, stop: Iterable[Path] = ()) -> Path:
    """Where imports of the package holding ``directory`` start: the first ancestor that is not
    a package (no ``__init__.py``), as ``sys.path`` would hold it. So the directory of
    ``myproj/settings.py`` never becomes a root that makes ``myproj/celery.py`` shadow the
    ``celery`` package. Climbing ends at a directory in ``stop`` (a declared root)."""
    stop = set(stop)
    while (
        (directory / "__init__.py").is_file()
        and directory.name.isidentifier()  # ``Mayan-EDMS/__init__.py`` is no package
        and directory.parent != directory
        and directory not in stop
    ):
        directory = directory.parent
    return directory


def project_roots(paths: Sequence[str], config_root: Path | None = None) -> list[Path]:
    """Where module names are looked up: the current directory, the config's directory, and
    for each path given the :func:`package_root` of it (a file's directory), in that order."""
    roots: list[Path] = [Path.cwd()]
    if config_root is not None:
        roots.append(config_root)
    for given in paths:
        path = _real(given)
        # A directory given is a root as it is (``src/``); a file's directory only where
        # Python would start importing it.
        roots.append(path if path.is_dir() else package_root(path.parent))
    unique: list[Path] = []
    for root in roots:
        resolved = _real(root)
        if resolved not in unique:
            unique.append(resolved)
    return unique


def _real(path: str | Path) -> Path:
    """The path with symbolic links resolved; never raises (a link loop stays as it is)."""
    return Path(os.path.realpath(path))


def locate(module: str, roots: Iterable[Path]) -> Path | None:
    """The file of a dotted module name under the roots, or None (resolved)."""
    parts = module.split(".")
    if not all(p.isidentifier() for p in parts):
        return None
    for root in roots:
        base = root.joinpath(*parts)
        if base.with_suffix(".py").is_file():
            return _real(base.with_suffix(".py"))
        if (base / "__init__.py").is_file():
            return _real(base / "__init__.py")
    return None


# --------------------------------------------------------------------------- classification


def _matches(
    path: Path, modules: Iterable[str], patterns: Sequence[str], root: Path | None
) -> bool:
    """Whether a ``deployed`` / ``development`` entry names this file: a dotted module name,
    or a glob (it has ``/``, ``*`` or ends in ``.py``) on the path relative to the config's
    directory (``*`` also crosses ``/``) or the file name."""
    import fnmatch  # only configurations with overrides pay for it

    relative = path.as_posix()
    if root is not None:
        with contextlib.suppress(ValueError):
            relative = path.relative_to(root).as_posix()
    for pattern in patterns:
        if "/" in pattern or "*" in pattern or pattern.endswith(".py"):
            glob = pattern.lstrip("./")
            if fnmatch.fnmatchcase(relative, glob) or fnmatch.fnmatchcase(path.name, glob):
                return True
        elif pattern in modules:
            return True
    return False


class Classifier:
    """The project's settings modules, classified once per run (see the module doc).

    A plain class, not a dataclass: this module is imported on every run, pre-commit's
    one-file run included, where creating dataclasses is a measurable part of start-up.
    """

    def __init__(
        self,
        roots: list[Path],
        *,
        deployed_patterns: Sequence[str] = (),
        development_patterns: Sequence[str] = (),
        config_root: Path | None = None,
        refs: Sequence[Reference] = (),
        copies: Mapping[str, Path] = {},
        names: Sequence[str] = (),
    ) -> None:
        self.roots = list(roots)
        self.deployed_patterns = deployed_patterns
        self.development_patterns = development_patterns
        self.config_root = config_root
        self.refs = list(refs)
        self.copies = copies
        self.names = names
        #: resolved file -> the dotted name a reference gave it, and the references' kinds.
        self._named: dict[Path, str] = {}
        self._kinds: dict[Path, set[Kind]] = {}
        for ref in self.refs:
            if ref.where.endswith(".py"):
                # Python starts importing where the file naming the module lives
                # (``src/manage.py``: ``src/`` is on sys.path), so a ``src/`` layout's modules
                # are found from there, after the roots the run was given.
                root = package_root(_real(ref.where).parent)
                if root not in self.roots:
                    self.roots.append(root)
                # A script run as ``python pkg/manage.py`` has its own directory on sys.path,
                # even inside a package (ArchiveBox's ``archivebox/manage.py`` names
                # ``core.settings``, which is ``archivebox/core/settings.py``).
                if os.path.basename(ref.where) == "manage.py":
                    directory = _real(ref.where).parent
                    if directory not in self.roots:
                        self.roots.append(directory)
        for ref in self.refs:
            file = self.locate(ref.module)
            if file is None:
                continue
            resolved = file
            self._named.setdefault(resolved, ref.module)
            self._kinds.setdefault(resolved, set()).add(ref.kind)

    def locate(self, module: str) -> Path | None:
        """The file of a module under the roots, or the file a Dockerfile copies to it."""
        found = locate(module, self.roots)
        return found if found is not None else self.copies.get(module)

    def _overridden(self, path: Path) -> Kind | None:
        if not (self.deployed_patterns or self.development_patterns):
            return None
        modules = self._dotted(path)
        if _matches(path, modules, self.deployed_patterns, self.config_root):
            return "deployed"
        if _matches(path, modules, self.development_patterns, self.config_root):
            return "development"
        return None

    def _dotted(self, path: Path) -> set[str]:
        """The dotted names the file has under the roots (and the one a reference used)."""
        names = {self._named[path]} if path in self._named else set()
        for root in self.roots:
            try:
                parts = list(path.relative_to(root).with_suffix("").parts)
            except ValueError:
                continue
            if parts[-1:] == ["__init__"]:
                parts.pop()
            names.add(".".join(parts))
        return names

    def is_development(self, path: str) -> bool:
        """Whether the settings findings of this file are off: it is development, test or CI
        by path, by the configuration, or named only by test and development references."""
        resolved = _real(path)
        override = self._overridden(resolved)
        if override is not None:
            return override == "development"
        kinds = self._kinds.get(resolved, set())
        if is_development_path(self._relative(resolved)):
            return True
        # Named only where tests or CI start Django: a test module, whatever its name.
        return kinds == {"development"}

    def is_test_code(self, path: str) -> bool:
        """Whether this file is test code whose ``set_cookie`` calls are not reported."""
        resolved = _real(path)
        override = self._overridden(resolved)
        if override is not None:
            return override == "development"
        return is_test_code_path(self._relative(resolved))

    def _relative(self, resolved: Path) -> str:
        for root in (self.config_root, *self.roots):
            if root is None:
                continue
            try:
                return resolved.relative_to(_real(root)).as_posix()
            except ValueError:
                continue
        # Outside every root: only its name counts, never the directories above the project
        # (a checkout under /home/dev/ or pytest's test_*0/ is not development code).
        return resolved.name

    def deployed_modules(self) -> list[str]:
        """The modules deploy mode judges by default: every module a deployment reference
        names (wsgi.py, asgi.py, manage.py, Dockerfile, Procfile, compose, .env) that is not
        development by path, plus the dotted modules of ``deployed``; in a stable order."""
        chosen: list[str] = []
        for ref in self.refs:
            if ref.kind != "deployed" or ref.module in chosen:
                continue
            file = self.locate(ref.module)
            if file is None:
                continue
            if self.is_development(str(file)):
                continue
            chosen.append(ref.module)
        for name in self.names:
            # ``Dockerfile.cabotage`` beside ``proj/settings/{base,local,cabotage}.py``: the
            # module of that name in the settings package the project names.
            for ref in self.refs:
                package = ref.module.rpartition(".")[0]
                module = f"{package}.{name}" if package else ""
                if not package or module in chosen or module == ref.module:
                    continue
                file = self.locate(module)
                if file is not None and not self.is_development(str(file)):
                    chosen.append(module)
        for pattern in self.deployed_patterns:
            dotted = not ("/" in pattern or "*" in pattern or pattern.endswith(".py"))
            if dotted and pattern not in chosen and locate(pattern, self.roots) is not None:
                chosen.append(pattern)
        return chosen
