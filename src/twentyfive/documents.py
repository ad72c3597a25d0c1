"""One entity's document: what a program (or a person) gets by following one link.

The document of ``id/<kind>/<slug>`` holds

- its own statements (and those of its parts, ``…/<slug>#part``): every value of a property
  up to :data:`VALUES_PAGE`, else the first page, the count and a query for the rest (a
  group of 27,519 members would otherwise make one page of 27,519 rows);
- the labels (``rdfs:label`` in every page language) of everything it points to;
- the statements that point at it (incoming links): all of them up to
  :data:`INCOMING_PAGE`, else the first page, the count and a query for the rest;
- its sources: each passage graph that holds a statement about it, with the source and the
  quoted passage (``oa:exact``), up to :data:`SOURCES_PAGE` of them;
- a few lines about the document itself (its topic, its licence, its dataset).

The same :class:`EntityDocument` renders to every triple format of :mod:`twentyfive.formats`
and to HTML (:mod:`twentyfive.html`); the build writes them all, the server answers with them.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from twentyfive import formats, paging
from twentyfive.graph import triple_sort_key
from twentyfive.namespaces import BASE, DATASET_IRI, DOC, ID, KINDS, PREFIXES, SLUG_PATTERN
from twentyfive.paging import INCOMING_PAGE, VALUES_PAGE
from twentyfive.publish.graphfiles import serialize_triples

#: Passages shown in a document's sources.
SOURCES_PAGE = 100
LICENSE = "https://creativecommons.org/licenses/by-sa/4.0/"

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OA = PREFIXES["oa"]
_TYPE = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
_COMMENT = ox.NamedNode(RDFS + "comment")
_HAS_SOURCE = ox.NamedNode(OA + "hasSource")
_HAS_SELECTOR = ox.NamedNode(OA + "hasSelector")
_EXACT = ox.NamedNode(OA + "exact")
_FOAF_DOCUMENT = ox.NamedNode(PREFIXES["foaf"] + "Document")
_PRIMARY_TOPIC = ox.NamedNode(PREFIXES["foaf"] + "primaryTopic")
_LICENSE = ox.NamedNode(PREFIXES["dcterms"] + "license")
_IN_DATASET = ox.NamedNode(PREFIXES["void"] + "inDataset")


@dataclass(frozen=True)
class SourcePassage:
    """A passage graph that supports statements about the entity."""

    passage: str
    source: str | None
    quote: str | None
    supports: tuple[ox.Triple, ...]


@dataclass
class EntityDocument:
    """Everything the document of one entity says; see the module docstring."""

    iri: str
    kind: str
    slug: str
    statements: list[ox.Triple]
    incoming: list[ox.Triple]
    incoming_count: int
    sources: list[SourcePassage]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    label_triples: list[ox.Triple] = field(default_factory=list)
    source_triples: list[ox.Triple] = field(default_factory=list)
    #: (subject, predicate) -> how many values it has, where the document shows only some
    value_counts: dict[tuple[ox.NamedNode, ox.NamedNode], int] = field(default_factory=dict)
    #: how many passages support statements about the entity (``sources`` shows the first)
    sources_count: int = 0

    @property
    def document_iri(self) -> str:
        return f"{DOC}{self.kind}/{self.slug}"

    def triples(self) -> list[ox.Triple]:
        """The document as one RDF graph (sorted, no duplicates)."""
        doc = ox.NamedNode(self.document_iri)
        about = [
            ox.Triple(doc, _TYPE, _FOAF_DOCUMENT),
            ox.Triple(doc, _PRIMARY_TOPIC, ox.NamedNode(self.iri)),
            ox.Triple(doc, _LICENSE, ox.NamedNode(LICENSE)),
            ox.Triple(doc, _IN_DATASET, ox.NamedNode(DATASET_IRI)),
        ]
        notes = [
            f"Shows {VALUES_PAGE} of the {count} values of <{predicate.value}> of "
            f"<{subject.value}>; the query {BASE}sparql?query="
            f"{quote(values_query(subject.value, predicate.value))} gives them all."
            for (subject, predicate), count in self.paged_values()
        ]
        if self.sources_count > len(self.sources):
            notes.append(
                f"Shows {len(self.sources)} of the {self.sources_count} passages that "
                "support statements about this entity."
            )
        if self.incoming_count > len(self.incoming):
            notes.append(
                f"Shows {len(self.incoming)} of the {self.incoming_count} statements "
                "that point at this entity; the query "
                f"{BASE}sparql?query={quote(incoming_query(self.iri))} gives them all."
            )
        about += [ox.Triple(doc, _COMMENT, ox.Literal(note, language="en")) for note in notes]
        every = {
            *self.statements,
            *self.incoming,
            *self.label_triples,
            *self.source_triples,
            *about,
        }
        return sorted(every, key=triple_sort_key)

    def paged_values(self) -> list[tuple[tuple[ox.NamedNode, ox.NamedNode], int]]:
        """``((subject, predicate), count)`` of each property shown only in part, in order."""
        return sorted(self.value_counts.items(), key=lambda i: (i[0][0].value, i[0][1].value))

    def label(self, iri: str, language: str = "en") -> str | None:
        """The label of ``iri`` in ``language`` (else English, else any)."""
        labels = self.labels.get(iri, {})
        return labels.get(language) or labels.get("en") or next(iter(labels.values()), None)


def incoming_query(iri: str, offset: int = 0) -> str:
    """A SPARQL query listing the statements that point at ``iri`` (for the pages beyond
    the first)."""
    tail = f" OFFSET {offset}" if offset else ""
    return (
        f"SELECT ?subject ?property WHERE {{ ?subject ?property <{iri}> }} "
        f"ORDER BY ?subject ?property LIMIT {INCOMING_PAGE}{tail}"
    )


def values_query(subject: str, predicate: str, offset: int = 0) -> str:
    """A SPARQL query listing the values of one property (for the pages beyond the first)."""
    tail = f" OFFSET {offset}" if offset else ""
    return (
        f"SELECT ?value WHERE {{ <{subject}> <{predicate}> ?value }} "
        f"ORDER BY ?value LIMIT {VALUES_PAGE}{tail}"
    )


_ENTITY_IRI = re.compile(rf"{re.escape(ID)}([a-z]+)/({SLUG_PATTERN})")


def parse_entity_iri(iri: str) -> tuple[str, str] | None:
    """``(kind, slug)`` of an entity IRI (not of a part ``#…``), else ``None``."""
    match = _ENTITY_IRI.fullmatch(iri)
    if match is None or match.group(1) not in KINDS:
        return None
    return match.group(1), match.group(2)


_SUBJECT_LINE = re.compile(
    rf"^<({re.escape(ID)}([a-z]+)/{SLUG_PATTERN})(#[^>]*)?>$", re.MULTILINE
)


def entities(store: ox.Store, subject_lines: bytes | None = None) -> dict[str, list[str]]:
    """Every entity IRI that stands as a subject in a named graph, with its subjects (itself
    and its parts), in IRI order.

    The distinct subjects come from one SPARQL query, read as TSV text and picked out by one
    regular expression (not a Python object per quad, nor per subject: at a million quads that
    is the difference between 1 s and 5 s) — or from ``subject_lines``, the same text made
    beforehand (a store on disk keeps it: :mod:`twentyfive.store_disk`)."""
    text = _distinct_subjects(store) if subject_lines is None else subject_lines
    found: dict[str, list[str]] = {}
    # sorted by entity, then part ("" first); IRIs hold no tab, newline or escape in TSV
    for iri, kind, part in sorted(_SUBJECT_LINE.findall(text.decode("utf-8"))):
        if kind in _KINDS:
            if (subjects := found.get(iri)) is None:
                found[iri] = [iri + part]
            else:
                subjects.append(iri + part)
    return found


_KINDS = frozenset(KINDS)


def subjects_of(subject_lines: list[bytes], iri: str) -> list[str]:
    """What :func:`entities` gives ``iri`` (itself and its parts ``…#part``, itself first), found
    by bisection in the sorted lines of the distinct subjects (``<iri>`` each): no pass over
    all of them, which takes seconds at 275,190 roster people."""
    whole, parts = f"<{iri}>".encode("utf-8"), f"<{iri}#".encode("utf-8")
    found = []
    at = bisect.bisect_left(subject_lines, whole)
    if at < len(subject_lines) and subject_lines[at] == whole:
        found.append(iri)
    at = bisect.bisect_left(subject_lines, parts)  # "#" sorts before ">": the parts come first
    while at < len(subject_lines) and subject_lines[at].startswith(parts):
        found.append(subject_lines[at][1:-1].decode("utf-8"))
        at += 1
    return found


def _distinct_subjects(store: ox.Store) -> bytes:
    """The distinct subjects of the named graphs, one a line, as SPARQL's TSV writes them."""
    if store.query("ASK { ?s ?p ?o }"):  # the default graph holds statements: leave it out
        query = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    else:  # the same subjects, a quarter faster (no graph to bind)
        query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
    return store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)


