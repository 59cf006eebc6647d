"""The labelled corpora (labels.toml, heldout.toml) parse, and measure.py reads the one given."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.corpus import measure

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [measure.LABELS, measure.LABELS.with_name("heldout.toml")]
RULES = set(re.findall(r"^## (HS\d{3}):", (ROOT / "docs" / "rules.md").read_text(), re.M))


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_corpus_parses_with_known_rules_and_full_commits(path: Path) -> None:
    projects = measure.load_projects(path)
    assert projects
    for project in projects:
        assert re.fullmatch(r"[0-9a-f]{40}", project.commit), project.name
        for label in project.labels:
            assert label.rule in RULES, (project.name, label)
            assert label.reason.strip(), (project.name, label)


def test_held_out_projects_are_not_in_the_tuned_corpus() -> None:
    tuned = {p.repo.lower() for p in measure.load_projects(measure.LABELS)}
    held_out = {p.repo.lower() for p in measure.load_projects(CORPORA[1])}
    assert held_out
    assert not tuned & held_out


def test_labels_option_selects_the_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "labels.toml"
    corpus.write_text(
        '[[project]]\nname = "only-here"\nrepo = "example/only-here"\n'
        f'commit = "{"0" * 40}"\ndeploy = []\n',
        encoding="utf-8",
    )
    argv = ["--corpus-dir", str(tmp_path), "--labels", str(corpus), "--project", "only-here"]
    assert measure.main(argv) == 0
    assert "only-here              default  skipped: no checkout" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # the default corpus has no such project
        measure.main(["--corpus-dir", str(tmp_path), "--project", "only-here"])
    assert "no such project in labels.toml: only-here" in capsys.readouterr().err
