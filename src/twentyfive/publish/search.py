"""``search.json``: every entity's names, types and values, for search and reconciliation.

One record per thing under ``id/`` that has a name (entities and their parts ``…#part``):
its labels in every language from ``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``,
``skos:hiddenLabel`` and ``schema:name``; its classes; its description; and its other
direct values (for the property constraints of reconciliation). Plus the labels of the
classes and properties used, for the reconciliation manifest and its suggest services.

Why JSON and not a prebuilt SQLite file: a SQLite file's bytes depend on the SQLite
library version, so ``dist/`` would no longer be byte-identical across machines. This file
is sorted and deterministic (it is in ``SHA256SUMS``); the server loads it into an
in-memory SQLite FTS5 index at start (:mod:`twentyfive.search.index`), which takes
milliseconds for this graph and about a second for 100,000 names.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import ID, KINDS, PREFIXES

SEARCH_FILE = "search.json"

#: Properties whose values are names, in the order a display label is chosen.
NAME_PROPERTIES = (
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["rdfs"] + "label",
    PREFIXES["schema"] + "name",
    PREFIXES["skos"] + "altLabel",
    PREFIXES["skos"] + "hiddenLabel",
)
DESCRIPTION_PROPERTIES = (PREFIXES["schema"] + "description", PREFIXES["skos"] + "definition")
_TYPE = PREFIXES["rdf"] + "type"
_LABEL = PREFIXES["rdfs"] + "label"


def kind_of(iri: str) -> str | None:
    """The kind of a thing under ``id/`` (``person`` for ``…/id/person/x#y``), else ``None``."""
    if not iri.startswith(ID):
        return None
    kind = iri[len(ID) :].split("/", 1)[0]
    return kind if kind in KINDS and "/" in iri[len(ID) :] else None


def _values(properties: tuple[str, ...]) -> str:
    return "VALUES ?p { " + " ".join(f"<{p}>" for p in properties) + " }"


_UNDER_ID = f'isIRI(?s) && STRSTARTS(STR(?s), "{ID}")'
_NAMED = f"{{ SELECT DISTINCT ?s WHERE {{ {_values(NAME_PROPERTIES)} ?s ?p ?name FILTER(isLiteral(?name) && {_UNDER_ID}) }} }}"
#: name, description: (subject, property, text, language)
NAMES = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_values(NAME_PROPERTIES)} ?s ?p ?o FILTER(isLiteral(?o) && {_UNDER_ID}) }}"
DESCRIPTIONS = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_NAMED} {_values(DESCRIPTION_PROPERTIES)} ?s ?p ?o FILTER(isLiteral(?o)) }}"
TYPES = f"SELECT DISTINCT ?s ?o WHERE {{ {_NAMED} ?s <{_TYPE}> ?o FILTER(isIRI(?o)) }}"
#: the other direct values of named things (what is neither a name, a class nor a description)
VALUES = f"""SELECT DISTINCT ?s ?p ?o WHERE {{ {_NAMED} ?s ?p ?o
  FILTER(!isBlank(?o) && !(isLiteral(?o) && ?p IN ({", ".join(f"<{p}>" for p in NAME_PROPERTIES + DESCRIPTION_PROPERTIES)}))
         && !(isIRI(?o) && ?p = <{_TYPE}>)) }}"""
#: labels of the things that are not ours (classes and properties)
VOCABULARY_LABELS = f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{_LABEL}> ?o FILTER(isLiteral(?o) && isIRI(?s)) }}"


def _rows(kg: KnowledgeGraph, query: str) -> Iterator[list[str]]:
    """The rows of a SELECT, each term as SPARQL's TSV writes it (IRIs in ``<>``, literals
    quoted): pyoxigraph writes all rows at once and Python splits them in C, much cheaper than
    a term object per value at archive scale. (Not CSV: pyoxigraph leaves IRIs with commas
    unquoted there.)"""
    text = kg.query(query).serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    lines = text.split("\n")
    return (line.split("\t") for line in lines[1:] if line)


