"""The long parts of an entity's document, read in proportion to what the document shows.

A hub of the graph (the group of 27,519 members, a region that every fifth roster person was
sent to, the roster's source) has tens of thousands of values of one property, or of statements
pointing at it. Its document shows the first :data:`VALUES_PAGE` values of each property and
the first :data:`INCOMING_PAGE` statements pointing at it, with their counts
(:mod:`twentyfive.documents`). Here the store counts them (one ``GROUP BY`` query per subject)
and lists a long list as TSV text, which Python sorts as strings: only the page shown becomes
term objects. (Sorting in SPARQL is no help: pyoxigraph evaluates the ``ORDER BY`` keys at
every comparison.) Every query reads the union of all graphs, the default graph too: what
``quads_for_pattern`` finds.

The order is :func:`twentyfive.graph.triple_sort_key`'s throughout: IRIs by their text, before
blank nodes and literals. When a page cannot be told from IRIs alone (blank nodes or literals
among its first values), its terms are read and sorted as objects, as for a short list.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from twentyfive import tsv
from twentyfive.graph import triple_sort_key

#: Statements pointing at an entity shown in its document.
INCOMING_PAGE = 100
#: Values of one property (of the entity or one of its parts) shown in a document.
VALUES_PAGE = 100


def own_statements(
    store: ox.Store, own: list[ox.NamedNode]
) -> tuple[set[ox.Triple], dict[tuple[ox.NamedNode, ox.NamedNode], int], dict[ox.NamedNode, set[ox.Triple]]]:
    """What a document shows of its subjects ``own`` (the entity and its parts): every value
    of a property up to :data:`VALUES_PAGE`, else the first page; the count of each property
    shown in part; and the named graphs holding each statement shown (its passages)."""
    statements: set[ox.Triple] = set()
    value_counts: dict[tuple[ox.NamedNode, ox.NamedNode], int] = {}
    graphs: dict[ox.NamedNode, set[ox.Triple]] = defaultdict(set)
    for subject in own:
        counts = _value_counts(store, subject)
        quads: Iterable[ox.Quad]
        if all(count <= VALUES_PAGE for count in counts.values()):
            quads = store.quads_for_pattern(subject, None, None, None)
        else:
            quads = []
            for predicate, count in counts.items():
                if count <= VALUES_PAGE:
                    quads += store.quads_for_pattern(subject, predicate, None, None)
                    continue
                value_counts[(subject, predicate)] = count
                for value in _first_values(store, subject, predicate):
                    quads += store.quads_for_pattern(subject, predicate, value, None)
        for quad in quads:
            statements.add(quad.triple)
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs[quad.graph_name].add(quad.triple)
    return statements, value_counts, graphs


def _value_counts(store: ox.Store, subject: ox.NamedNode) -> dict[ox.NamedNode, int]:
    """How many values each property of ``subject`` has."""
    return _counts(
        store,
        f"SELECT ?p (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {subject} ?p ?o }} GROUP BY ?p",
    )


def _counts(store: ox.Store, query: str) -> dict[ox.NamedNode, int]:
    """``?p -> ?n`` of a query counting something per property."""
    solutions = store.query(query, use_default_graph_as_union=True)
    return {row["p"]: int(row["n"].value) for row in solutions}  # type: ignore[union-attr,index]


def _first_values(
    store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode
) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
    """The first :data:`VALUES_PAGE` values of one property, in order."""
    query = f"SELECT ?o WHERE {{ {subject} {predicate} ?o }}"
    first = _first_iris(store, query, VALUES_PAGE)
    if first is not None:
        return first  # type: ignore[return-value]
    triples = {q.triple for q in store.quads_for_pattern(subject, predicate, None, None)}
    return [t.object for t in heapq.nsmallest(VALUES_PAGE, triples, key=triple_sort_key)]


def _first_iris(store: ox.Store, query: str, page: int) -> list[ox.NamedNode] | None:
    """The first ``page`` terms of a one-column SELECT in term order, when they are IRIs
    (which come before any other term); else ``None``."""
    rows = set(tsv.lines(store, query, union=True))  # a statement in several graphs: once
    iris = [row[1:-1] for row in rows if tsv.is_iri(row)]
    if len(iris) < min(page, len(rows)):
        return None
    return [ox.NamedNode(iri) for iri in sorted(iris)[:page]]


def incoming(store: ox.Store, own: list[ox.NamedNode]) -> tuple[list[ox.Triple], int]:
    """The first :data:`INCOMING_PAGE` statements that point at ``own`` from other subjects,
    in order, and how many there are."""
    others = f"FILTER(?x NOT IN ({', '.join(str(subject) for subject in own)}))"
    page: list[ox.Triple] = []
    count = 0
    for subject in own:
        where = f"?x ?p {subject} {others}"
        counts = _counts(store, f"SELECT ?p (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }} GROUP BY ?p")
        count += sum(counts.values())
        if sum(counts.values()) <= INCOMING_PAGE:
            page += {
                q.triple
                for q in store.quads_for_pattern(None, None, subject, None)
                if q.subject not in own
            }
            continue
        for predicate in counts:  # the first page of each property, then of them all
            where = f"?x {predicate} {subject} {others}"
            first = _first_iris(store, f"SELECT ?x WHERE {{ {where} }}", INCOMING_PAGE)
            if first is not None:
                page += [ox.Triple(x, predicate, subject) for x in first]
                continue
            pointing = {  # blank nodes among the first: ordered as terms
                q.triple
                for q in store.quads_for_pattern(None, predicate, subject, None)
                if q.subject not in own
            }
            page += heapq.nsmallest(INCOMING_PAGE, pointing, key=triple_sort_key)
    return heapq.nsmallest(INCOMING_PAGE, page, key=triple_sort_key), count
