"""Every shape has a name, a message, and a valid and an invalid fixture, both asserted.

Fixtures: ``tests/validate/shapes/<ShapeName>.valid.ttl`` and ``<ShapeName>.invalid.ttl``
(plain Turtle; the ontology is added to each, as in a build). The valid one produces no
finding at all; the invalid one produces findings of exactly that shape and no other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.conftest import ROOT
from twentyfive.namespaces import SHAPES
from twentyfive.validate.shacl import load_shapes, run_shacl

FIXTURES = Path(__file__).resolve().parent / "shapes"
SHAPES_GRAPH = load_shapes(ROOT / "shapes")
ONTOLOGY = rdflib.Graph()
for _path in sorted((ROOT / "ontology").glob("*.ttl")):
    ONTOLOGY.parse(_path)


def _named_shapes() -> list[rdflib.URIRef]:
    shapes = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        shapes.update(s for s in SHAPES_GRAPH.subjects(RDF.type, kind))
    shapes.update(s for s in SHAPES_GRAPH.objects(None, SH.property))
    return sorted(shapes)


ALL_SHAPES = _named_shapes()


def _findings(path: Path):
    data = rdflib.Graph()
    data += ONTOLOGY
    data.parse(path, format="turtle")
    return run_shacl(None, SHAPES_GRAPH, data=data)  # type: ignore[arg-type]


def test_there_are_shapes():
    assert len(ALL_SHAPES) >= 10


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=lambda s: s.split("#")[-1])
def test_every_shape_is_named_and_has_a_message(shape):
    assert isinstance(shape, rdflib.URIRef), "shapes are named IRIs, never blank nodes"
    assert str(shape).startswith(SHAPES)
    assert SHAPES_GRAPH.value(shape, SH.message) is not None, f"{shape} has no sh:message"


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=lambda s: s.split("#")[-1])
def test_valid_fixture_conforms(shape):
    name = shape.split("#")[-1]
    path = FIXTURES / f"{name}.valid.ttl"
    assert path.is_file(), f"write {path.relative_to(ROOT)}"
    assert [f.format() for f in _findings(path)] == []


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=lambda s: s.split("#")[-1])
def test_invalid_fixture_fails_on_exactly_its_shape(shape):
    name = shape.split("#")[-1]
    path = FIXTURES / f"{name}.invalid.ttl"
    assert path.is_file(), f"write {path.relative_to(ROOT)}"
    findings = _findings(path)
    assert findings, "the invalid fixture must fail"
    assert {f.rule for f in findings} == {f"shape:{name}"}, [f.format() for f in findings]