def build_document(
    store: ox.Store,
    iri: str,
    subjects: Iterable[str | ox.NamedNode] | None = None,
    languages: Iterable[str] = ("en", "ru"),
) -> EntityDocument:
    """The document of the entity ``iri`` from ``store`` (all named graphs).

    The work is proportional to what the document shows, not to what the store holds: a
    group's 27,519 members are counted by the store, and only the first page of them becomes
    Python objects (:mod:`twentyfive.paging`)."""
    kind, slug = parse_entity_iri(iri) or ("", "")
    entity = ox.NamedNode(iri)
    own = [ox.NamedNode(s) if isinstance(s, str) else s for s in subjects or [entity]]
    own_set = set(own)
    statements, value_counts, graphs = paging.own_statements(store, own)
    incoming, incoming_count = paging.incoming(store, own)

    sources, source_triples, sources_count = _sources(store, graphs, entity)
    referenced = {t.object for t in statements if isinstance(t.object, ox.NamedNode)}
    referenced |= {t.predicate for t in statements} | {t.subject for t in incoming}
    referenced |= {t.predicate for t in incoming} | {
        ox.NamedNode(s.source) for s in sources if s.source
    }
    referenced |= own_set
    wanted = set(languages)
    label_triples = []
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for node in sorted(referenced, key=lambda n: n.value):
        for quad in store.quads_for_pattern(node, LABEL, None, None):
            literal = quad.object
            if isinstance(literal, ox.Literal) and (literal.language or "") in wanted:
                label_triples.append(quad.triple)
                labels[node.value].setdefault(literal.language, literal.value)
    return EntityDocument(
        iri,
        kind,
        slug,
        sorted(statements, key=triple_sort_key),
        incoming,
        incoming_count,
        sources,
        dict(labels),
        label_triples,
        source_triples,
        value_counts,
        sources_count,
    )


