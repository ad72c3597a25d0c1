"""The writers that work on text at scale give the same graph and the same figures as the
term-by-term way: the JSON-LD writer of N-Triples lines, the sorted dumps written graph by
graph, the VoID counts in fewer passes, the search records read as TSV, and the checksums
recorded while writing."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from twentyfive import formats
from twentyfive.graph import KnowledgeGraph, to_rdflib
from twentyfive.namespaces import ID, PREFIXES
from twentyfive.publish import checksums, dumps, jsonld
from twentyfive.publish.search import search_records
from twentyfive.publish.statistics import count

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
    kg = _graph()
    prefixes = dumps.write_sorted_text(kg, tmp_path / "d.nq", tmp_path / "d.nt")
    out = io.BytesIO()
    with (tmp_path / "d.nt").open("rb") as lines:
        jsonld.write_ntriples(lines, prefixes, out.write)
    tree = jsonld.to_jsonld(ox.parse(path=str(tmp_path / "d.nt"), format=ox.RdfFormat.N_TRIPLES), prefixes)
    streamed = json.loads(out.getvalue())
    assert streamed["@context"] == tree["@context"]
    assert _by_id(streamed["@graph"]) == _by_id(tree["@graph"])  # type: ignore[arg-type]


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
    assert str(path) not in checksums._recorded


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
    assert kg._counted == (len(kg), counted)
    lines = (tmp_path / dumps.dump_name(formats.N_TRIPLES)).read_bytes().count(b"\n")
    assert kg.triple_count() == counted == lines
