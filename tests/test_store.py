"""The embedded store: the union default graph is a set, named graphs stay queryable."""

from __future__ import annotations

import pyoxigraph as ox

from twentyfive.store import EmbeddedStore

S, P, O = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")
G1, G2 = ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2")


def _store() -> EmbeddedStore:
    store = ox.Store()
    store.extend([ox.Quad(S, P, O, G1), ox.Quad(S, P, O, G2)])
    return EmbeddedStore(store)


def test_a_statement_two_passages_support_counts_once():
    [row] = _store().query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(row["n"].value) == 1


def test_named_graphs_keep_every_copy_and_len_counts_quads():
    store = _store()
    rows = list(store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"))
    assert [r["g"] for r in rows] == [G1, G2]
    assert len(store) == 2


def test_default_graph_uri_restricts_the_default_graph():
    rows = list(_store().query("SELECT ?o WHERE { ?s ?p ?o }", default_graph_uris=[G1.value]))
    assert len(rows) == 1


def test_the_prefix_table_is_predefined_and_prefix_lines_override_it():
    store = _store()
    assert bool(store.query("ASK { ?s ?p ?o FILTER(?p != rdfs:label) }"))  # parses without PREFIX
    [row] = store.query("PREFIX rdfs: <http://example.org/> SELECT ?o WHERE { ?s rdfs:p ?o }")
    assert row["o"] == O
