"""The long parts of a document, read by the store in pages, are what reading every statement
and sorting them all gives: the same page, the same counts, the same passages."""

from __future__ import annotations

import heapq
from collections import defaultdict

import pyoxigraph as ox
import pytest

from twentyfive import paging
from twentyfive.graph import triple_sort_key
from twentyfive.namespaces import ID, PREFIXES

HUB = ox.NamedNode(ID + "group/hub")
PART = ox.NamedNode(ID + "group/hub#part")
MEMBER = ox.NamedNode(PREFIXES["org"] + "hasMember")
MEMBER_OF = ox.NamedNode(PREFIXES["org"] + "memberOf")
TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
NOTE = ox.NamedNode(PREFIXES["skos"] + "note")
XSD = PREFIXES["xsd"]


def everything_sorted(store: ox.Store, own: list[ox.NamedNode]):
    """What a document shows, by reading every statement and sorting them all."""
    by_property: dict[tuple, set] = defaultdict(set)
    graphs: dict[ox.NamedNode, set] = defaultdict(set)
    for subject in own:
        for quad in store.quads_for_pattern(subject, None, None, None):
            by_property[(subject, quad.predicate)].add(quad.triple)
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs[quad.graph_name].add(quad.triple)
    statements, counts = set(), {}
    for pair, triples in by_property.items():
        if len(triples) > paging.VALUES_PAGE:
            counts[pair] = len(triples)
            triples = set(heapq.nsmallest(paging.VALUES_PAGE, triples, key=triple_sort_key))
        statements |= triples
    graphs = {g: kept for g, held in graphs.items() if (kept := held & statements)}
    pointing = {
        quad.triple
        for subject in own
        for quad in store.quads_for_pattern(None, None, subject, None)
        if quad.subject not in own
    }
    first = heapq.nsmallest(paging.INCOMING_PAGE, pointing, key=triple_sort_key)
    return statements, counts, graphs, first, len(pointing)


def paged(store: ox.Store, own: list[ox.NamedNode]):
    statements, counts, graphs = paging.own_statements(store, own)
    first, count = paging.incoming(store, own)
    return statements, counts, dict(graphs), first, count


def _passage(i: int) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}passage/p{i % 7}")


def _hub_store(values, pointing) -> ox.Store:
    """A hub with ``values`` of org:hasMember and a few other properties, pointed at by
    ``pointing`` subjects (through two properties), each statement in one or two passages."""
    store = ox.Store()
    quads = [
        ox.Quad(HUB, TYPE, ox.NamedNode(PREFIXES["foaf"] + "Group"), _passage(0)),
        ox.Quad(HUB, NOTE, ox.Literal("a hub", language="en"), _passage(1)),
        ox.Quad(HUB, ox.NamedNode(PREFIXES["schema"] + "hasPart"), PART, _passage(1)),
        ox.Quad(PART, MEMBER_OF, HUB, _passage(2)),  # from a part of its own: not incoming
        ox.Quad(PART, NOTE, ox.Literal("the part"), ox.DefaultGraph()),
    ]
    for i, value in enumerate(values):
        quads.append(ox.Quad(HUB, MEMBER, value, _passage(i)))
        if i % 3 == 0:  # the same statement in a second passage
            quads.append(ox.Quad(HUB, MEMBER, value, _passage(i + 1)))
    for i, subject in enumerate(pointing):
        quads.append(ox.Quad(subject, MEMBER_OF, HUB if i % 5 else PART, _passage(i)))
        if i % 4 == 0:
            quads.append(ox.Quad(subject, TYPE, HUB, _passage(i + 2)))
    store.extend(quads)
    return store


def _people(n: int, start: int = 0) -> list[ox.NamedNode]:
    # -1, -10, -100 ... : IRIs that are prefixes of others, as in the roster
    return [ox.NamedNode(f"{ID}person/synthetic-1-{i}") for i in range(start, start + n)]


def _awkward() -> list[ox.NamedNode]:
    names = ("zoë", "ёлка", "a", "a-b", "a~", "a!", "a!b", "A", "a#x", "%C3%A9")
    suffixes = ("", "-1", "!", "~x", "1", "/", "-10", "-100", "(", "é", "😀", "_")
    return [ox.NamedNode(f"{ID}person/{name}{suffix}") for name in names for suffix in suffixes]


CASES = {
    "short lists": (_people(40), _people(30)),
    "long lists of IRIs": (_people(1234), _people(777)),
    "exactly one page": (_people(paging.VALUES_PAGE), _people(paging.INCOMING_PAGE)),
    "one more than a page": (_people(paging.VALUES_PAGE + 1), _people(paging.INCOMING_PAGE + 1)),
    "long lists of literals": (
        [ox.Literal(f"name {i}", language=("en", "ru")[i % 2]) for i in range(150)]
        + [ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")) for i in range(150)]
        + [ox.Literal(f"name {i}") for i in range(0, 150, 7)],
        _people(150),
    ),
    "blank nodes among the first": (
        [ox.BlankNode(f"b{i}") for i in range(120)] + _people(60) + [ox.Literal("x")],
        [ox.BlankNode(f"m{i}") for i in range(130)] + _people(40),
    ),
    "blank nodes after a page of IRIs": (
        _people(150) + [ox.BlankNode(f"b{i}") for i in range(50)],
        _people(180) + [ox.BlankNode(f"m{i}") for i in range(50)],
    ),
    "IRIs beyond ASCII, and prefixes of each other": (_awkward(), _awkward()[::-1]),
}


@pytest.mark.parametrize("values, pointing", CASES.values(), ids=CASES.keys())
def test_pages_are_what_sorting_everything_gives(values, pointing):
    store = _hub_store(values, pointing)
    own = [HUB, PART]
    expected = everything_sorted(store, own)
    found = paged(store, own)
    assert found[0] == expected[0], "the statements shown"
    assert found[1] == expected[1], "the counts of the properties shown in part"
    assert found[2] == expected[2], "the passages of what is shown"
    assert found[3] == expected[3], "the first statements pointing here, in order"
    assert found[4] == expected[4], "how many point here"


def test_a_page_is_no_bigger_than_a_page():
    store = _hub_store(_people(500), _people(500))
    statements, counts, _, first, count = paged(store, [HUB, PART])
    assert counts == {(HUB, MEMBER): 500}
    assert sum(t.predicate == MEMBER for t in statements) == paging.VALUES_PAGE
    assert len(first) == paging.INCOMING_PAGE and count == 500 + 125
