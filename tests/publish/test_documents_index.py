"""``doc/index.json`` lists every entity with its labels: read for all of them by one query,
they are the labels each entity's document gives it."""

from __future__ import annotations

import json

import pyoxigraph as ox

from twentyfive.namespaces import ID, PREFIXES
from twentyfive.publish.documents import _index_json, _labels, entity_labels, index_size

LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")


def test_labels_of_every_entity_are_those_of_its_document():
    store = ox.Store()
    graph, other = ox.NamedNode(ID + "passage/a"), ox.NamedNode(ID + "passage/b")
    quads = []
    for i in range(50):
        person = ox.NamedNode(f"{ID}person/p-{i}")
        quads.append(ox.Quad(person, LABEL, ox.Literal(f"P {i}", language="en"), graph))
        quads.append(ox.Quad(person, LABEL, ox.Literal(f"П {i}", language="ru"), other))
        quads.append(ox.Quad(person, LABEL, ox.Literal(f"P {i}", language="en"), other))  # twice
    odd = ox.NamedNode(ID + "person/odd")
    quads += [  # two English labels (validation forbids it): the one the store lists first
        ox.Quad(odd, LABEL, ox.Literal("Zeta", language="en"), graph),
        ox.Quad(odd, LABEL, ox.Literal("Alpha", language="en"), other),
        ox.Quad(odd, LABEL, ox.Literal("Odd", language="de"), graph),
        ox.Quad(odd, LABEL, ox.Literal("plain"), graph),
        ox.Quad(ox.NamedNode(ID + "person/quoted"), LABEL, ox.Literal('a "quote"\tand\\ more', language="ru"), graph),
        ox.Quad(ox.BlankNode("b"), LABEL, ox.Literal("blank", language="en"), graph),
    ]
    store.extend(quads)
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    found = entity_labels(store)
    assert {iri: found.get(iri, {}) for iri in subjects} == {iri: _labels(store, iri) for iri in subjects}
    assert found[ID + "person/p-3"] == {"en": "P 3", "ru": "П 3"}
    assert found[ID + "person/quoted"] == {"ru": 'a "quote"\tand\\ more'}


def test_the_index_size_the_home_page_shows_is_what_the_index_lists(tmp_path):
    entries = [
        {"iri": f"{ID}person/p-{i}", "kind": "person", "labels": {"en": f'P {i}, "quoted"\n{{line}}'}}
        for i in range(7)
    ]
    for listed in (entries, entries[:1], []):
        path = tmp_path / "index.json"
        path.write_bytes(_index_json(listed))
        assert len(json.loads(path.read_text(encoding="utf-8"))["entities"]) == len(listed)
        assert index_size(path) == len(listed)
