"""The writers that work on text at scale give the same graph and the same figures as the
term-by-term way: the JSON-LD writer of N-Triples lines, the sorted dumps written graph by
graph, the VoID counts in fewer passes, the search records read as TSV, and the checksums
recorded while writing."""

from __future__ import annotations

import gzip
import hashlib
import os
import io
import json
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from twentyfive import formats
from twentyfive.graph import TRIPLE_COUNT, KnowledgeGraph, to_rdflib
from twentyfive.namespaces import ID, PREFIXES
from twentyfive.publish import checksums, dumps, jsonld, statistics
from twentyfive.publish.search import search_records
from twentyfive.publish.statistics import SORTED_UNION, count

XSD = PREFIXES["xsd"]
EX = ID + "person/"
#: literals that need escapes in N-Triples and JSON, and IRIs that need quoting in CSV
AWKWARD = [
    'a "quoted" word',
    "back\\slash",
    "two\nlines\r\nand a\ttab",
    "bell \x07 and delete \x7f",
    "a back\\slash beside a bell \x07",
    "кириллица, emoji \U0001f600, separator \u2028",
    "",
]


def _graph() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    p1, p2 = ox.NamedNode(ID + "passage/one"), ox.NamedNode(ID + "passage/two")
    person = ox.NamedNode(EX + "a-1")
    quads = [
        ox.Quad(person, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["schema"] + "Person"), p1),
        ox.Quad(person, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("A, the first", language="en"), p1),
        ox.Quad(person, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("A, the first", language="en"), p2),
        ox.Quad(person, ox.NamedNode(PREFIXES["schema"] + "birthDate"), ox.Literal("1901", datatype=ox.NamedNode(XSD + "gYear")), p2),
        ox.Quad(person, ox.NamedNode(PREFIXES["schema"] + "url"), ox.NamedNode("https://example.org/a,b,c"), p2),
        ox.Quad(person, ox.NamedNode(PREFIXES["schema"] + "knows"), ox.NamedNode(EX + "a-1#part"), p1),
        ox.Quad(ox.NamedNode(EX + "a-1#part"), ox.NamedNode(PREFIXES["rdf"] + "type"), ox.Literal("not a class"), p1),
        ox.Quad(ox.NamedNode(EX + "a-10"), ox.NamedNode(PREFIXES["schema"] + "name"), ox.Literal("Ten"), p2),
    ]
    for index, text in enumerate(AWKWARD):
        quads.append(ox.Quad(person, ox.NamedNode(PREFIXES["schema"] + f"note{index}"), ox.Literal(text), p1))
    kg.add_quads(quads)
    return kg


