"""The curated data itself: sources, quotes, labels, links out."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from tests.conftest import ROOT, SHARED
from twentyfive.namespaces import GRAPH_DERIVED, GRAPH_DESCRIPTION, ID, ONTOLOGY_IRI

PRIMARY = SHARED / "sources" / "twenty-five-thousander.wikipedia.txt"
FACTS = SHARED / "sources" / "facts.md"
OA_EXACT = "http://www.w3.org/ns/oa#exact"
OA_HAS_SOURCE = "http://www.w3.org/ns/oa#hasSource"
OA_HAS_SELECTOR = "http://www.w3.org/ns/oa#hasSelector"
PRIMARY_SOURCE = ID + "source/wikipedia-twenty-five-thousander"


def test_every_data_triple_has_a_source(built):
    """Each statement of data/ sits in a passage graph whose passage quotes a described source."""
    store = built.kg.store
    passages = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(OA_HAS_SOURCE), None)}
    unsourced = []
    for quad in store:
        graph = quad.graph_name
        name = graph.value if isinstance(graph, ox.NamedNode) else ""
        if name in (ONTOLOGY_IRI, GRAPH_DERIVED, GRAPH_DESCRIPTION) or name.startswith(ID + "source/"):
            continue
        if graph not in passages:
            unsourced.append(quad)
    assert unsourced == []
    assert len(passages) >= 20


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_quotes_of_the_primary_source_are_verbatim(built):
    text = _normalise(PRIMARY.read_text(encoding="utf-8")) if PRIMARY.exists() else pytest.skip("no shared/")
    store = built.kg.store
    checked = 0
    for quad in store.quads_for_pattern(None, ox.NamedNode(OA_HAS_SOURCE), ox.NamedNode(PRIMARY_SOURCE)):
        for selector in store.quads_for_pattern(quad.subject, ox.NamedNode(OA_HAS_SELECTOR), None):
            for exact in store.quads_for_pattern(selector.object, ox.NamedNode(OA_EXACT), None):
                assert _normalise(exact.object.value) in text, exact.object.value
                checked += 1
    assert checked >= 10


def test_quotes_of_other_sources_appear_in_the_research_notes(built):
    """Other sources are quoted as facts.md quotes them (it holds the quotes that were read)."""
    notes = _normalise(FACTS.read_text(encoding="utf-8")) if FACTS.exists() else pytest.skip("no shared/")
    notes = notes.replace('\\"', '"')
    store = built.kg.store
    missing = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(OA_HAS_SOURCE), None):
        if quad.object.value == PRIMARY_SOURCE:
            continue
        for selector in store.quads_for_pattern(quad.subject, ox.NamedNode(OA_HAS_SELECTOR), None):
            for exact in store.quads_for_pattern(selector.object, ox.NamedNode(OA_EXACT), None):
                quote = _normalise(exact.object.value)
                if quote not in notes:
                    missing.append(quote)
    assert missing == []


VERIFIED_WIKIDATA = {"Q79854", "Q485016", "Q15180", "Q133356"}


def test_links_to_wikidata_are_only_the_verified_identifiers(built):
    """facts.md marks these four verified for our entities; anything else is a guess."""
    same_as = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    targets = {
        q.object.value.rsplit("/", 1)[-1]
        for q in built.kg.store.quads_for_pattern(None, same_as, None)
        if "wikidata.org" in q.object.value
    }
    assert targets, "the verified identifiers should be linked"
    assert targets <= VERIFIED_WIKIDATA
    for qid in targets:
        assert "http://www.wikidata.org/entity/" + qid in {
            q.object.value for q in built.kg.store.quads_for_pattern(None, same_as, None)
        }
