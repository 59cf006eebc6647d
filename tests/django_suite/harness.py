"""Run Django's own test suites (from the sdist of the installed Django) with hardsess in front.

``python -m tests.django_suite.harness`` runs it and prints the comparison with
``expected_divergences.txt``; the pytest test in this package asserts the same thing.

The sdist is downloaded once into ``.cache/django-src/`` (gitignored) with pip, so the tests
are those of exactly the Django that is installed; runtests.py runs against that installed
Django, not the copy in the sdist.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CACHE = REPO / ".cache" / "django-src"
SUPPORT = HERE / "support"
#: The divergences expected in each ``HARDSESS["TEST_CLIENT"]`` mode.
EXPECTATIONS = {
    "transparent": HERE / "expected_divergences.txt",
    "firewall": HERE / "expected_divergences_firewall.txt",
}

#: Django's test apps that touch sessions, cookies, signing, CSRF, messages and responses.
LABELS = (
    "sessions_tests",
    "auth_tests",
    "csrf_tests",
    "messages_tests",
    "signed_cookies_tests",
    "signing",
    "responses",
    "requests_tests",
)

FAILED = frozenset({"failure", "error", "unexpected_success"})


def django_tests_dir(version: str = django.__version__) -> Path:
    """The ``tests/`` directory of Django ``version``'s sdist, downloading it if needed."""
    root = CACHE / f"django-{version}"
    tests = root / "tests"
    if (tests / "runtests.py").is_file():
        return tests
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = CACHE / f"django-{version}.tar.gz"
    if not sdist.is_file():
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
                *("--no-binary", ":all:", f"django=={version}", "--dest", str(CACHE)),
            ],
            check=True,
        )
    with tarfile.open(sdist) as tar:
        # Only the tests: the installed Django is the one under test.
        members = [m for m in tar.getmembers() if m.name.startswith(f"django-{version}/tests/")]
        if sys.version_info >= (3, 12):
            tar.extractall(CACHE, members=members, filter="data")
        else:
            tar.extractall(CACHE, members=members)
    return tests


def load_expectations(path: Path = EXPECTATIONS["transparent"]) -> dict[str, str]:
    """``test id: reason`` per line; ``#`` starts a comment line. Every entry needs a reason."""
    expected: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        test_id, sep, reason = line.partition(": ")
        if not sep or not reason.strip() or " " in test_id:
            raise ValueError(f"{path.name}:{number}: expected 'test.id: reason', got {raw!r}")
        if test_id in expected:
            raise ValueError(f"{path.name}:{number}: {test_id} listed twice")
        expected[test_id] = reason.strip()
    return expected


@dataclass
class Report:
    outcomes: dict[str, str]
    details: dict[str, str]
    exercised: set[str]
    jar_writes: dict[str, list[str]]
    session_reads: set[str]
    expected: dict[str, str]
    returncode: int
    seconds: float
    mode: str = "transparent"
    output: str = ""
    unexpected: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        failed = {t for t, o in self.outcomes.items() if o in FAILED}
        self.unexpected = sorted(failed - set(self.expected))
        # A listed test that passes now, or no longer exists, is a stale entry.
        self.stale = sorted(t for t in self.expected if t not in failed)

    @property
    def ran(self) -> int:
        return sum(1 for o in self.outcomes.values() if o != "skip")

    @property
    def passed(self) -> int:
        return sum(1 for o in self.outcomes.values() if o in {"success", "expected_failure"})

    @property
    def ok(self) -> bool:
        return bool(self.outcomes) and not self.unexpected and not self.stale

    def summary(self) -> str:
        skipped = sum(1 for o in self.outcomes.values() if o == "skip")
        diverged = len(set(self.expected) - set(self.stale))
        lines = [
            f"Django {django.__version__} suites {', '.join(LABELS)}, test client {self.mode}",
            f"ran {self.ran} / passed {self.passed} / expected divergences {diverged}"
            f" / skipped {skipped} / through the firewall {len(self.exercised)}"
            f" / {self.seconds:.1f}s",
        ]
        if self.unexpected:
            lines.append(f"UNEXPECTED failures ({len(self.unexpected)}), fix or list them:")
            lines += [f"  {t}: {self.details.get(t, '?')}" for t in self.unexpected]
        if self.stale:
            lines.append(f"STALE expectations ({len(self.stale)}), now passing or gone:")
            lines += [f"  {t} ({self.outcomes.get(t, 'not run')})" for t in self.stale]
        return "\n".join(lines)


def suggested_reason(report: Report, test_id: str) -> str:
    """A first draft of an expectation's reason, to be checked by reading the test."""
    names = report.jar_writes.get(test_id)
    if names:
        return (
            f"test client puts {', '.join(names)} in its jar itself (login/force_login/"
            "Client.session): never sent by the site, unsigned, so the firewall drops it"
        )
    if test_id in report.session_reads:
        return (
            "Client.session reads the jar's wire value as the session key; the jar holds the "
            "firewall's signed value, so the test sees an empty session"
        )
    return f"TODO read the test: {report.details.get(test_id, '?')}"


def run(labels: tuple[str, ...] = LABELS, mode: str = "transparent") -> Report:
    """Run the suites with the firewall in front, Django's test client in ``mode``."""
    tests = django_tests_dir()
    expected = {
        test_id: reason
        for test_id, reason in load_expectations(EXPECTATIONS[mode]).items()
        if test_id.split(".")[0] in labels
    }
    with tempfile.TemporaryDirectory(prefix="hardsess-djsuite-") as tmp:
        results = Path(tmp) / "results.json"
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(SUPPORT), str(REPO)])
        env["HARDSESS_DJSUITE_RESULTS"] = str(results)
        env["HARDSESS_DJSUITE_TEST_CLIENT"] = mode
        env["TMPDIR"] = tmp
        env.pop("DJANGO_SETTINGS_MODULE", None)
        start = time.monotonic()
        proc = subprocess.run(
            [
                *(sys.executable, "runtests.py", "--parallel=1", "--noinput", "--verbosity=1"),
                *("--settings=hardsess_djsuite_settings", *labels),
            ],
            cwd=tests,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - start
        data = json.loads(results.read_text()) if results.is_file() else {}
    return Report(
        outcomes=data.get("outcomes", {}),
        details=data.get("details", {}),
        exercised=set(data.get("exercised", [])),
        jar_writes=data.get("jar_writes", {}),
        session_reads=set(data.get("session_reads", [])),
        expected=expected,
        returncode=proc.returncode,
        seconds=seconds,
        mode=mode,
        output=proc.stdout[-5000:] + proc.stderr[-20000:],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labels", nargs="*", default=list(LABELS))
    parser.add_argument("--output", action="store_true", help="print runtests.py's output")
    parser.add_argument("--test-client", choices=sorted(EXPECTATIONS), default="transparent")
    parser.add_argument(
        "--suggest", action="store_true", help="print draft expectation lines for new failures"
    )
    args = parser.parse_args(argv)
    report = run(tuple(args.labels), args.test_client)
    if args.output or not report.outcomes:
        print(report.output)
    print(report.summary())
    if args.suggest:
        for test_id in report.unexpected:
            print(f"{test_id}: {suggested_reason(report, test_id)}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
