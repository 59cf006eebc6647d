"""Fuzz ``hardsess lint``: generated programs, and every .py file of Django and site-packages.

For every input the linter must not crash (invalid Python is a ``SourceError``, nothing else),
and ``--fix`` must be a fixpoint in one step: fixing leaves valid Python, and fixing the result
again changes nothing. Through the Python API (no writes) for everything, and through the CLI's
real ``--fix`` (atomic writes) on copies, in a temporary directory, of every file it fixed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardsess.lint.api import SourceError, fix_source, lint_source
from hardsess.lint.prefilter import code_may_matter, settings_may_matter
from hardsess.lint.project import is_settings_module
from tests.django_suite import harness

pytestmark = pytest.mark.slow

#: Lines that make a generated program reach the parser and the rules (the byte pre-filter
#: skips a file that mentions no setting and no cookie call), with fixes to apply.
TRIGGERS = st.sampled_from(
    [
        "",
        "SESSION_COOKIE_SECURE = False\n",
        "SESSION_COOKIE_HTTPONLY = 0\nCSRF_COOKIE_SAMESITE = 'None'\n",
        "import os\nSESSION_COOKIE_SECURE = os.environ.get('S', '') == 'True'\n",
        "response.set_cookie('a', 'b')\n",
        "r.set_signed_cookie('k', v, secure=False, max_age=10**9)\n",
        "SECRET_KEY = 'django-insecure-x'\nSESSION_SERIALIZER = "
        "'django.contrib.sessions.serializers.PickleSerializer'\n",
    ]
)
PROGRAMS = 300


def compiles(source: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings of generated code are not our concern
        try:
            compile(source, "<fuzz>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            return False
    return True


@dataclass
class Tally:
    files: int = 0
    parsed: int = 0
    fixed: list[str] = field(default_factory=list)
    not_python: int = 0
    #: Valid Python (compile() accepts it) that libcst cannot parse: reported as not Python.
    unparsed: list[str] = field(default_factory=list)


def check_source(source: str, path: str, tally: Tally) -> None:
    """No crash; one --fix is a fixpoint and leaves valid Python."""
    tally.files += 1
    raw = source.encode("utf-8", "surrogatepass")
    if not ((is_settings_module(path, raw) and settings_may_matter(raw)) or code_may_matter(raw)):
        # The pre-filter's promise: such a file has nothing to report and nothing to fix.
        assert lint_source(source, path) == [], path
        return
    try:
        lint_source(source, path)
        fixed = fix_source(source, path)
    except SourceError:
        if compiles(source):
            tally.unparsed.append(path)
        else:
            tally.not_python += 1
        return
    tally.parsed += 1
    if fixed == source:
        return
    tally.fixed.append(path)
    assert compiles(fixed), f"{path}: --fix produced invalid Python"
    # The second fix parses and lints the fixed file again: no crash there either.
    assert fix_source(fixed, path) == fixed, f"{path}: a second --fix changed the file again"


def test_generated_programs() -> None:
    tally = Tally()

    @settings(
        max_examples=PROGRAMS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        hypothesmith.from_grammar() | hypothesmith.from_node(),
        TRIGGERS,
        TRIGGERS,
        st.sampled_from(["settings.py", "proj/settings/prod.py", "views.py"]),
    )
    def run(program: str, before: str, after: str, path: str) -> None:
        # Triggers go around the program, on their own lines, so the whole file is parsed.
        check_source(before + program + ("\n" if program else "") + after, path, tally)

    run()
    print(
        f"\nlint fuzz, generated programs: {tally.files} linted, {tally.parsed} parsed, "
        f"{len(tally.fixed)} fixed (fixpoint checked), {len(tally.unparsed)} valid but unparsed"
    )
    assert tally.files >= PROGRAMS
    assert tally.fixed, "no generated program was ever fixed: the triggers did not reach rules"


def python_trees() -> list[tuple[Path, str]]:
    """(root, label): the installed site-packages (Django included), Django's own tests."""
    roots = [(Path(sysconfig.get_paths()["purelib"]), "site-packages")]
    roots.append((harness.django_tests_dir(), "django-tests"))
    return roots


def test_every_installed_file(tmp_path: Path) -> None:
    tally = Tally()
    for root, label in python_trees():
        for file in sorted(root.rglob("*.py")):
            data = file.read_bytes()
            rel = f"{label}/{file.relative_to(root)}"
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                # Not UTF-8 (a PEP 263 coding line, or Python 2 era data): lint the bytes.
                tally.files += 1
                try:
                    lint_source(data, rel)
                except SourceError:
                    tally.not_python += 1
                continue
            check_source(source, rel, tally)
    print(
        f"\nlint fuzz, installed files: {tally.files} files, {tally.parsed} past the pre-filter "
        f"and parsed, {len(tally.fixed)} fixed (fixpoint checked), {tally.not_python} not "
        f"Python, {len(tally.unparsed)} valid but unparsed: {tally.unparsed[:5]}"
    )
    assert tally.files > 3000
    assert tally.parsed > 0

    # The CLI's real --fix, which writes files, on copies of what the API fixed.
    copies = tmp_path / "copies"
    for rel in tally.fixed:
        label, _, inner = rel.partition("/")
        root = dict((lab, r) for r, lab in python_trees())[label]
        target = copies / label / inner
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / inner, target)
    if not tally.fixed:
        return
    cli = [sys.executable, "-m", "hardsess.cli", "lint", "--fix", "--exit-zero", str(copies)]
    first = subprocess.run(cli, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    after_first = {p: p.read_bytes() for p in copies.rglob("*.py")}
    second = subprocess.run(cli, capture_output=True, text=True, cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    for path, content in after_first.items():
        assert path.read_bytes() == content, f"{path}: the second --fix changed it"
        assert compiles(content.decode("utf-8")), f"{path}: --fix left invalid Python"
