"""Precision and recall of ``hardsess lint`` on the labelled corpus of real projects.

``python -m benchmarks.corpus.measure [--corpus-dir DIR] [--labels FILE] [--project NAME ...]
[--json FILE]``

Reads ``labels.toml`` beside this module (or ``--labels FILE`` in the same format, such as
``heldout.toml``, the held-out set the linter was never tuned on), lints each project's
checkout under the corpus directory (``--corpus-dir`` or ``$HARDSESS_CORPUS_DIR``; one clone
per project, in a directory named like the project) at its recorded commit, and compares the
findings with the labels.
It fetches nothing: a checkout that is missing, or whose commit is not in its history, is
reported and skipped. A clean checkout at another commit is switched (``git checkout
--detach``); one with local changes is left alone and skipped, so nobody's work is lost.

Two runs per project, as a new user runs the linter from the project's root: ``default``
(no flags) and ``deploy`` (plus ``--settings`` for each module the labels name; the same as
``default`` for a project that has none). For each run:

- precision = true / (true + false); debatable findings are counted apart, and also shown
  as if false ("strict"), since a user who disagrees sees them as noise;
- recall = real problems found / every real problem (each ``label = "true"`` entry: the
  true findings and the misses alike), so a miss that starts being reported raises recall;
- safe fixes that would break the site (labels with `fix_breaks`) are counted;
- every finding with no label is listed, with a stub to paste into labels.toml: until it is
  labelled it counts in neither number, so the list must be empty for the numbers to hold.

Matching: a finding matches a label with the same path and rule and a line at most
``--tolerance`` lines away (nearest first; a `default = true` label, a Django default no module
sets, at any line of its file), so small edits to the linter's positions do not
unlabel everything; each label and each finding matches at most once per run.

Not a timed benchmark (``make bench`` skips it: it needs the checkouts); run time per project
is printed only to spot a stall.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # hardsess supports 3.10, where the same parser is the tomli package
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

LABELS = Path(__file__).with_name("labels.toml")
MODES = ("default", "deploy")
#: A whole-repository run that takes longer than this is reported as stalled (issue 12 saw
#: 300 s on one pathological file).
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    rule: str
    label: str  # "true", "false" or "debatable"
    reason: str
    default: bool = False  # a Django default never set: matches at any line of ``path``
    fix_breaks: str | None = None  # why a fix offered as safe would break the site


@dataclass(frozen=True)
class Project:
    name: str
    repo: str
    commit: str
    deploy: tuple[str, ...]
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str
    fix: str | None  # the fix's applicability ("safe", "unsafe"), None without one


@dataclass
class Run:
    """One linter run on one project, and how its findings matched the labels."""

    project: Project
    mode: str
    returncode: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    matched: dict[int, Label] = field(default_factory=dict)  # finding index -> label
    skipped: str | None = None  # why the project could not be run

    def count(self, label: str) -> int:
        return sum(1 for lab in self.matched.values() if lab.label == label)

    def unlabelled(self) -> list[Finding]:
        return [f for i, f in enumerate(self.findings) if i not in self.matched]

    def real_found(self) -> set[Label]:
        return {lab for lab in self.matched.values() if lab.label == "true"}


def load_projects(path: Path = LABELS) -> list[Project]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    projects = []
    for raw in data["project"]:
        labels = tuple(
            Label(
                path=entry["path"],
                line=int(entry["line"]),
                rule=entry["rule"],
                label=entry["label"],
                reason=entry["reason"],
                default=bool(entry.get("default", False)),
                fix_breaks=entry.get("fix_breaks"),
            )
            for entry in raw.get("label", [])
        )
        for lab in labels:
            if lab.label not in ("true", "false", "debatable"):
                raise SystemExit(f"{path}: {raw['name']}: {lab.path}:{lab.line}: bad label")
        projects.append(
            Project(raw["name"], raw["repo"], raw["commit"], tuple(raw.get("deploy", [])), labels)
        )
    return projects


def hardsess_command() -> list[str]:
    """The hardsess of this interpreter's environment (the tree being measured)."""
    script = Path(sys.executable).with_name("hardsess")
    if script.exists():
        return [str(script)]
    found = shutil.which("hardsess")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from hardsess.cli import main; sys.exit(main())"]


def _git(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(checkout), *args], capture_output=True, text=True, check=False
    )


