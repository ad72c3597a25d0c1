"""JSON-LD written directly in compacted form, with a curated ``@context``.

The context names only the prefixes the graph uses (not every bound prefix, see rdflib#1679).
Every node is one object, sorted by ``@id``; a property with one value is not wrapped in a
list; literals keep their exact lexical form and datatype, so the document expands back to
the very same triples. No remote context is ever referenced: the context is embedded, and
also written as its own file for those who want to reuse it.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable

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


def iri_strings(prefixes: dict[str, str]) -> Callable[[bytes], bytes]:
    """A function: ``b"<iri>"`` (an N-Triples IRI) -> its compacted form as a JSON string.

    What ``compact_iri`` says depends only on the IRI up to its last ``/`` or ``#`` (a
    namespace of the table ends there or before), so that head is looked up once, by way of
    its own head, and the rest is copied. An IRI with something JSON escapes (none that
    pyoxigraph writes has) goes the slow way.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    names = {b"<" + ns.encode("utf-8"): b'"' + name.encode("utf-8") + b":" for name, ns in prefixes.items()}
    whole = (b'"', 1)  # no namespace: the IRI itself
    heads: dict[bytes, tuple[bytes, int]] = {}  # b"<head" -> (b'"name:', where the local part starts)

    def of_head(head: bytes) -> tuple[bytes, int]:
        found = heads.get(head)
        if found is None:
            name = names.get(head)
            if name is not None:
                found = (name, len(head))
            else:
                parent = max(head.rfind(b"/", 0, len(head) - 1), head.rfind(b"#", 0, len(head) - 1)) + 1
                found = of_head(head[:parent]) if parent > 1 else whole
            heads[head] = found
        return found

    def iri_string(term: bytes) -> bytes:
        cut = max(term.rfind(b"/"), term.rfind(b"#")) + 1
        if cut <= 1 or cut >= len(term) - 1 or _NEEDS_ESCAPE.search(term) is not None:
            return encode(compact_iri(term[1:-1].decode("utf-8"), prefixes)).encode("utf-8")
        name, local = heads.get(term[:cut]) or of_head(term[:cut])
        return name + term[local:-1] + b'"'

    return iri_string


#: What JSON escapes in a string (``ensure_ascii=False``): a quote, a backslash, a control.
_NEEDS_ESCAPE = re.compile(rb'["\\\x00-\x1f]')


def write_ntriples(lines: Iterable[bytes], prefixes: dict[str, str], write: Callable[[bytes], object]) -> None:
    """The compacted document of sorted N-Triples ``lines`` (as pyoxigraph writes them), passed
    to ``write`` piece by piece: one node per line, nodes in the order of the lines.

    For whole-dataset dumps: a million statements as terms and dicts cost many seconds, as text
    they cost one split per line. Sorted lines keep a subject's statements together, and in
    them each predicate's, so a node is a list of runs of values. Each IRI is compacted once;
    an N-Triples string as pyoxigraph escapes it is already a JSON string (escapes are decoded
    and encoded again only where there are any, so the output is what ``json`` writes).
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    iri_string = iri_strings(prefixes)
    iris: dict[bytes, bytes] = {}  # an object b"<iri>" -> iri_string(it)
    ids: dict[bytes, bytes] = {}  # an object b"<iri>" -> b'{"@id": ...}'
    keys: dict[bytes, tuple[str, bytes]] = {}  # predicate -> (compacted name, b'"name": ')

    def iri_of(term: bytes) -> bytes:
        found = iris[term] = iri_string(term)
        return found

    def id_of(term: bytes) -> bytes:
        found = ids[term] = b'{"@id": ' + (iris.get(term) or iri_of(term)) + b"}"
        return found

    def key_of(predicate: bytes) -> tuple[str, bytes]:
        name = compact_iri(predicate[1:-1].decode("utf-8"), prefixes)
        found = keys[predicate] = (name, encode(name).encode("utf-8") + b": ")
        return found

    def string(quoted: bytes) -> bytes:  # a quoted N-Triples string with escapes
        return encode(json.loads(quoted)).encode("utf-8")

    def node() -> bytes:
        assert subject is not None
        this = iri_string(subject) if subject[:1] == b"<" else encode(subject.decode("utf-8")).encode("utf-8")
        parts = [b'    {"@id": ' + this]
        if types:
            parts.append(b'"@type": ' + (types[0] if len(types) == 1 else b"[" + b", ".join(types) + b"]"))
        if len(runs) > 1:
            runs.sort(key=_NAME)
        parts += [key + (v[0] if len(v) == 1 else b"[" + b", ".join(v) + b"]") for _, key, v in runs]
        return b", ".join(parts) + b"}"

    head = json.dumps({"@context": context_for(prefixes)}, ensure_ascii=False, indent=2)[:-2]
    write(head.encode("utf-8") + b',\n  "@graph": [\n')
    rdf_type = f"<{RDF_TYPE}>".encode()
    pieces: list[bytes] = []
    subject: bytes | None = None
    types: list[bytes] = []
    runs: list[tuple[str, bytes, list[bytes]]] = []  # a predicate's (name, b'"name": ', values)
    predicate_now = b""
    values: list[bytes] = []
    get_id, get_iri, get_key = ids.get, iris.get, keys.get
    for line in lines:
        this, predicate, rest = line.split(b" ", 2)
        if this != subject:
            if subject is not None:
                pieces.append(node())
                if len(pieces) == _NODES_PER_WRITE:  # another node follows: a comma
                    write(b",\n".join(pieces) + b",\n")
                    pieces.clear()
            subject, types, runs, predicate_now = this, [], [], b""
        obj = rest[:-3]  # pyoxigraph ends every line with " .\n"
        first = obj[0]
        if first == 60:  # <
            if predicate == rdf_type:
                types.append(get_iri(obj) or iri_of(obj))
                continue
            value = get_id(obj) or id_of(obj)
        elif first == 34:  # "
            end = obj.rindex(b'"')
            text = obj[: end + 1]
            if b"\\" in text:
                text = string(text)
            if end == len(obj) - 1:
                value = text
            elif obj[end + 1] == 64:  # @
                value = b'{"@value": ' + text + b', "@language": "' + obj[end + 2 :] + b'"}'
            else:
                datatype = obj[end + 3 :]
                value = b'{"@value": ' + text + b', "@type": ' + (get_iri(datatype) or iri_of(datatype)) + b"}"
        else:  # a blank node
            value = b'{"@id": ' + encode(obj.decode("utf-8")).encode("utf-8") + b"}"
        if predicate == predicate_now:
            values.append(value)
        else:
            predicate_now, values = predicate, [value]
            runs.append((*(get_key(predicate) or key_of(predicate)), values))
    if subject is not None:
        pieces.append(node())
    write(b",\n".join(pieces) + b"\n  ]\n}\n")


#: Nodes gathered before each ``write`` of the streamed writer.
_NODES_PER_WRITE = 2000
_NAME = operator.itemgetter(0)
