"""JSON-LD written directly in compacted form, with a curated ``@context``.

The context names only the prefixes the graph uses (not every bound prefix, see rdflib#1679).
Every node is one object, sorted by ``@id``; a property with one value is not wrapped in a
list; literals keep their exact lexical form and datatype, so the document expands back to
the very same triples. No remote context is ever referenced: the context is embedded, and
also written as its own file for those who want to reuse it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from twentyfive.namespaces import PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class PrefixMap:
    """Longest-namespace lookup in time independent of the number of prefixes.

    Every namespace in the table ends in ``/`` or ``#``, so the namespace of an IRI is one of
    its cuts after a ``/`` or ``#``: try them from the right (the longest first).
    """

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = prefixes
        self._by_namespace = {namespace: name for name, namespace in prefixes.items()}

    def split(self, iri: str) -> tuple[str, str] | None:
        """``(prefix name, namespace)`` of the longest namespace ``iri`` falls under."""
        end = len(iri)
        while end > 0:
            cut = max(iri.rfind("#", 0, end), iri.rfind("/", 0, end))
            if cut < 0:
                return None
            name = self._by_namespace.get(iri[: cut + 1])
            if name is not None and cut + 1 < len(iri):
                return name, iri[: cut + 1]
            end = cut
        return None


_MAPS: dict[int, PrefixMap] = {}


def prefix_map(prefixes: dict[str, str]) -> PrefixMap:
    found = _MAPS.get(id(prefixes))
    if found is None or found.prefixes is not prefixes or len(found._by_namespace) != len(prefixes):
        found = _MAPS[id(prefixes)] = PrefixMap(prefixes)
    return found


def used_prefixes(triples: Iterable[ox.Triple], prefixes: dict[str, str] = PREFIXES) -> dict[str, str]:
    """The prefixes of ``prefixes`` that some IRI in ``triples`` falls under (longest match)."""
    iris: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    iris.discard(XSD_STRING)
    iris.discard(RDF_LANG_STRING)
    lookup = prefix_map(prefixes)
    used = {found[0] for iri in iris if (found := lookup.split(iri)) is not None}
    return {name: prefixes[name] for name in prefixes if name in used}


def context_for(prefixes: dict[str, str]) -> dict[str, object]:
    """The ``@context``: prefixes only, in the prefix table's order."""
    return dict(prefixes)


def compact_iri(iri: str, prefixes: dict[str, str]) -> str:
    found = prefix_map(prefixes).split(iri)
    if found is None:
        return iri
    return f"{found[0]}:{iri[len(found[1]):]}"


def to_jsonld(
    triples: Iterable[ox.Triple],
    prefixes: dict[str, str] | None = None,
    *,
    context: dict[str, object] | str | None = None,
) -> dict[str, object]:
    """A compacted JSON-LD document of ``triples`` (sorted, one object per subject)."""
    triples = list(triples)
    if prefixes is None:
        prefixes = used_prefixes(triples)
    compacted: dict[str, str] = {}

    def compact(iri: str) -> str:
        found = compacted.get(iri)
        if found is None:
            found = compacted[iri] = compact_iri(iri, prefixes)
        return found

    nodes: dict[str, dict[str, object]] = {}
    for triple in triples:
        subject = triple.subject.value if isinstance(triple.subject, ox.NamedNode) else f"_:{triple.subject.value}"
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {"@id": compact(subject) if not subject.startswith("_:") else subject}
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(triple.object.value))
            continue
        key = compact(triple.predicate.value)
        obj = triple.object
        value = {"@id": compact(obj.value)} if isinstance(obj, ox.NamedNode) else _value(obj, prefixes)
        node.setdefault(key, []).append(value)
    graph = []
    for subject in sorted(nodes):
        node = nodes[subject]
        out: dict[str, object] = {"@id": node["@id"]}
        if "@type" in node:
            types = sorted(node["@type"])  # type: ignore[arg-type]
            out["@type"] = types[0] if len(types) == 1 else types
        for key in sorted(k for k in node if not k.startswith("@")):
            values = sorted(node[key], key=_sort_key)  # type: ignore[arg-type]
            out[key] = values[0] if len(values) == 1 else values
        graph.append(out)
    return {"@context": context if context is not None else context_for(prefixes), "@graph": graph}


def dumps(document: dict[str, object]) -> bytes:
    """Stable, readable JSON (UTF-8, two-space indent, a final newline).

    A large ``@graph`` is written one node per line: Python's JSON encoder runs in C only
    without indentation, and a dump of a million triples would otherwise take many seconds.
    """
    graph = document.get("@graph")
    if not isinstance(graph, list) or len(graph) < LARGE_GRAPH:
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    head = {k: v for k, v in document.items() if k != "@graph"}
    parts = [json.dumps(head, ensure_ascii=False, indent=2)[:-2], ',\n  "@graph": [\n']
    encode = json.JSONEncoder(ensure_ascii=False).encode
    parts.append(",\n".join("    " + encode(node) for node in graph))
    parts.append("\n  ]\n}\n")
    return "".join(parts).encode("utf-8")


#: From this many nodes on, ``dumps`` writes one node per line.
LARGE_GRAPH = 1000


def _value(term: object, prefixes: dict[str, str]) -> object:
    if isinstance(term, ox.NamedNode):
        return {"@id": compact_iri(term.value, prefixes)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    assert isinstance(term, ox.Literal)
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": compact_iri(term.datatype.value, prefixes)}


def _sort_key(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def stream_document(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """The compacted document of ``triples`` (given grouped by subject, in the order to keep),
    written as it streams: one node per line out, no tree held in memory.
    For whole-dataset dumps, where building dicts for a million triples costs many seconds.
    """
    compacted: dict[str, str] = {}
    encode = json.JSONEncoder(ensure_ascii=False).encode

    def compact(iri: str) -> str:
        found = compacted.get(iri)
        if found is None:
            found = compacted[iri] = encode(compact_iri(iri, prefixes))
        return found

    head = json.dumps({"@context": context_for(prefixes)}, ensure_ascii=False, indent=2)[:-2]
    out = [head, ',\n  "@graph": [\n']
    nodes: list[str] = []
    subject: object = None
    types: list[str] = []
    properties: dict[str, list[str]] = {}

    def flush() -> None:
        if subject is None:
            return
        sid = subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        parts = ['"@id": ' + (compact(sid) if isinstance(subject, ox.NamedNode) else encode(sid))]
        if types:
            parts.append('"@type": ' + (types[0] if len(types) == 1 else "[" + ", ".join(types) + "]"))
        for key in sorted(properties, key=lambda k: json.loads(k)):
            values = properties[key]
            parts.append(f"{key}: " + (values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"))
        nodes.append("    {" + ", ".join(parts) + "}")

    for triple in triples:
        if triple.subject != subject:
            flush()
            subject, types, properties = triple.subject, [], {}
        obj = triple.object
        if triple.predicate.value == RDF_TYPE and isinstance(obj, ox.NamedNode):
            types.append(compact(obj.value))
            continue
        if isinstance(obj, ox.NamedNode):
            value = '{"@id": ' + compact(obj.value) + "}"
        else:
            value = encode(_value(obj, prefixes))
        properties.setdefault(compact(triple.predicate.value), []).append(value)
    flush()
    out.append(",\n".join(nodes))
    out.append("\n  ]\n}\n")
    return "".join(out).encode("utf-8")
