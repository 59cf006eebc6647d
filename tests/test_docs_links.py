"""Every ``docs/<page>.md#<anchor>`` the package names (check hints above all) exists.

A hint that sends the user to a page or section that is not there is worse than none: this
reads each reference out of the source, and out of the hints the checks really return, and
resolves it against the headings of docs/ as GitHub renders them (its anchor slugs).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from django.core.checks import CheckMessage
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: A docs reference: the page, and the anchor when one is given (an f-string's ``#{...}`` is
#: not one: the generated rule anchors are checked by the docs generator's own tests).
REFERENCE = re.compile(r"docs/([a-z0-9_-]+\.md)(?:#([a-z0-9_-]+))?")


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def anchors(page: str) -> frozenset[str]:
    found: set[str] = set()
    fenced = False
    for line in (DOCS / page).read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced  # "# comment" lines in code blocks are not headings
        elif not fenced and (heading := re.match(r"#{1,6} (.+)", line)):
            found.add(slug(heading.group(1)))
        found.update(re.findall(r'<a id="([^"]+)"', line))  # explicit anchors (rules.md)
    return frozenset(found)


def unresolved(text: str) -> list[str]:
    """The docs references in ``text`` whose page or anchor does not exist."""
    missing = []
    for page, anchor in REFERENCE.findall(text):
        if not (DOCS / page).is_file():
            missing.append(f"docs/{page}")
        elif anchor and anchor not in anchors(page):
            missing.append(f"docs/{page}#{anchor}")
    return missing


def test_slug_follows_github() -> None:
    assert slug("Configuration checks: `hardsess.E160` to `hardsess.W173`") == (
        "configuration-checks-hardsesse160-to-hardsessw173"
    )
    assert slug('Logout and "log out everywhere", engine by engine') == (
        "logout-and-log-out-everywhere-engine-by-engine"
    )


SOURCES = sorted((ROOT / "hardsess").rglob("*.py"))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_docs_reference_in_the_package_exists(source: Path) -> None:
    assert unresolved(source.read_text(encoding="utf-8")) == []


def test_the_check_hint_sources_are_scanned() -> None:
    scanned = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"hardsess/checks.py", "hardsess/lifecycle/options.py"} <= scanned


def _hints(messages: list[CheckMessage]) -> dict[str, str]:
    return {m.id or "": m.hint or "" for m in messages}


@pytest.mark.parametrize(
    ("value", "check_id"),
    [
        pytest.param(["not", "a", "dict"], "hardsess.E160", id="E160"),
        pytest.param({"KEYZ": []}, "hardsess.W169", id="W169"),
        pytest.param({"SESSION": {"IDLE_TIMEOUT": "soon"}}, "", id="session-option"),
    ],
)
def test_the_hints_checks_return_point_at_existing_docs(value: object, check_id: str) -> None:
    from hardsess.checks import check_configuration

    with override_settings(HARDSESS=value):
        hints = _hints(check_configuration())
    if check_id:
        assert check_id in hints, hints
        hint = hints[check_id]
    else:  # a lifecycle option problem: whatever id it is reported under
        [hint] = [h for i, h in hints.items() if i.startswith("hardsess.") and "docs/" in h]
    assert REFERENCE.search(hint), hint
    assert unresolved(hint) == []
