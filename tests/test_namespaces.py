"""The closed namespace class and the ontology list the same terms."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from tests.conftest import ROOT
from twentyfive.namespaces import KINDS, PREFIXES, TFT, entity_iri

ONTOLOGY = rdflib.Graph()
for _path in sorted((ROOT / "ontology").glob("*.ttl")):
    ONTOLOGY.parse(_path)
NS = str(TFT._NS)
TERMS = sorted(
    str(s)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    for s in ONTOLOGY.subjects(RDF.type, kind)
    if str(s).startswith(NS)
)


def test_the_class_lists_exactly_the_ontology_terms():
    declared = sorted(NS + name for name in TFT.__annotations__)
    assert declared == TERMS


def test_a_misspelt_term_raises():
    with pytest.raises(AttributeError):
        TFT.Cohrot  # noqa: B018


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[-1])
def test_every_term_is_documented_and_aligned(term):
    iri = rdflib.URIRef(term)
    labels = {label.language for label in ONTOLOGY.objects(iri, RDFS.label)}
    assert {"en", "ru"} <= labels, "labels in English and Russian"
    assert ONTOLOGY.value(iri, SKOS.definition) is not None, "a definition"
    if (iri, RDF.type, OWL.Class) in ONTOLOGY:
        assert ONTOLOGY.value(iri, RDFS.subClassOf) is not None, "aligned to a standard class"
    else:
        assert ONTOLOGY.value(iri, RDFS.domain) is not None, "a domain"
        assert ONTOLOGY.value(iri, RDFS.range) is not None, "a range"


def test_prefix_table_has_every_kind():
    for kind in KINDS:
        assert PREFIXES[kind] == str(entity_iri(kind, "x"))[:-1]
    with pytest.raises(ValueError):
        entity_iri("people", "x")
