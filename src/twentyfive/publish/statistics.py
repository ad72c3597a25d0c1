"""VoID statistics of a graph, counted by SPARQL on pyoxigraph at build time (never typed in).

Every figure is over the union of the named graphs, with each triple counted once (a
statement supported by two passages is one triple), which is exactly what the triple dumps
hold. The link sets count the links out per target dataset (Wikidata, Wikipedia, DBpedia).

At archive scale a DISTINCT over a million statements takes seconds; the dumps sort every
statement anyway, and what that tells cheaply (:class:`SortedUnion`: the statements held more
than once, the subjects outside the entities' IRI space, the first entity of each kind) spares
three of them. Without it (a graph not dumped) everything is counted by SPARQL, and tests hold
the two ways to the same figures.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import ID, PREFIXES

RDF_TYPE = PREFIXES["rdf"] + "type"

_DISTINCT = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"

#: The order of the counts in VoID. ``triples`` is the sum of the property partitions (every
#: triple has one predicate), ``properties`` and ``classes`` the number of partitions: each
#: pass over a million statements is counted once.
COUNT_NAMES = ("triples", "entities", "distinctSubjects", "distinctObjects", "classes", "properties")
SUBJECTS = (
    "SELECT (COUNT(?s) AS ?subjects) "
    f'(SUM(IF(isIRI(?s) && STRSTARTS(STR(?s), "{ID}"), 1, 0)) AS ?entities) '
    "WHERE { SELECT DISTINCT ?s WHERE { ?s ?p ?o } }"
)
#: Subjects alone: the entities follow from what the dumps found (see :class:`SortedUnion`).
SUBJECT_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
OBJECTS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"
CLASS_PARTITIONS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
PROPERTY_PARTITIONS = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {_DISTINCT} }} GROUP BY ?p"
#: Quads, not triples, by predicate: a statement two graphs hold counts twice. With the
#: statements held more than once known (the dumps find them as they sort the graph), the
#: partitions follow without a DISTINCT over a million statements (seconds).
PROPERTY_QUADS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"


@dataclass(frozen=True)
class LinkTarget:
    """A dataset we link to: its name, the predicate of our links and its IRI space."""

    slug: str
    title: str
    predicate: str
    uri_space: str
    homepage: str


LINK_TARGETS: tuple[LinkTarget, ...] = (
    LinkTarget(
        "wikidata",
        "Wikidata",
        PREFIXES["owl"] + "sameAs",
        "http://www.wikidata.org/entity/",
        "https://www.wikidata.org/",
    ),
    LinkTarget(
        "wikipedia-en",
        "English Wikipedia",
        PREFIXES["schema"] + "sameAs",
        "https://en.wikipedia.org/wiki/",
        "https://en.wikipedia.org/",
    ),
    LinkTarget(
        "wikipedia-ru",
        "Russian Wikipedia",
        PREFIXES["schema"] + "sameAs",
        "https://ru.wikipedia.org/wiki/",
        "https://ru.wikipedia.org/",
    ),
    LinkTarget(
        "dbpedia",
        "DBpedia",
        PREFIXES["rdfs"] + "seeAlso",
        "http://dbpedia.org/resource/",
        "https://dbpedia.org/",
    ),
)


@dataclass
class Statistics:
    """The figures VoID asks for, and the partitions by class and by property."""

    counts: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> entities
    properties: dict[str, int] = field(default_factory=dict)  # property IRI -> triples
    links: dict[str, int] = field(default_factory=dict)  # LinkTarget.slug -> links
    examples: list[str] = field(default_factory=list)  # void:exampleResource, EXAMPLE_KINDS


#: The kinds of entity (``…/id/<kind>/…``) the description gives an example of, in order.
EXAMPLE_KINDS = ("person", "organization", "event", "concept", "place", "work")
#: The name under which a graph remembers its :class:`SortedUnion` (``KnowledgeGraph.remember``).
SORTED_UNION = "void: the sorted union"


@dataclass(frozen=True)
class SortedUnion:
    """What the dumps find out, at almost no cost, as they sort the union of the graphs: the
    figures that a DISTINCT over a million statements would otherwise give (seconds each)."""

    repeated: list[bytes]  # statements held by more than one graph: a line per extra copy
    outside: int  # distinct subjects that are not IRIs of entities (not under ID)
    examples: dict[str, str]  # kind -> its first entity, as example_resources


def sorted_union(lines: list[bytes], repeated: list[bytes]) -> SortedUnion:
    """The :class:`SortedUnion` of the N-Triples ``lines`` of the union (sorted as bytes, each
    once, as pyoxigraph writes them) and of the ``repeated`` ones. The lines of the entities
    stand together (they begin with ``<`` and ID): the rest are found by bisection."""
    space = b"<" + ID.encode("utf-8")
    start = bisect.bisect_left(lines, space)
    end = bisect.bisect_left(lines, space[:-1] + bytes([space[-1] + 1]))
    outside = {line[: line.index(b" ")] for line in (*lines[:start], *lines[end:])}
    examples = {}
    for kind in EXAMPLE_KINDS:
        first = _first_entity(lines, space + kind.encode("utf-8") + b"/")
        if first is not None:
            examples[kind] = first
    return SortedUnion(repeated, len(outside), examples)


def _first_entity(lines: list[bytes], start: bytes) -> str | None:
    """The least IRI (as a string) beginning with ``start`` (``<`` and a kind's space) of a
    subject with a type and no fragment: ``MIN(STR(?s))`` of :func:`example_resources`.

    Lines sort as bytes, where ``<a-1>`` comes before ``<a>`` (``-`` is before ``>``): the
    least IRI is the shortest such subject that the first one in the lines begins with."""
    typed = f" <{RDF_TYPE}> ".encode()
    at = bisect.bisect_left(lines, start)
    while at < len(lines) and lines[at].startswith(start):
        subject = lines[at][: lines[at].index(b" ")]
        if b"#" not in subject and _has(lines, subject + typed):
            iri = subject[1:-1]
            return next(
                iri[:cut].decode("utf-8")
                for cut in range(len(start) - 1, len(iri) + 1)  # the last: iri itself
                if _has(lines, b"<" + iri[:cut] + b">" + typed)
            )
        at = bisect.bisect_left(lines, subject + b"!", at)  # "!" follows " ": the next subject
    return None


def _has(lines: list[bytes], start: bytes) -> bool:
    """Whether some line of the sorted ``lines`` begins with ``start``."""
    at = bisect.bisect_left(lines, start)
    return at < len(lines) and lines[at].startswith(start)


def count(kg: KnowledgeGraph) -> Statistics:
    """Count everything with SPARQL over the union of the named graphs, helped by what the
    dumps found as they sorted it (:class:`SortedUnion`) where ``kg`` remembers that."""
    union = kg.remembered(SORTED_UNION)
    assert union is None or isinstance(union, SortedUnion)
    stats = Statistics()
    classes = 0
    for cls, entities in class_counts(kg):
        classes += 1
        if isinstance(cls, ox.NamedNode):
            stats.classes[cls.value] = entities
    stats.properties = property_partitions(kg, union)
    if union is None:
        subjects = next(iter(kg.query(SUBJECTS)))
        distinct, entities = _number(subjects["subjects"]), _number(subjects["entities"])
        stats.examples = example_resources(kg)
    else:
        distinct = _number(next(iter(kg.query(SUBJECT_COUNT)))["n"])
        entities = distinct - union.outside
        stats.examples = [union.examples[kind] for kind in EXAMPLE_KINDS if kind in union.examples]
    found = {
        "triples": sum(stats.properties.values()),
        "entities": entities,
        "distinctSubjects": distinct,
        "distinctObjects": _number(next(iter(kg.query(OBJECTS)))["n"]),
        "classes": classes,
        "properties": len(stats.properties),
    }
    stats.counts = {name: found[name] for name in COUNT_NAMES}
    for target in LINK_TARGETS:
        stats.links[target.slug] = count_links(kg, target)
    return stats


#: The name under which a graph remembers :func:`class_counts`.
CLASS_COUNTS = "void: entities by class"


def class_counts(kg: KnowledgeGraph) -> list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal, int]]:
    """The distinct subjects of each class (``rdf:type`` object), most first, then by the
    class as SPARQL orders terms: one GROUP BY over every typed statement, asked once a build
    (the dataset description and the home page both show it; 1.9 s at 3.8 million quads)."""
    found = kg.remembered(CLASS_COUNTS)
    if found is None:
        rank = {ox.BlankNode: 0, ox.NamedNode: 1}
        rows = [(row["c"], _number(row["n"])) for row in kg.query(CLASS_PARTITIONS)]
        found = sorted(rows, key=lambda row: (-row[1], rank.get(type(row[0]), 2), row[0].value))
        kg.remember(CLASS_COUNTS, found)
    assert isinstance(found, list)
    return found


def property_partitions(kg: KnowledgeGraph, union: SortedUnion | None) -> dict[str, int]:
    """Distinct triples by predicate: quads by predicate less the copies of statements held
    more than once, where the dumps found them, else counted with a DISTINCT."""
    if union is None:
        return {row["p"].value: _number(row["n"]) for row in kg.query(PROPERTY_PARTITIONS)}
    counts = {row["p"].value: _number(row["n"]) for row in kg.query(PROPERTY_QUADS)}
    for line in union.repeated:
        counts[line.split(b" ", 2)[1][1:-1].decode("utf-8")] -= 1
    return counts


def count_links(kg: KnowledgeGraph, target: LinkTarget) -> int:
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE "
        f"{{ ?s <{target.predicate}> ?o "
        f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{target.uri_space}")) }} }}'
    )
    return _number(next(iter(kg.query(query)))["n"])


def example_resources(kg: KnowledgeGraph, kinds: tuple[str, ...] = EXAMPLE_KINDS) -> list[str]:
    """The first entity (by IRI) of each of a few kinds, for ``void:exampleResource``."""
    query = (
        "SELECT ?kind (MIN(STR(?s)) AS ?first) WHERE { ?s a ?c "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}") && !CONTAINS(STR(?s), "#")) '
        f'BIND(STRBEFORE(STRAFTER(STR(?s), "{ID}"), "/") AS ?kind) }} GROUP BY ?kind'
    )
    first = {row["kind"].value: row["first"].value for row in kg.query(query) if row["first"] is not None}
    return [first[kind] for kind in kinds if kind in first]


def vocabularies(stats: Statistics) -> list[str]:
    """The namespaces (of the prefix table) of every class and property used."""
    namespaces = sorted(PREFIXES.values(), key=len, reverse=True)
    used = set()
    for iri in [*stats.classes, *stats.properties]:
        for namespace in namespaces:
            if iri.startswith(namespace) and not namespace.startswith(ID):
                used.add(namespace)
                break
    return sorted(used)


def _number(term: ox.Literal) -> int:
    return int(term.value)
