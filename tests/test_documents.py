"""Entity documents: what they hold, and that every format says exactly that."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from tests.conftest import FIXTURES

from twentyfive import documents, formats, html
from twentyfive.graph import to_rdflib
from twentyfive.namespaces import ID, PREFIXES
from twentyfive.pipeline import load
from twentyfive.project import Project

SHOLOKHOV = ID + "person/mikhail-sholokhov"
SCHEMA = PREFIXES["schema"]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load(Project.at(FIXTURES / "web")).kg.store


@pytest.fixture(scope="module")
def sholokhov(store) -> documents.EntityDocument:
    subjects = documents.entities(store)[SHOLOKHOV]
    return documents.build_document(store, SHOLOKHOV, subjects)


def test_entities_are_the_subjects_with_entity_iris(store):
    found = documents.entities(store)
    assert SHOLOKHOV in found
    assert ID + "work/virgin-soil-upturned" in found
    assert all("#" not in iri for iri in found)
    # a part (the quote selector) belongs to its passage's document
    passage = found[ID + "passage/mini-source-writer"]
    assert ID + "passage/mini-source-writer#quote" in passage
    assert passage == sorted(passage) and passage[0] == ID + "passage/mini-source-writer"


def test_document_holds_statements_incoming_labels_and_sources(sholokhov):
    predicates = {t.predicate.value for t in sholokhov.statements}
    assert SCHEMA + "birthDate" in predicates
    assert [t.subject.value for t in sholokhov.incoming] == [ID + "work/virgin-soil-upturned"]
    assert sholokhov.incoming_count == 1
    assert sholokhov.label(ID + "work/virgin-soil-upturned", "ru") == "Поднятая целина"
    assert sholokhov.label(SHOLOKHOV, "ru") == "Михаил Шолохов"
    [source] = sholokhov.sources
    assert source.source == ID + "source/mini-source"
    assert source.quote.startswith("Mikhail Sholokhov wrote")
    assert len(source.supports) == len(sholokhov.statements)


def test_incoming_links_are_paged_with_a_count():
    store = ox.Store()
    target = ox.NamedNode(ID + "person/target")
    graph = ox.NamedNode(ID + "passage/p")
    store.add(
        ox.Quad(
            target, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("T", language="en"), graph
        )
    )
    knows = ox.NamedNode(SCHEMA + "knows")
    total = documents.INCOMING_PAGE + 37
    for i in range(total):
        store.add(ox.Quad(ox.NamedNode(f"{ID}person/p{i:04d}"), knows, target, graph))
    document = documents.build_document(store, target.value)
    assert document.incoming_count == total
    assert len(document.incoming) == documents.INCOMING_PAGE
    comments = [t for t in document.triples() if t.predicate.value == PREFIXES["rdfs"] + "comment"]
    assert len(comments) == 1 and str(total) in comments[0].object.value
    page = html.render_entity(document, "en").decode()
    assert f"Statements pointing here, in all: {total}." in page
    assert "OFFSET%20100" in page  # the link to the rest


def _parse(data: bytes, fmt: formats.RdfFormat) -> rdflib.Graph:
    name = {"jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}.get(fmt.name, fmt.name)
    return rdflib.Graph().parse(data=data, format=name)


def document_graph(document: documents.EntityDocument) -> rdflib.Graph:
    """The document's triples as rdflib sees them (plain strings without ``^^xsd:string``)."""
    graph = rdflib.Graph()
    for t in document.triples():
        o = to_rdflib(t.object)
        if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.string:
            o = rdflib.Literal(str(o))
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), o))
    return graph


@pytest.mark.parametrize("fmt", formats.TRIPLE_FORMATS, ids=lambda f: f.name)
def test_every_format_parses_to_the_document_graph(sholokhov, fmt):
    expected = document_graph(sholokhov)
    assert isomorphic(_parse(documents.render(sholokhov, fmt), fmt), expected)


def test_html_escapes_data_and_embeds_safe_jsonld(sholokhov):
    page = html.render_entity(sholokhov, "en").decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1  # only the JSON-LD block
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    embedded = page[start : page.index("</script>", start)]
    assert "<" not in embedded
    assert json.loads(embedded)["@graph"]


def test_html_in_russian_uses_russian_labels(sholokhov):
    page = html.render_entity(sholokhov, "ru").decode()
    assert '<html lang="ru">' in page
    assert "<h1>Михаил Шолохов</h1>" in page
    assert "Поднятая целина" in page


def test_links_from_data_never_run_script():
    assert html.href("javascript:alert(1)") is None
    assert html.href(ID + "person/x") == "/id/person/x"
    assert html.href("http://www.wikidata.org/entity/Q1") == "http://www.wikidata.org/entity/Q1"


