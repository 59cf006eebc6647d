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

__all__ = ["REGIONS", "Region", "checks_table", "entry_points", "main", "refreshed"]

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