def _sources(
    store: ox.Store, graphs: dict[ox.NamedNode, set[ox.Triple]], entity: ox.NamedNode
) -> tuple[list[SourcePassage], list[ox.Triple], int]:
    """Each passage graph holding a statement about the entity, with its source and quote
    (the first :data:`SOURCES_PAGE` of them), and how many there are."""
    sources, triples, count = [], [], 0
    for graph in sorted(graphs, key=lambda g: g.value):
        if graph == entity:
            continue
        source = _first(store, graph, _HAS_SOURCE)
        if source is None:
            continue  # not a passage (a source's own graph, the ontology, derived facts)
        count += 1
        if len(sources) == SOURCES_PAGE:
            continue
        triples.append(ox.Triple(graph, _HAS_SOURCE, source))
        quote = None
        selector = _first(store, graph, _HAS_SELECTOR)
        if selector is not None:
            triples.append(ox.Triple(graph, _HAS_SELECTOR, selector))
            exact = _first(store, selector, _EXACT)
            if isinstance(exact, ox.Literal):
                quote = exact.value
                triples.append(ox.Triple(selector, _EXACT, exact))
        sources.append(
            SourcePassage(
                graph.value,
                source.value if isinstance(source, ox.NamedNode) else None,
                quote,
                tuple(sorted(graphs[graph], key=triple_sort_key)),
            )
        )
    return sources, triples, count


def _first(store: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode):
    for quad in store.quads_for_pattern(subject, predicate, None, None):
        return quad.object
    return None


#: namespace -> prefix name, for the quick lookup in :func:`prefixes_of`
_NAMESPACES = {namespace: name for name, namespace in PREFIXES.items()}


def prefixes_of(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The prefixes of the prefix table that the triples use: the same answer as
    :func:`twentyfive.publish.jsonld.used_prefixes`, found by cutting each IRI at its ``/``
    and ``#`` (a few dictionary look-ups) instead of trying every prefix."""
    used: set[str] = set()
    seen: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iri = term.value
            elif isinstance(term, ox.Literal) and term.datatype.value not in _PLAIN:
                iri = term.datatype.value
            else:
                continue
            if iri in seen:
                continue
            seen.add(iri)
            for cut in range(len(iri) - 2, -1, -1):  # longest namespace first; never the whole IRI
                if iri[cut] in "/#" and iri[: cut + 1] in _NAMESPACES:
                    used.add(_NAMESPACES[iri[: cut + 1]])
                    break
    return {name: namespace for name, namespace in PREFIXES.items() if name in used}


_PLAIN = (PREFIXES["xsd"] + "string", RDF + "langString")


def serialize(
    triples: list[ox.Triple], fmt: formats.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """``triples`` in one triple format, as every small graph of the build is written."""
    return serialize_triples(triples, fmt, prefixes or prefixes_of(triples))


def render(document: EntityDocument, fmt: formats.RdfFormat) -> bytes:
    """The document in one of :data:`twentyfive.formats.TRIPLE_FORMATS`."""
    return serialize(document.triples(), fmt)


def all_documents(store: ox.Store) -> Iterator[EntityDocument]:
    """The document of every entity, in IRI order."""
    for iri, subjects in entities(store).items():
        yield build_document(store, iri, subjects)
