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

import json
from collections import defaultdict
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


def search_records(kg: KnowledgeGraph) -> dict[str, object]:
    """The content of ``search.json`` (sorted, so the same graph gives the same bytes)."""
    names: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    descriptions: dict[str, dict[str, str]] = defaultdict(dict)
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    vocabulary_labels: dict[str, dict[str, str]] = defaultdict(dict)
    for quad in kg.store.quads_for_pattern(None, None, None, None):
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        if not isinstance(subject, ox.NamedNode):
            continue
        if predicate == _LABEL and isinstance(obj, ox.Literal) and kind_of(subject.value) is None:
            vocabulary_labels[subject.value].setdefault(obj.language or "", obj.value)
            continue
        if kind_of(subject.value) is None:
            continue
        iri = subject.value
        if predicate in NAME_PROPERTIES and isinstance(obj, ox.Literal):
            names[iri].add((obj.value, obj.language or "", predicate))
        elif predicate == _TYPE and isinstance(obj, ox.NamedNode):
            types[iri].add(obj.value)
        elif predicate in DESCRIPTION_PROPERTIES and isinstance(obj, ox.Literal):
            current = descriptions[iri].get(obj.language or "")
            if current is None or obj.value < current:
                descriptions[iri][obj.language or ""] = obj.value
        elif isinstance(obj, ox.NamedNode | ox.Literal):
            values[iri][predicate].add(obj.value)
    records = []
    for iri in sorted(names):
        records.append(
            {
                "id": iri,
                "kind": kind_of(iri),
                "names": [list(n) for n in sorted(names[iri], key=_name_order)],
                "types": sorted(types.get(iri, ())),
                "description": dict(sorted(descriptions.get(iri, {}).items())),
                "values": {p: sorted(v) for p, v in sorted(values.get(iri, {}).items())},
            }
        )
    used_types = {t for r in records for t in r["types"]}
    used_properties = {p for r in records for p in r["values"]}
    return {
        "entities": records,
        "types": {t: vocabulary_labels.get(t, {}) for t in sorted(used_types)},
        "properties": {p: vocabulary_labels.get(p, {}) for p in sorted(used_properties)},
    }


def _name_order(name: tuple[str, str, str]) -> tuple[int, str, str]:
    text, language, predicate = name
    return (NAME_PROPERTIES.index(predicate), language, text)


def write_search(kg: KnowledgeGraph, out: Path) -> list[Path]:
    path = out / SEARCH_FILE
    body = json.dumps(search_records(kg), ensure_ascii=False, sort_keys=True, indent=0)
    path.write_bytes(body.encode("utf-8") + b"\n")  # into the staging folder: atomic as a whole
    return [path]