def _union(kg: KnowledgeGraph) -> rdflib.Graph:
    graph = rdflib.Graph()
    for quad in kg.store:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def test_sorted_dumps_hold_every_quad_and_the_union_once(tmp_path: Path) -> None:
    kg = _graph()
    prefixes = dumps.write_sorted_text(kg, tmp_path / "d.nq", tmp_path / "d.nt")
    quads = set(ox.parse(path=str(tmp_path / "d.nq"), format=ox.RdfFormat.N_QUADS))
    assert quads == set(kg.store)
    lines = (tmp_path / "d.nt").read_bytes().splitlines()
    assert lines == sorted(set(lines)), "sorted, each statement once"
    parsed = {q.triple for q in ox.parse(path=str(tmp_path / "d.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert parsed == {q.triple for q in kg.store}
    assert {"schema", "rdfs", "rdf", "person"} <= set(prefixes)


def test_jsonld_from_ntriples_lines_is_the_same_graph(tmp_path: Path) -> None:
    kg = _graph()
    prefixes = dumps.write_sorted_text(kg, tmp_path / "d.nq", tmp_path / "d.nt")
    out = io.BytesIO()
    with (tmp_path / "d.nt").open("rb") as lines:
        jsonld.write_ntriples(lines, prefixes, out.write)
    document = json.loads(out.getvalue())
    assert document["@context"] == prefixes
    parsed = rdflib.Graph().parse(data=out.getvalue(), format="json-ld")
    assert isomorphic(parsed, _union(kg))
    notes = next(n for n in document["@graph"] if n["@id"] == "person:a-1")
    assert [notes[f"schema:note{i}"] for i in range(len(AWKWARD))] == AWKWARD


def test_jsonld_from_lines_matches_the_tree_writer(tmp_path: Path) -> None:
    """Node for node, the streamed writer says what ``to_jsonld`` says of the same triples
    (nodes there in the order of the N-Triples lines, here of their IRIs)."""
    streamed, tree = _streamed_and_tree(_graph(), tmp_path)
    assert streamed["@context"] == tree["@context"]
    assert _by_id(streamed["@graph"]) == _by_id(tree["@graph"])  # type: ignore[arg-type]


def _streamed_and_tree(kg: KnowledgeGraph, folder: Path) -> tuple[dict, dict]:
    """The JSON-LD of ``kg``'s N-Triples dump by the streamed writer and by ``to_jsonld``."""
    prefixes = dumps.write_sorted_text(kg, folder / "d.nq", folder / "d.nt")
    out = io.BytesIO()
    with (folder / "d.nt").open("rb") as lines:
        jsonld.write_ntriples(lines, prefixes, out.write)
    tree = jsonld.to_jsonld(ox.parse(path=str(folder / "d.nt"), format=ox.RdfFormat.N_TRIPLES), prefixes)
    return json.loads(out.getvalue()), tree


#: IRIs whose compacted form is awkward to work out from the text: a namespace itself, a
#: fragment or a path below a namespace, none at all, a namespace inside another.
AWKWARD_IRIS = [
    PREFIXES["schema"],
    EX + "a-1#part",
    EX + "a/b/c",
    ID + "somewhere/else",
    ID + "person",
    "https://example.org/nothing#here",
    "urn:isbn:0451450523",
    "http://www.w3.org/2004/02/skos/core#",
    PREFIXES["skos"] + "prefLabel",
]


def test_jsonld_from_lines_compacts_awkward_iris_as_the_tree_writer(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    graph = ox.NamedNode(ID + "passage/one")
    link = ox.NamedNode(PREFIXES["schema"] + "about")
    quads = []
    for index, iri in enumerate(AWKWARD_IRIS):
        quads.append(ox.Quad(ox.NamedNode(iri), link, ox.NamedNode(AWKWARD_IRIS[index - 1]), graph))
        a = ox.NamedNode(PREFIXES["rdf"] + "type")
        quads.append(ox.Quad(ox.NamedNode(iri), a, ox.NamedNode(iri), graph))
        typed = ox.Literal("x", datatype=ox.NamedNode(iri))
        quads.append(ox.Quad(ox.NamedNode(iri), ox.NamedNode(iri), typed, graph))
    quads.append(ox.Quad(ox.BlankNode("b1"), link, ox.NamedNode(EX + "a-1#part"), graph))
    kg.add_quads(quads)
    streamed, tree = _streamed_and_tree(kg, tmp_path)
    assert _by_id(streamed["@graph"]) == _by_id(tree["@graph"])  # type: ignore[arg-type]
    assert "person:a-1#part" in _by_id(streamed["@graph"])
    parsed = rdflib.Graph().parse(data=json.dumps(streamed), format="json-ld")
    assert isomorphic(parsed, _union(kg))


def _by_id(nodes: list[dict]) -> dict[str, dict]:
    def normal(value: object) -> object:
        return sorted(value, key=json.dumps) if isinstance(value, list) else value

    return {node["@id"]: {k: normal(v) for k, v in node.items()} for node in nodes}


def test_every_dump_and_its_gzip_copy_is_the_graph_with_recorded_checksums(tmp_path: Path) -> None:
    kg = _graph()
    written = dumps.write_dumps(kg, tmp_path)
    for path in written:
        data = path.read_bytes()
        assert checksums.sha256_file(path) == hashlib.sha256(data).hexdigest()
        if path.suffix == ".gz":
            assert gzip.decompress(data) == path.with_suffix("").read_bytes()
    parsed = rdflib.Graph().parse(tmp_path / "twentyfive.ttl", format="turtle")
    assert isomorphic(parsed, _union(kg))
    assert set(ox.parse(path=str(tmp_path / "twentyfive.trig"), format=ox.RdfFormat.TRIG)) == set(kg.store)


def test_a_recorded_checksum_is_not_trusted_once_the_file_changed(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    writer = checksums.HashingFile(path)
    writer.write(b"first")
    assert writer.close() == hashlib.sha256(b"first").hexdigest()
    assert checksums.sha256_file(path) == hashlib.sha256(b"first").hexdigest()
    path.write_bytes(b"second, longer")
    assert checksums.sha256_file(path) == hashlib.sha256(b"second, longer").hexdigest()
    checksums.forget(tmp_path)
    assert not [name for _, _, name, _ in checksums._recorded.values() if name == str(path)]


def test_a_hard_link_to_a_recorded_file_is_not_read_again(tmp_path: Path) -> None:
    path, link = tmp_path / "dump.nt", tmp_path / "site" / "dump.nt"
    path.write_bytes(b"<a:s> <a:p> <a:o> .\n")
    checksums.record(path, "0" * 64)  # what the writer said, not what a reading would find
    link.parent.mkdir()
    os.link(path, link)
    assert checksums.sha256_file(link) == "0" * 64
    path.write_bytes(b"changed\n")  # the same inode, another size: read again
    assert checksums.sha256_file(link) == hashlib.sha256(b"changed\n").hexdigest()
    checksums.forget(tmp_path)


def test_void_counts_agree_with_counting_the_triples_one_by_one() -> None:
    kg = _graph()
    triples = {q.triple for q in kg.store}
    stats = count(kg)
    subjects = {t.subject for t in triples}
    a = PREFIXES["rdf"] + "type"
    assert stats.counts == {
        "triples": len(triples),
        "entities": len({s for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(ID)}),
        "distinctSubjects": len(subjects),
        "distinctObjects": len({t.object for t in triples}),
        "classes": len({t.object for t in triples if t.predicate.value == a}),
        "properties": len({t.predicate for t in triples}),
    }
    assert list(stats.counts) == ["triples", "entities", "distinctSubjects", "distinctObjects", "classes", "properties"]


def test_void_counts_from_the_repeats_the_dumps_found_equal_the_distinct_counts(tmp_path: Path) -> None:
    kg = _graph()
    label = ox.Quad(
        ox.NamedNode(EX + "a-1"), ox.NamedNode(PREFIXES["rdfs"] + "label"),
        ox.Literal("A, the first", language="en"), ox.NamedNode(ID + "passage/three"),
    )
    kg.add_quads([label])  # now in three graphs: two copies too many
    counted = count(kg)
    assert kg.remembered(SORTED_UNION) is None
    dumps.write_sorted_text(kg, tmp_path / "d.nq", tmp_path / "d.nt")
    line = f"<{label.subject.value}> <{label.predicate.value}> {label.object} .\n".encode()
    assert kg.remembered(SORTED_UNION).repeated == [line, line]
    assert count(kg) == counted
    kg.add_quads([ox.Quad(label.subject, label.predicate, ox.Literal("another"), label.graph_name)])
    assert kg.remembered(SORTED_UNION) is None, "the graph changed: what the dumps found is stale"


def test_entities_and_examples_from_the_sorted_dump_equal_the_sparql_ones(tmp_path: Path) -> None:
    """The least IRI of a kind by SPARQL's string order, where the dump's byte order puts
    ``<…/a-1>`` before ``<…/a>``; fragments, untyped subjects and other IRI spaces left out."""
    a, graph = ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(ID + "passage/one")
    thing, name = ox.NamedNode(PREFIXES["schema"] + "Thing"), ox.NamedNode(PREFIXES["schema"] + "name")
    typed = ["person/a-1", "person/a", "person/a-1#x", "person/a-10", "person/", "organization/z#f",
             "event/e10", "event/e1-x", "event/e1", "place/p"]
    untyped = ["person/0", "organization/y", "place/o", "somewhere"]
    quads = [ox.Quad(ox.NamedNode(ID + local), a, thing, graph) for local in typed]
    quads += [ox.Quad(ox.NamedNode(ID + local), name, ox.Literal(local), graph) for local in untyped]
    quads += [
        ox.Quad(ox.NamedNode(PREFIXES["tft"] + "Term"), a, thing, graph),
        ox.Quad(ox.BlankNode("b1"), name, ox.Literal("blank"), graph),
        ox.Quad(ox.NamedNode(ID + "work/w"), a, ox.Literal("a type that is no class"), graph),
    ]
    kg = KnowledgeGraph()
    kg.add_quads(quads)
    by_sparql = count(kg)
    dumps.write_sorted_text(kg, tmp_path / "d.nq", tmp_path / "d.nt")
    assert kg.remembered(SORTED_UNION) is not None
    assert count(kg) == by_sparql
    assert by_sparql.examples == [ID + "person/", ID + "event/e1", ID + "place/p", ID + "work/w"]
    assert by_sparql.counts["entities"] == len(typed) + len(untyped) + 1


def test_search_records_keep_awkward_values_exactly() -> None:
    records = search_records(_graph())
    by_id = {r["id"]: r for r in records["entities"]}
    person = by_id[EX + "a-1"]
    assert person["names"] == [["A, the first", "en", PREFIXES["rdfs"] + "label"]]
    assert person["types"] == [PREFIXES["schema"] + "Person"]
    assert person["values"][PREFIXES["schema"] + "url"] == ["https://example.org/a,b,c"]
    assert person["values"][PREFIXES["schema"] + "birthDate"] == ["1901"]
    for index, text in enumerate(AWKWARD):
        assert person["values"][PREFIXES["schema"] + f"note{index}"] == [text]
    assert by_id[EX + "a-10"]["names"] == [["Ten", "", PREFIXES["schema"] + "name"]]
    assert EX + "a-1#part" not in by_id  # no name: no record


def test_search_file_is_sorted_json_one_entity_a_line(tmp_path: Path) -> None:
    from twentyfive.publish.search import write_search

    kg = _graph()
    kg.add_quads([  # several descriptions, classes and values: their order is the file's
        ox.Quad(ox.NamedNode(EX + "a-1"), ox.NamedNode(PREFIXES["schema"] + "description"), ox.Literal(text, language=lang), ox.NamedNode(ID + "passage/one"))
        for text, lang in [("b", "ru"), ("a", "ru"), ("z", "en"), ("y", "en")]
    ] + [
        ox.Quad(ox.NamedNode(EX + "a-1"), ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["schema"] + cls), ox.NamedNode(ID + "passage/two"))
        for cls in ("Thing", "Agent")
    ])
    [path] = write_search(kg, tmp_path)
    text = path.read_text(encoding="utf-8")
    records = json.loads(text)
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in records["entities"]]
    rest = json.dumps({k: v for k, v in records.items() if k != "entities"}, ensure_ascii=False, sort_keys=True)
    assert text == '{"entities": [\n' + ",\n".join(lines) + "\n], " + rest[1:] + "\n"
    person = next(e for e in records["entities"] if e["id"] == EX + "a-1")
    assert person["description"] == {"en": "y", "ru": "a"}
    assert person["types"] == sorted(PREFIXES["schema"] + c for c in ("Agent", "Person", "Thing"))


def test_the_dumps_remember_the_triple_count_they_found(tmp_path):
    from twentyfive.pipeline import load
    from twentyfive.project import Project
    from tests.conftest import ROOT

    kg = load(Project.at(ROOT)).kg
    counted = len({q.triple for q in kg.store})
    dumps.write_dumps(kg, tmp_path)
    assert kg.remembered(TRIPLE_COUNT) == counted
    lines = (tmp_path / dumps.dump_name(formats.N_TRIPLES)).read_bytes().count(b"\n")
    assert kg.triple_count() == counted == lines


def test_class_counts_are_the_sparql_group_by_in_its_order_and_asked_once() -> None:
    kg = _graph()
    rdf_type, schema = ox.NamedNode(PREFIXES["rdf"] + "type"), PREFIXES["schema"]
    graph = ox.NamedNode(ID + "passage/one")
    kg.add_quads([  # Person: 3 entities (a-1 twice in two graphs counts once); Place: 3; Event: 1
        *(ox.Quad(ox.NamedNode(EX + f"p-{n}"), rdf_type, ox.NamedNode(schema + "Place"), graph) for n in range(3)),
        *(ox.Quad(ox.NamedNode(EX + f"a-{n}"), rdf_type, ox.NamedNode(schema + "Person"), graph) for n in (1, 2, 3)),
        ox.Quad(ox.NamedNode(EX + "e-1"), rdf_type, ox.NamedNode(schema + "Event"), graph),
    ])
    expected = [
        (row["c"], int(row["n"].value))
        for row in kg.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c")
    ]
    found = statistics.class_counts(kg)
    assert found == expected
    assert [n for _, n in found] == [3, 3, 1, 1]
    assert kg.remembered(statistics.CLASS_COUNTS) is found  # the home page asks again: no query
    kg.add_quads([ox.Quad(ox.NamedNode(EX + "e-2"), rdf_type, ox.NamedNode(schema + "Event"), graph)])
    assert dict(statistics.class_counts(kg))[ox.NamedNode(schema + "Event")] == 2  # another graph: counted again
