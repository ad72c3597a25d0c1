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

from twentyfive import tsv
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import ID, KINDS, PREFIXES
from twentyfive.publish import checksums

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
#: every statement of every named thing under ``id/`` but those pointing at blank nodes: its
#: names, classes, descriptions and other values, told apart in Python. (No DISTINCT: the
#: records are sets anyway, and making the rows distinct costs the store as much again.)
STATEMENTS = f"SELECT ?s ?p ?o WHERE {{ {_NAMED} ?s ?p ?o FILTER(!isBlank(?o)) }}"


def _labels_of(things: set[str]) -> str:
    """The labels of ``things`` (classes and properties: ours or not)."""
    listed = " ".join(f"<{iri}>" for iri in sorted(things))
    return f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {listed} }} ?s <{_LABEL}> ?o FILTER(isLiteral(?o)) }}"


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
        records = _records(_statements(kg))
    used_types = {t for r in records for t in r["types"]}
    used_properties = {p for r in records for p in r["values"]}
    vocabulary_labels: dict[str, dict[str, str]] = defaultdict(dict)
    for line in tsv.lines(kg.store, _labels_of(used_types | used_properties), union=True):
        subject, label = line.split("\t")
        iri, (text, language) = subject[1:-1], tsv.text(label)
        current = vocabulary_labels[iri].get(language)  # the first label in each language
        if current is None or text < current:
            vocabulary_labels[iri][language] = text
    return {  # keys in order, as the JSON encoder would sort them
        "entities": records,
        "properties": {p: _sorted(vocabulary_labels.get(p, {})) for p in sorted(used_properties)},
        "types": {t: _sorted(vocabulary_labels.get(t, {})) for t in sorted(used_types)},
    }


def _sorted(mapping: dict[str, str]) -> dict[str, str]:
    return dict(sorted(mapping.items()))


#: what a statement is to its subject's record, by its property as TSV writes it
_NAME, _DESCRIPTION, _CLASS = 0, 1, 2
_ROLES = {
    **{f"<{p}>": _NAME for p in NAME_PROPERTIES},
    **{f"<{p}>": _DESCRIPTION for p in DESCRIPTION_PROPERTIES},
    f"<{_TYPE}>": _CLASS,
}
#: the place of each name property in the order of names, by the property as TSV writes it
_NAME_RANK = {f"<{p}>": rank for rank, p in enumerate(NAME_PROPERTIES)}

#: What one named thing says, each term as TSV writes it: its names ``(property, literal)``,
#: its classes (IRIs), its descriptions (literals) and its other values by property.
Statements = tuple[set[tuple[str, str]], set[str], set[str], dict[str, set[str]]]


def _statements(kg: KnowledgeGraph) -> dict[str, Statements]:
    """What every named thing says, by its IRI as TSV writes it: one query, one pass."""
    found: dict[str, Statements] = {}
    last = None
    for line in tsv.lines(kg.store, STATEMENTS, union=True):
        subject, predicate, value = line.split("\t")
        if subject != last:  # the rows of one subject come together: look it up once
            last = subject
            if (state := found.get(subject)) is None:
                state = found[subject] = (set(), set(), set(), {})
            names, types, descriptions, values = state
        role = _ROLES.get(predicate)
        if role is None or (role == _CLASS) is (value[:1] != "<") or value[:2] == "<<":
            if (held := values.get(predicate)) is None:  # a value: not a name, class or
                values[predicate] = {value}  # description (those are literals, IRIs)
            else:
                held.add(value)
        elif role == _NAME:
            names.add((predicate, value))
        elif role == _CLASS:
            types.add(value)
        else:
            descriptions.add(value)
    return found


def _records(found: dict[str, Statements]) -> list[dict]:
    """The record of every named entity, in IRI order, each dictionary's keys in order (so
    the JSON encoder need not sort them)."""
    lexical: dict[str, str] = {}  # a value as TSV writes it -> its text (values repeat)
    plain: dict[str, str] = {}  # an IRI as TSV writes it -> the IRI (properties repeat)
    classes: dict[frozenset[str], list[str]] = {}  # classes as read -> sorted (they repeat)
    records = []
    for iri, subject in sorted((s[1:-1], s) for s in found):
        if (kind := kind_of(iri)) is None:
            continue
        names, types, descriptions, values = found[subject]
        shown: dict[str, str] = {}
        if descriptions:
            for text, language in sorted(map(tsv.text, descriptions), reverse=True):
                shown[language] = text  # the first in each language
            shown = dict(sorted(shown.items()))
        texts = []
        for predicate, held in values.items():
            if (key := plain.get(predicate)) is None:
                key = plain[predicate] = predicate[1:-1]
            for value in held:
                if value not in lexical:
                    lexical[value] = tsv.text(value)[0]
            if len(held) == 1:
                texts.append((key, [lexical[value] for value in held]))
            else:
                texts.append((key, sorted({lexical[value] for value in held})))
        texts.sort()
        if (sorted_types := classes.get(kinds := frozenset(types))) is None:
            sorted_types = classes[kinds] = sorted(t[1:-1] for t in types)
        named = sorted({(_NAME_RANK[p], *tsv.text(value)[::-1], p) for p, value in names})
        records.append(
            {
                "description": shown,
                "id": iri,
                "kind": kind,
                "names": [[text, language, plain.get(p) or p[1:-1]] for _, language, text, p in named],
                "types": sorted_types,
                "values": dict(texts),
            }
        )
    return records


def write_search(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """``search.json``, one entity per line (JSON written by the C encoder: no indentation)."""
    records = search_records(kg)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # keys in order already
    rest = encode({k: v for k, v in records.items() if k != "entities"})
    entities = ",\n".join(map(encode, records["entities"]))  # type: ignore[arg-type]
    body = '{"entities": [\n' + entities + "\n], " + rest[1:] + "\n"
    # into the staging folder: atomic as a whole
    return [checksums.write_bytes(out / SEARCH_FILE, body.encode("utf-8"))]