def test_prefixes_of_agrees_with_the_dump_writer(store):
    from twentyfive.publish import jsonld

    for iri, subjects in documents.entities(store).items():
        triples = documents.build_document(store, iri, subjects).triples()
        assert documents.prefixes_of(triples) == jsonld.used_prefixes(triples)


def test_chart_alt_text_comes_from_the_svg_and_is_escaped(tmp_path):
    from twentyfive.publish.documents import chart_text

    svg = tmp_path / "figures.svg"
    svg.write_text('<svg><title id="t">Figures &amp; "counts"</title><desc>a: 1</desc></svg>')
    assert chart_text(svg) == 'Figures & "counts": a: 1'
    page = html.render_home(
        "en", counts=[], total=0, entities=0, queries=[], downloads=[],
        charts=[("/stats/figures.svg", chart_text(svg))],
    ).decode()  # fmt: skip
    assert 'alt="Figures &amp; &#34;counts&#34;: a: 1"' in page


def test_values_of_a_property_and_sources_are_paged_with_a_count():
    store = ox.Store()
    group = ox.NamedNode(ID + "group/big")
    member = ox.NamedNode(PREFIXES["org"] + "hasMember")
    has_source = ox.NamedNode(PREFIXES["oa"] + "hasSource")
    total = documents.VALUES_PAGE + 23
    for i in range(total):
        passage = ox.NamedNode(f"{ID}passage/p{i:04d}")
        store.add(ox.Quad(group, member, ox.NamedNode(f"{ID}person/p{i:04d}"), passage))
        store.add(ox.Quad(passage, has_source, ox.NamedNode(ID + "source/s"), passage))
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    store.add(ox.Quad(group, label, ox.Literal("Big", language="en"), ox.NamedNode(ID + "passage/p0000")))
    document = documents.build_document(store, group.value)
    members = [t for t in document.statements if t.predicate == member]
    assert len(members) == documents.VALUES_PAGE
    assert document.value_counts == {(group, member): total}
    # the first page in order, and only the passages supporting what is shown
    assert [t.object.value for t in members] == [f"{ID}person/p{i:04d}" for i in range(documents.VALUES_PAGE)]
    assert document.sources_count == documents.VALUES_PAGE
    assert len(document.sources) == documents.SOURCES_PAGE
    assert any(t.predicate == label for t in document.statements)  # other properties whole
    comments = [t.object.value for t in document.triples() if t.predicate.value == PREFIXES["rdfs"] + "comment"]
    assert any(f"of the {total} values of <{member.value}>" in c for c in comments)
    page = html.render_entity(document, "en").decode()
    assert f"{documents.VALUES_PAGE} values shown, of {total}" in page
    assert "OFFSET%20100" in page


def test_sources_beyond_the_page_are_counted():
    store = ox.Store()
    entity = ox.NamedNode(ID + "place/p")
    has_source = ox.NamedNode(PREFIXES["oa"] + "hasSource")
    total = documents.SOURCES_PAGE + 5
    for i in range(total):  # one property, one value, stated by many passages
        passage = ox.NamedNode(f"{ID}passage/q{i:04d}")
        store.add(ox.Quad(entity, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("P", language="en"), passage))
        store.add(ox.Quad(passage, has_source, ox.NamedNode(ID + "source/s"), passage))
    document = documents.build_document(store, entity.value)
    assert document.sources_count == total and len(document.sources) == documents.SOURCES_PAGE
    assert f"Passages in all: {total}." in html.render_entity(document, "en").decode()


def test_entities_stand_as_subjects_in_named_graphs_only():
    store = ox.Store()
    said = ox.NamedNode(PREFIXES["rdfs"] + "label")
    graph = ox.NamedNode(ID + "passage/p")
    store.add(ox.Quad(ox.NamedNode(ID + "place/named"), said, ox.Literal("n"), graph))
    store.add(ox.Quad(ox.NamedNode(ID + "place/named#part"), said, ox.Literal("p"), graph))
    store.add(ox.Quad(ox.NamedNode(ID + "place/parts-only#a"), said, ox.Literal("a"), graph))
    store.add(ox.Quad(ox.NamedNode(ID + "nokind/x"), said, ox.Literal("x"), graph))
    store.add(ox.Quad(ox.NamedNode(ID + "place/Not-A-Slug"), said, ox.Literal("x"), graph))
    expected = {
        ID + "place/named": [ID + "place/named", ID + "place/named#part"],
        ID + "place/parts-only": [ID + "place/parts-only#a"],
    }
    assert documents.entities(store) == expected
    # looked up one at a time in the sorted subjects (as kept beside a store on disk): the same
    lines = sorted(f"<{q.subject.value}>".encode() for q in store)
    assert {iri: documents.subjects_of(lines, iri) for iri in expected} == expected
    assert documents.subjects_of(lines, ID + "place/named-not") == []
    store.add(ox.Quad(ox.NamedNode(ID + "place/default-only"), said, ox.Literal("d")))
    assert documents.entities(store) == expected