def prepare(project: Project, corpus: Path) -> str | None:
    """Put the checkout at the recorded commit; return why it cannot be, or None."""
    checkout = corpus / project.name
    if not checkout.is_dir():
        return f"no checkout at {checkout} (clone github.com/{project.repo} there)"
    head = _git(checkout, "rev-parse", "HEAD").stdout.strip()
    if head == project.commit:
        return None
    if _git(checkout, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        return f"{checkout} has local changes and is at {head[:12]}, not {project.commit[:12]}"
    switched = _git(checkout, "checkout", "-q", "--detach", project.commit)
    if switched.returncode != 0:
        return f"{checkout}: commit {project.commit[:12]} not available: {switched.stderr.strip()}"
    return None


def lint(project: Project, corpus: Path, mode: str) -> Run:
    run = Run(project, mode)
    command = [*hardsess_command(), "lint", "--format", "json", "--exit-zero"]
    if mode == "deploy":
        for module in project.deploy:
            command += ["--settings", module]
    started = time.monotonic()
    try:
        done = subprocess.run(
            command,
            cwd=corpus / project.name,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        run.skipped = f"stalled: no answer within {TIMEOUT_SECONDS} s"
        return run
    run.seconds = time.monotonic() - started
    run.returncode = done.returncode
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        run.skipped = f"exit {done.returncode}, no JSON report: {done.stderr.strip()[:300]}"
        return run
    run.findings = [
        Finding(
            f["path"],
            int(f["line"]),
            f["rule_id"],
            f.get("message", ""),
            (f.get("fix") or {}).get("applicability"),
        )
        for f in report.get("findings", [])
    ]
    run.errors = [f"{e.get('path', '?')}: {e.get('message', e)}" for e in report.get("errors", [])]
    return run


def match(run: Run, tolerance: int) -> None:
    """Pair findings with labels: same path and rule, nearest line within ``tolerance``.

    A ``default`` label (a setting no module writes) matches at any line of its file, as
    where such a finding points is the linter's choice; nearest still wins, so an explicit
    assignment's label in the same file keeps its own finding.
    """
    free = list(run.project.labels)
    candidates = sorted(
        (abs(f.line - lab.line), i, j)
        for i, f in enumerate(run.findings)
        for j, lab in enumerate(free)
        if f.path == lab.path
        and f.rule == lab.rule
        and (lab.default or abs(f.line - lab.line) <= tolerance)
    )
    used: set[int] = set()
    for _distance, i, j in candidates:
        if i in run.matched or j in used:
            continue
        run.matched[i] = free[j]
        used.add(j)


def _ratio(numerator: int, denominator: int) -> str:
    if denominator == 0:
        return "n/a"
    return f"{100 * numerator / denominator:.1f}% ({numerator}/{denominator})"


def summarise(runs: Sequence[Run], projects: Sequence[Project], mode: str) -> dict[str, Any]:
    mine = [r for r in runs if r.mode == mode and r.skipped is None]
    measured = {r.project.name for r in mine}
    real = [
        (p.name, lab)
        for p in projects
        if p.name in measured
        for lab in p.labels
        if lab.label == "true"
    ]
    found = {(r.project.name, lab) for r in mine for lab in r.real_found()}
    tp = sum(r.count("true") for r in mine)
    fp = sum(r.count("false") for r in mine)
    db = sum(r.count("debatable") for r in mine)
    by_rule: dict[str, dict[str, int]] = {}
    for r in mine:
        for i, f in enumerate(r.findings):
            kind = r.matched[i].label if i in r.matched else "unlabelled"
            row = by_rule.setdefault(f.rule, {})
            row[kind] = row.get(kind, 0) + 1
    for name, lab in real:
        if (name, lab) not in found:
            row = by_rule.setdefault(lab.rule, {})
            row["missed"] = row.get("missed", 0) + 1
    return {
        "mode": mode,
        "projects": len(mine),
        "skipped": sorted({r.project.name for r in runs if r.mode == mode} - measured),
        "findings": sum(len(r.findings) for r in mine),
        "true": tp,
        "false": fp,
        "debatable": db,
        "unlabelled": sum(len(r.unlabelled()) for r in mine),
        "precision": _ratio(tp, tp + fp),
        "precision_strict": _ratio(tp, tp + fp + db),
        "real_problems": len(real),
        "real_found": len(found),
        "recall": _ratio(len(found), len(real)),
        "runs_with_errors": sum(1 for r in mine if r.errors),
        "missed": [
            {
                "project": name,
                "path": lab.path,
                "line": lab.line,
                "rule": lab.rule,
                "reason": lab.reason,
            }
            for name, lab in real
            if (name, lab) not in found
        ],
        "noise": [
            f"{lab.label:<9} {r.project.name}: {lab.path}:{lab.line} {lab.rule}: {lab.reason}"
            for r in mine
            for lab in r.matched.values()
            if lab.label != "true"
        ],
        "by_rule": dict(sorted(by_rule.items())),
        "breaking_safe_fixes": [
            f"{r.project.name}: {lab.path}:{lab.line} {lab.rule}: {lab.fix_breaks}"
            for r in mine
            for i, lab in r.matched.items()
            if lab.fix_breaks and r.findings[i].fix == "safe"
        ],
    }


def report(
    runs: Sequence[Run], projects: Sequence[Project], *, verbose: bool = False
) -> list[dict[str, Any]]:
    print(
        f"{'project':<22} {'mode':<8} {'s':>6} {'exit':>4} {'find':>4} "
        f"{'T':>3} {'F':>3} {'D':>3} {'new':>3} {'err':>3}"
    )
    for r in runs:
        if r.skipped:
            print(f"{r.project.name:<22} {r.mode:<8} skipped: {r.skipped}")
            continue
        print(
            f"{r.project.name:<22} {r.mode:<8} {r.seconds:>6.1f} {r.returncode:>4} "
            f"{len(r.findings):>4} {r.count('true'):>3} {r.count('false'):>3} "
            f"{r.count('debatable'):>3} {len(r.unlabelled()):>3} {len(r.errors):>3}"
        )
    summaries = [summarise(runs, projects, mode) for mode in MODES]
    for s in summaries:
        print(f"\n== {s['mode']} mode ({s['projects']} projects, {s['findings']} findings)")
        print(
            f"precision: {s['precision']}  (debatable apart: {s['debatable']}; "
            f"counting debatable as false: {s['precision_strict']})"
        )
        print(f"recall:    {s['recall']}")
        if s["skipped"]:
            print(f"NOT MEASURED (the numbers leave them out): {', '.join(s['skipped'])}")
        print(
            "by rule:   "
            + "; ".join(
                f"{rule} " + " ".join(f"{k}={v}" for k, v in sorted(row.items()))
                for rule, row in s["by_rule"].items()
            )
        )
        print(f"safe fixes that would break the site: {len(s['breaking_safe_fixes'])}")
        for line in s["breaking_safe_fixes"]:
            print(f"  breaks    {line}")
        if verbose:
            for line in s["noise"]:
                print(f"  {line}")
        print(
            f"unlabelled findings: {s['unlabelled']}; runs that exited with errors: "
            f"{s['runs_with_errors']}"
        )
        for m in s["missed"]:
            where = f"{m['project']}: {m['path']}:{m['line']} {m['rule']}"
            print(f"  missed    {where}: {m['reason']}" if verbose else f"  missed    {where}")
    errors = [(r, e) for r in runs for e in r.errors]
    if errors:
        print("\n== errors (exit 2)")
        for r, e in errors:
            print(f"  {r.project.name} [{r.mode}] {e[:240]}")
    new = [(r, f) for r in runs for f in r.unlabelled()]
    if new:
        print("\n== findings with no label (add them to labels.toml):")
        seen: set[tuple[str, Finding]] = set()
        for r, f in new:
            if (r.project.name, f) in seen:
                continue
            seen.add((r.project.name, f))
            print(f"# {r.project.name} [{r.mode}]: {f.message[:120]}")
            print(f'[[project.label]]  # under name = "{r.project.name}"')
            print(f'path = "{f.path}"\nline = {f.line}\nrule = "{f.rule}"')
            print(f'label = "?"\nfound = ["{r.mode}"]\nreason = ""\n')
    return summaries


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus.measure")
    parser.add_argument(
        "--corpus-dir",
        default=os.environ.get("HARDSESS_CORPUS_DIR"),
        help="directory of checkouts, one per project (default: $HARDSESS_CORPUS_DIR)",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        default=LABELS,
        help="labelled corpus in the labels.toml format (default: labels.toml beside this script)",
    )
    parser.add_argument(
        "--project", action="append", default=[], help="only this project (repeatable)"
    )
    parser.add_argument(
        "--tolerance",
        type=int,
        default=3,
        help="lines a finding may have moved and still match its label",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="also list every false and debatable finding, and each miss, with its reason",
    )
    parser.add_argument("--json", dest="json_out", help="also write the numbers to this file")
    args = parser.parse_args(argv)
    if not args.corpus_dir:
        parser.error("give --corpus-dir or set HARDSESS_CORPUS_DIR")
    corpus = Path(args.corpus_dir)
    projects = load_projects(args.labels)
    if args.project:
        unknown = set(args.project) - {p.name for p in projects}
        if unknown:
            parser.error(f"no such project in {args.labels.name}: {', '.join(sorted(unknown))}")
        projects = [p for p in projects if p.name in args.project]

    runs: list[Run] = []
    todo: list[Run] = []
    for project in projects:
        why = prepare(project, corpus)
        for mode in MODES:
            run = Run(project, mode, skipped=why)
            runs.append(run)
            if why is None and (mode == "default" or project.deploy):
                todo.append(run)

    def execute(run: Run) -> Run:
        return lint(run.project, corpus, run.mode)

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        done = {(r.project.name, r.mode): r for r in pool.map(execute, todo)}
    for i, run in enumerate(runs):
        key = (run.project.name, run.mode)
        if key in done:
            runs[i] = done[key]
        elif run.skipped is None:  # no deploy module: the deploy run is the default run
            default = done[(run.project.name, "default")]
            runs[i] = Run(
                run.project,
                "deploy",
                default.returncode,
                0.0,
                list(default.errors),
                list(default.findings),
                skipped=default.skipped,
            )
    for run in runs:
        match(run, args.tolerance)
    summaries = report(runs, projects, verbose=args.verbose)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(summaries, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
