"""The supported Django x Python matrix: `make matrix` (or `nox`) runs the fast suite on each.

Each session builds a fresh virtualenv, installs hardsess with its ``test`` extra and the newest
release of one Django series, and runs everything not marked ``slow`` (servers, browsers, the
fuzzers and Django's own suites run once, in ``make test``, on the development Python).

Django 6.x needs Python 3.12+, so 5.2 LTS is tested on 3.10 and 3.11 and 6.0 / 6.1 on 3.12 and
3.13. Under CI (``CI`` set) nox treats a missing interpreter as an error, not a skip.
"""

from __future__ import annotations

import nox

nox.options.error_on_external_run = True
nox.options.reuse_existing_virtualenvs = False
# uv (in the test extra) builds and fills a virtualenv in seconds where pip takes minutes: the
# matrix has to fit the CI budget on a fresh machine, where no virtualenv can be reused.
nox.options.default_venv_backend = "uv|virtualenv"

#: (python, Django series). ``django~=X.Y.0`` picks the newest X.Y.z.
MATRIX = [
    ("3.10", "5.2"),
    ("3.11", "5.2"),
    ("3.12", "6.0"),
    ("3.13", "6.0"),
    ("3.12", "6.1"),
    ("3.13", "6.1"),
]


@nox.session
@nox.parametrize(
    ("python", "django"),
    [nox.param(py, dj, id=f"py{py}-django{dj}") for py, dj in MATRIX],
)
def tests(session: nox.Session, django: str) -> None:
    session.install("-e", ".[test]", f"django~={django}.0")
    session.run(
        "python", "-c", "import django, sys; print('Django', django.__version__, sys.version)"
    )
    session.run(
        "python", "-m", "pytest", "-m", "not slow", "-q", "-p", "no:cacheprovider", *session.posargs
    )