def _iri(term: str) -> str:
    return term[1:-1]


def _text(term: str) -> tuple[str, str]:
    """The lexical form and language of a literal (or the IRI) as TSV writes it."""
    if term[:1] == "<":
        return term[1:-1], ""
    if term[:1] != '"':
        return term, ""  # a number or a boolean, written bare
    end = term.rindex('"')
    quoted, tail = term[: end + 1], term[end + 1 :]
    # TSV escapes as N-Triples does (\t \n \" \\ \uXXXX): the same escapes as JSON
    text = json.loads(quoted) if "\\" in quoted else quoted[1:-1]
    return text, tail[1:] if tail[:1] == "@" else ""


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector walks every container alive each time enough new ones were
    made: building a million small sets, lists and dicts (none of them in a cycle) then costs
    time that grows with the square of the graph. It is paused meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def search_records(kg: KnowledgeGraph) -> dict[str, object]:
    """The content of ``search.json`` (sorted, so the same graph gives the same bytes)."""
    with _cycle_collection_paused():
        return _search_records(kg)


def _search_records(kg: KnowledgeGraph) -> dict[str, object]:
    names: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for subject, predicate, name in _rows(kg, NAMES):
        if kind_of(iri := _iri(subject)) is not None:
            names[iri].add((*_text(name), _iri(predicate)))
    types: dict[str, set[str]] = defaultdict(set)
    for subject, cls in _rows(kg, TYPES):
        types[_iri(subject)].add(_iri(cls))
    descriptions: dict[str, dict[str, str]] = defaultdict(dict)
    for subject, _, description in _rows(kg, DESCRIPTIONS):
        text, language = _text(description)
        current = descriptions[_iri(subject)].get(language)
        if current is None or text < current:
            descriptions[_iri(subject)][language] = text
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for subject, predicate, value in _rows(kg, VALUES):
        values[_iri(subject)][_iri(predicate)].add(_text(value)[0])
    records = []
    for iri in sorted(names):
        records.append(
            {
                "id": iri,
                "kind": kind_of(iri),
                "names": [list(n) for n in sorted(names[iri], key=_name_order)],
                "types": sorted(types.get(iri, ())),
                "description": dict(sorted(descriptions.get(iri, {}).items())),
                "values": {p: sorted(v) if len(v) > 1 else list(v) for p, v in sorted(values.get(iri, {}).items())},
            }
        )
    used_types = {t for r in records for t in r["types"]}
    used_properties = {p for r in records for p in r["values"]}
    vocabulary_labels: dict[str, dict[str, str]] = defaultdict(dict)
    for subject, label in _rows(kg, VOCABULARY_LABELS):
        iri, (text, language) = _iri(subject), _text(label)
        if iri in used_types or iri in used_properties:  # the first label in each language
            current = vocabulary_labels[iri].get(language)
            if current is None or text < current:
                vocabulary_labels[iri][language] = text
    return {
        "entities": records,
        "types": {t: vocabulary_labels.get(t, {}) for t in sorted(used_types)},
        "properties": {p: vocabulary_labels.get(p, {}) for p in sorted(used_properties)},
    }


def _name_order(name: tuple[str, str, str]) -> tuple[int, str, str]:
    text, language, predicate = name
    return (NAME_PROPERTIES.index(predicate), language, text)


def write_search(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """``search.json``, one entity per line (JSON written by the C encoder: no indentation)."""
    records = search_records(kg)
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    rest = encode({k: v for k, v in records.items() if k != "entities"})
    entities = ",\n".join(encode(entity) for entity in records["entities"])  # type: ignore[union-attr]
    body = '{"entities": [\n' + entities + "\n], " + rest[1:] + "\n"
    path = out / SEARCH_FILE
    path.write_bytes(body.encode("utf-8"))  # into the staging folder: atomic as a whole
    return [path]
