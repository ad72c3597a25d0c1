"""Assemble stage: add the facts that follow from the curated ones.

Each rule is a SPARQL CONSTRUCT over the union of the graphs; what it derives goes into the
graph ``graph/derived`` (never into a curated graph), and is added only where it is not
already stated. The rules run on pyoxigraph, so their cost grows with the data, not its square.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import GRAPH_DERIVED, sparql_prologue


#: The share that follows from a count and its base ("approx. 16,000" of 23,409 = approx. 68.3 %).
SHARE_FROM_COUNT = """
CONSTRUCT {
  ?share a qb:Observation ; qb:dataSet ?dataset ; ?dimension ?code ;
      qb:measureType tft:share ; tft:share ?value ; sdmx-attribute:unitMeasure unit:PERCENT ;
      tft:base ?base ; tft:approximate ?approximate ; tft:derived true ;
      prov:wasDerivedFrom ?count , ?base ; rdfs:label ?labelEn , ?labelRu .
} WHERE {
  ?count qb:dataSet ?dataset ; qb:measureType tft:personCount ; tft:personCount ?n ; tft:base ?base .
  ?base tft:personCount ?total .
  ?dataset qb:structure ?structure .
  ?structure qb:component/(qb:measure|qb:componentProperty) tft:share .
  ?structure qb:component/(qb:dimension|qb:componentProperty) ?dimension .
  FILTER(?dimension != qb:measureType)
  ?count ?dimension ?code .
  FILTER(isIRI(?count) && !CONTAINS(STR(?count), "#") && ?total > 0)
  BIND(IRI(CONCAT(STR(?count), "#share")) AS ?share)
  BIND(STRDT(STR(ROUND(?n * 1000 / ?total) / 10), xsd:decimal) AS ?value)
  BIND(EXISTS { ?count tft:approximate true } || EXISTS { ?base tft:approximate true } AS ?approximate)
  OPTIONAL { ?count rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?count rdfs:label ?ru FILTER(langMatches(lang(?ru), "ru")) }
  BIND(STRLANG(CONCAT(?en, ": share (derived)"), "en") AS ?labelEn)
  BIND(STRLANG(CONCAT(?ru, ": доля (вычислено)"), "ru") AS ?labelRu)
}
"""


@dataclass(frozen=True)
class Rule:
    """One derivation: a name people can look up, what it means, and its CONSTRUCT query."""

    name: str
    meaning: str
    construct: str


#: In the order one feeds the next (the shortcut's org:memberOf before its inverse), so the
#: first round derives everything and the second only confirms the fixed point.
RULES: list[Rule] = [
    Rule(
        "inverse-sub-organization",
        "an organisation that is part of another is listed among that one's sub-organisations",
        "CONSTRUCT { ?parent org:hasSubOrganization ?child } "
        "WHERE { ?child org:subOrganizationOf ?parent }",
    ),
    Rule(
        "inverse-has-part",
        "a part of a work (or of anything) names what it is part of, and the other way round",
        "CONSTRUCT { ?part schema:isPartOf ?whole . ?whole schema:hasPart ?part } "
        "WHERE { { ?whole schema:hasPart ?part } UNION { ?part schema:isPartOf ?whole } }",
    ),
    Rule(
        "membership-shortcut",
        "an org:Membership implies the direct org:memberOf link",
        "CONSTRUCT { ?person org:memberOf ?org } "
        "WHERE { ?m a org:Membership ; org:member ?person ; org:organization ?org }",
    ),
    Rule(
        "inverse-member",
        "an organisation lists the people who are its members",
        "CONSTRUCT { ?org org:hasMember ?person } WHERE { ?person org:memberOf ?org }",
    ),
    Rule(
        "in-scheme-top-concept",
        "a concept scheme lists the concepts in it that have no broader concept as top concepts",
        "CONSTRUCT { ?scheme skos:hasTopConcept ?c . ?c skos:topConceptOf ?scheme } "
        "WHERE { ?c skos:inScheme ?scheme . FILTER NOT EXISTS { ?c skos:broader ?b } }",
    ),
    Rule(
        "share-from-count",
        "a count of persons with a base population gives their share of it (in per cent, to one "
        "decimal), as an observation <count#share> of the same cube when its structure has the "
        "measure tft:share beside qb:measureType; approximate when either figure is",
        SHARE_FROM_COUNT,
    ),
]


def assemble(kg: KnowledgeGraph, rules: list[Rule] | None = None) -> dict[str, int]:
    """Run the rules (to a fixed point) and return how many triples each one added."""
    added: dict[str, int] = {}
    derived = ox.NamedNode(GRAPH_DERIVED)
    prologue = sparql_prologue()
    for _ in range(5):  # the rules are shallow; a few rounds reach the fixed point
        new_this_round = 0
        for rule in rules if rules is not None else RULES:
            triples = list(kg.query(prologue + rule.construct))
            fresh = [t for t in triples if not _stated(kg.store, t)]
            if fresh:  # as text, loaded in one go: much faster than a quad object each
                kg.store.load(ox.serialize(fresh, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES, to_graph=derived)
            added[rule.name] = added.get(rule.name, 0) + len(fresh)
            new_this_round += len(fresh)
        if not new_this_round:
            break
    return added


def _stated(store: ox.Store, triple: ox.Triple) -> bool:
    return next(iter(store.quads_for_pattern(triple.subject, triple.predicate, triple.object)), None) is not None
