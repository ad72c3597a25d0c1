"""Jena's SHACL engine, an independent implementation, gives the same verdict as pyshacl.

Both engines validate the same files with the same shapes (violations and warnings): the real
graph as built (the union of every named graph, ontology included) and a few invalid fixtures
chosen for the constructs engines most often read differently (qualified value shapes, sh:not,
sh:and over an inverse path, sh:or of datatypes). Compared: every result as (focus node,
source shape, severity), hence also whether the graph conforms.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.conftest import ROOT
from tests.tools import jena_shacl
from twentyfive.validate.shacl import load_shapes

pytestmark = [pytest.mark.external, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parent / "shapes"
INVALID = ["LabelRussian", "Cohort", "GrainRegion", "LegislationDate"]

Result = tuple[str, str, str]


def _results(report: rdflib.Graph) -> set[Result]:
    return {
        (
            str(report.value(result, SH.focusNode)),
            str(report.value(result, SH.sourceShape)),
            str(report.value(result, SH.resultSeverity)),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }


def _pyshacl(data: Path, shapes: Path) -> set[Result]:
    _, report, _ = pyshacl.validate(
        rdflib.Graph().parse(data, format="turtle"),
        shacl_graph=rdflib.Graph().parse(shapes, format="turtle"),
        inference="none",
    )
    return _results(report)


def _jena(data: Path, shapes: Path) -> set[Result]:
    done = subprocess.run(
        [*jena_shacl(), "validate", "--shapes", str(shapes), "--data", str(data)],
        env={**os.environ, "JENA_MAIN": "shacl.shacl"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return _results(rdflib.Graph().parse(data=done.stdout, format="turtle"))


@pytest.fixture(scope="module")
def shapes_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "shapes.ttl"
    load_shapes(ROOT / "shapes").serialize(path, format="turtle")
    return path


def _violations(results: set[Result]) -> set[Result]:
    return {r for r in results if r[2] == str(SH.Violation)}


def test_the_built_graph_conforms_in_both_engines(dist: Path, shapes_file: Path):
    union = dist / "twentyfive.ttl"  # every named graph, the ontology included
    ours, jenas = _pyshacl(union, shapes_file), _jena(union, shapes_file)
    assert _violations(jenas) == set()
    assert jenas == ours


@pytest.mark.parametrize("name", INVALID)
def test_an_invalid_fixture_fails_alike_in_both_engines(name: str, shapes_file: Path, tmp_path: Path):
    data = rdflib.Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        data.parse(path)
    data.parse(FIXTURES / f"{name}.invalid.ttl", format="turtle")
    path = tmp_path / "data.ttl"
    data.serialize(path, format="turtle")
    ours, jenas = _pyshacl(path, shapes_file), _jena(path, shapes_file)
    assert {shape for _, shape, _ in jenas} == {f"https://w3id.org/twentyfive/shapes#{name}"}
    assert jenas == ours
