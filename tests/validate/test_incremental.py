"""Incremental validation: after one-file edits, the findings are exactly a full run's."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from twentyfive import pipeline
from twentyfive.project import Project
from twentyfive.validate import incremental, validate

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import synthetic_roster  # noqa: E402

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "project"
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / part, target / part)
    synthetic_roster.write_roster(target / "data" / "roster", 60, seed=3)
    return Project.at(target)


def _checked(project):
    """What a build reports (incremental), and a full validation of the same graph."""
    outcome = pipeline.check(project)
    full = validate(outcome.kg, project)
    return sorted(outcome.findings, key=repr), sorted(pipeline.load(project).findings + full, key=repr)


def _edit(path: Path, rng: random.Random, pool: list[ox.Term]) -> None:
    """One random change to a data file's statements: drop one, retarget one, or add a type."""
    quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG))
    kind = rng.choice(["drop", "retarget", "type", "language"])
    index = rng.randrange(len(quads))
    quad = quads[index]
    if kind == "drop":
        del quads[index]
    elif kind == "retarget":
        quads[index] = ox.Quad(quad.subject, quad.predicate, rng.choice(pool), quad.graph_name)
    elif kind == "type":
        quads.append(ox.Quad(quad.subject, ox.NamedNode(RDF_TYPE), rng.choice(pool), quad.graph_name))
    else:
        labels = [i for i, q in enumerate(quads) if isinstance(q.object, ox.Literal) and q.object.language]
        if labels:
            index = rng.choice(labels)
            quad = quads[index]
            language = rng.choice(["en", "ru", "de", "ru-Latn"])
            quads[index] = ox.Quad(quad.subject, quad.predicate, ox.Literal(quad.object.value, language=language), quad.graph_name)
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))


@pytest.mark.slow
def test_random_one_file_edits_give_the_findings_of_a_full_run(project):
    rng = random.Random(25)
    first, _ = _checked(project)  # fills the cache
    files = sorted(project.data_dir.rglob("*.trig"))
    kg = pipeline.load(project).kg
    pool = sorted({q.object for q in kg.store if isinstance(q.object, ox.NamedNode)}, key=str)
    pool = rng.sample(pool, 40) + [ox.NamedNode("https://w3id.org/twentyfive/ontology#Plenum"),
                                   ox.NamedNode("http://schema.org/Person"), ox.NamedNode("http://schema.org/Country")]
    changed = 0
    for _ in range(12):
        path = rng.choice(files)
        if rng.random() < 0.1:
            path.unlink()
            files.remove(path)
        else:
            _edit(path, rng, pool)
        incremental_findings, full_findings = _checked(project)
        assert incremental_findings == full_findings, path
        changed += incremental_findings != first
    assert changed, "the edits changed some findings"


def test_a_newly_broken_file_is_validated_again(project, monkeypatch):
    pipeline.check(project)  # fills the cache
    focus_asked = []
    run = incremental.run_compiled
    monkeypatch.setattr(incremental, "run_compiled", lambda kg, shapes, focus=None: focus_asked.append(focus) or run(kg, shapes, focus))
    person = project.data_dir / "person" / "semyon-davydov.trig"
    text = person.read_text(encoding="utf-8")
    assert '"Semyon Davydov"@en' in text
    person.write_text(text.replace('"Semyon Davydov"@en', '"Semyon Davydov"@de'), encoding="utf-8")
    findings = pipeline.check(project).findings
    broken = {(f.rule, f.focus) for f in findings}
    assert ("shape:LabelEnglish", "https://w3id.org/twentyfive/id/person/semyon-davydov") in broken
    [focus] = focus_asked
    assert focus is not None and "https://w3id.org/twentyfive/id/person/semyon-davydov" in focus
    assert len(focus) < 60, "only what the edit reaches is validated again"


def test_a_changed_shape_validates_everything(project, monkeypatch):
    pipeline.check(project)
    focus_asked = []
    run = incremental.run_compiled
    monkeypatch.setattr(incremental, "run_compiled", lambda kg, shapes, focus=None: focus_asked.append(focus) or run(kg, shapes, focus))
    warnings = project.shapes_dir / "warnings.ttl"
    warnings.write_text(warnings.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    pipeline.check(project)
    assert focus_asked == [None]


def test_a_change_that_reaches_only_derived_statements_is_validated_again(project):
    """A count above its base derives a share above 100 %: a node no data file states."""
    pipeline.check(project)
    count = project.data_dir / "observation" / "count-metal-workers-union.trig"
    count.write_text(count.read_text(encoding="utf-8").replace("tft:personCount 16000", "tft:personCount 99999"), encoding="utf-8")
    incremental_findings, full_findings = _checked(project)
    assert incremental_findings == full_findings
    assert any(f.rule == "shape:Share" and f.focus.endswith("#share") for f in incremental_findings)
