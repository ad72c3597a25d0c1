"""VoID statistics of a graph, counted by SPARQL on pyoxigraph at build time (never typed in).

Every figure is over the union of the named graphs, with each triple counted once (a
statement supported by two passages is one triple), which is exactly what the triple dumps
hold. The link sets count the links out per target dataset (Wikidata, Wikipedia, DBpedia).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import ID, PREFIXES

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


def count(kg: KnowledgeGraph) -> Statistics:
    """Count everything with SPARQL over the union of the named graphs."""
    stats = Statistics()
    classes = 0
    for row in kg.query(CLASS_PARTITIONS):
        classes += 1
        if isinstance(row["c"], ox.NamedNode):
            stats.classes[row["c"].value] = _number(row["n"])
    stats.properties = property_partitions(kg)
    subjects = next(iter(kg.query(SUBJECTS)))
    found = {
        "triples": sum(stats.properties.values()),
        "entities": _number(subjects["entities"]),
        "distinctSubjects": _number(subjects["subjects"]),
        "distinctObjects": _number(next(iter(kg.query(OBJECTS)))["n"]),
        "classes": classes,
        "properties": len(stats.properties),
    }
    stats.counts = {name: found[name] for name in COUNT_NAMES}
    for target in LINK_TARGETS:
        stats.links[target.slug] = count_links(kg, target)
    return stats


def property_partitions(kg: KnowledgeGraph) -> dict[str, int]:
    """Distinct triples by predicate: quads by predicate less the copies of statements held
    more than once, where ``kg`` remembers them, else counted with a DISTINCT."""
    repeated = kg.repeated_triples()
    if repeated is None:
        return {row["p"].value: _number(row["n"]) for row in kg.query(PROPERTY_PARTITIONS)}
    counts = {row["p"].value: _number(row["n"]) for row in kg.query(PROPERTY_QUADS)}
    for line in repeated:
        counts[line.split(b" ", 2)[1][1:-1].decode("utf-8")] -= 1
    return counts


def count_links(kg: KnowledgeGraph, target: LinkTarget) -> int:
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE "
        f"{{ ?s <{target.predicate}> ?o "
        f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{target.uri_space}")) }} }}'
    )
    return _number(next(iter(kg.query(query)))["n"])


def example_resources(
    kg: KnowledgeGraph,
    kinds: tuple[str, ...] = ("person", "organization", "event", "concept", "place", "work"),
) -> list[str]:
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
