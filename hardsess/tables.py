"""Per-rule tables kept in other files, generated from the catalogue.

``docs/rules.md`` is generated whole (:mod:`hardsess.docs`). Two more files hold a table with a
row per rule: the catalogue-checks table of ``docs/checks.md`` and the bandit entry points of
``pyproject.toml``. Each sits between a ``generated:`` marker line and an ``end generated``
line; everything around it stays hand-written. ``python -m hardsess.tables`` (``make docs``)
rewrites the regions in place; ``--check`` only reports stale ones (exit 1), which is what
``tests/test_tables.py`` runs. So adding a rule to a family module never means editing these
files by hand.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from hardsess.policy import CATALOGUE, Rule

__all__ = [
    "REGIONS",
    "Region",
    "checks_table",
    "entry_points",
    "main",
    "one_finding_table",
    "refreshed",
]

ROOT = Path(__file__).resolve().parents[1]


def checks_table(catalogue: Sequence[Rule] = CATALOGUE) -> list[str]:
    """The rows of docs/checks.md's catalogue-checks table (settings rules the checks report)."""
    lines = [
        "| Check ID | Rule | Runs | Settings | What it means |",
        "|---|---|---|---|---|",
    ]
    for rule in catalogue:
        if rule.kind != "settings" or rule.source_only:
            continue
        runs = "deploy" if rule.deploy_only else "always"
        settings = ", ".join(rule.settings)
        lines.append(f"| `{rule.check_id}` | {rule.id} | {runs} | {settings} | {rule.summary} |")
    return lines


#: Setting prefix -> the cookie's name in prose (hardsess.enforced.COOKIES has the same keys).
_COOKIE_WORDS = {
    "SESSION_COOKIE_": "session",
    "CSRF_COOKIE_": "CSRF",
    "LANGUAGE_COOKIE_": "language",
}
_FLAG_WORDS = {"secure": "Secure", "httponly": "HttpOnly", "samesite": "a SameSite minimum"}


def _what_happens(rule: Rule) -> str:
    parts = []
    if rule.firewall_flags:
        cookies = [
            w for p, w in _COOKIE_WORDS.items() if any(s.startswith(p) for s in rule.settings)
        ]
        which = cookies[0] if len(cookies) == 1 else f"{', '.join(cookies[:-1])} or {cookies[-1]}"
        flags = " or ".join(_FLAG_WORDS[f] for f in rule.firewall_flags)
        parts.append(f"No finding while the firewall enforces {flags} on the {which} cookie.")
    django = ", ".join(f"`{i}`" for i in rule.django_checks)
    shown = f"Django's {django} when Django reports it and it is not silenced"
    if rule.django_checks and rule.deploy_only:
        parts.append(f"{shown}; `{rule.check_id}` only when Django's check is silent or silenced.")
    elif rule.django_checks:
        parts.append(
            f"Without `--deploy` `{rule.check_id}`; under `--deploy` {shown}, `{rule.check_id}` "
            "then counted as silenced."
        )
    else:
        parts.append(f"`{rule.check_id}` otherwise.")
    if parts[0].startswith("No finding") and len(parts) > 1 and not parts[1].startswith("`"):
        rest = parts[1] if parts[1].startswith("Django") else parts[1][0].lower() + parts[1][1:]
        parts[1] = f"Otherwise {rest}"
    return " ".join(parts)


def one_finding_table(catalogue: Sequence[Rule] = CATALOGUE) -> list[str]:
    """docs/checks.md's "One finding per problem" table: each check the firewall can make moot
    or Django's own checks repeat, and which finding is shown."""
    lines = [
        "| hardsess ID | Django ID | Firewall enforces | What happens |",
        "|---|---|---|---|",
    ]
    for rule in catalogue:
        if rule.kind != "settings" or not (rule.firewall_flags or rule.django_checks):
            continue
        django = ", ".join(f"`{i}`" for i in rule.django_checks) or "none"
        flags = ", ".join(_FLAG_WORDS[f] for f in rule.firewall_flags) or "nothing"
        lines.append(f"| `{rule.check_id}` | {django} | {flags} | {_what_happens(rule)} |")
    return lines


def entry_points() -> list[str]:
    """pyproject.toml's ``bandit.plugins`` entry points: one bandit test per rule, as the
    plugin module itself names them."""
    from hardsess.bandit_plugin import plugin_entry_points  # imports bandit: only here

    return [f'{rule_id} = "{target}"' for rule_id, target in plugin_entry_points().items()]


class Region(NamedTuple):
    """A generated region: the file, the marker lines around it, and what goes inside."""

    path: str
    begin: str
    end: str
    render: Callable[[], list[str]]


REGIONS: tuple[Region, ...] = (
    Region(
        "docs/checks.md",
        "<!-- generated: catalogue checks (python -m hardsess.tables, make docs) -->",
        "<!-- end generated -->",
        checks_table,
    ),
    Region(
        "docs/checks.md",
        "<!-- generated: one finding per problem (python -m hardsess.tables, make docs) -->",
        "<!-- end generated -->",
        one_finding_table,
    ),
    Region(
        "pyproject.toml",
        "# generated: one bandit test per rule (python -m hardsess.tables, make docs)",
        "# end generated",
        entry_points,
    ),
)


def refreshed(text: str, region: Region) -> str:
    """``text`` with the region's content regenerated; ValueError when a marker is missing."""
    lines = text.split("\n")
    try:
        start = lines.index(region.begin)
        stop = lines.index(region.end, start)
    except ValueError:
        raise ValueError(f"{region.path}: the generated-region markers are missing") from None
    return "\n".join([*lines[: start + 1], *region.render(), *lines[stop:]])


def _write(path: Path, text: str) -> None:
    # Atomic: a half-written pyproject.toml would break every later command.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv: Sequence[str] | None = None, root: Path = ROOT) -> int:
    """Rewrite stale regions (or, with ``--check``, list them and exit 1)."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    stale = []
    for region in REGIONS:
        path = root / region.path
        text = path.read_text(encoding="utf-8")
        new = refreshed(text, region)
        if new != text:
            stale.append(region.path)
            if not check:
                _write(path, new)
    for name in stale:
        print(f"{name}: {'stale' if check else 'regenerated'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
