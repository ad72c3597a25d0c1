"""Assemble stage: add the facts that follow from the curated ones.

Each rule derives triple patterns from a SPARQL pattern over the union of the graphs; what it
derives goes into the graph ``graph/derived`` (never into a curated graph), and is added only
where it is not already stated. The rules run on pyoxigraph, so their cost grows with the data,
not its square: each is one CONSTRUCT whose every derived triple carries its own "not stated
yet" test (see :meth:`Rule.fresh`), and its result goes to the store as N-Triples text, never
as a Python object per triple.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import GRAPH_DERIVED, sparql_prologue


#: The share that follows from a count and its base ("approx. 16,000" of 23,409 = approx. 68.3 %).
SHARE_FROM_COUNT_DERIVES = (
    "?share a qb:Observation",
    "?share qb:dataSet ?dataset",
    "?share ?dimension ?code",
    "?share qb:measureType tft:share",
    "?share tft:share ?value",
    "?share sdmx-attribute:unitMeasure unit:PERCENT",
    "?share tft:base ?base",
    "?share tft:approximate ?approximate",
    "?share tft:derived true",
    "?share prov:wasDerivedFrom ?count",
    "?share prov:wasDerivedFrom ?base",
    "?share rdfs:label ?labelEn",
    "?share rdfs:label ?labelRu",
)
SHARE_FROM_COUNT_WHERE = """
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
"""


@dataclass(frozen=True)
class Rule:
    """One derivation: a name people can look up, what it means, the triple patterns it derives
    (one triple each, its subject first: ``?person org:memberOf ?org``) and the pattern they
    follow from (the WHERE clause, over the union of the graphs)."""

    name: str
    meaning: str
    derives: tuple[str, ...]
    where: str

    @property
    def construct(self) -> str:
        """The rule as one CONSTRUCT query, whatever is stated already."""
        return f"CONSTRUCT {{ {' . '.join(self.derives)} }} WHERE {{ {self.where} }}"

    def fresh(self) -> str:
        """The CONSTRUCT of what is not stated yet: each derived triple gets a subject of its own,
        bound only where no graph states that triple (an unbound subject leaves the triple out
        of the result, as CONSTRUCT does with any unbound variable)."""
        template, checks = [], []
        for number, pattern in enumerate(self.derives):
            subject, rest = pattern.split(None, 1)
            template.append(f"?_fresh{number} {rest}")
            checks.append(f"BIND(IF(EXISTS {{ {pattern} }}, ?_stated, {subject}) AS ?_fresh{number})")
        return f"CONSTRUCT {{ {' . '.join(template)} }} WHERE {{ {{ {self.where} }} {' '.join(checks)} }}"


#: In the order one feeds the next (the shortcut's org:memberOf before its inverse), so the
#: first round derives everything and the second only confirms the fixed point.
RULES: list[Rule] = [
    Rule(
        "inverse-sub-organization",
        "an organisation that is part of another is listed among that one's sub-organisations",
        ("?parent org:hasSubOrganization ?child",),
        "?child org:subOrganizationOf ?parent",
    ),
    Rule(
        "inverse-has-part",
        "a part of a work (or of anything) names what it is part of, and the other way round",
        ("?part schema:isPartOf ?whole", "?whole schema:hasPart ?part"),
        "{ ?whole schema:hasPart ?part } UNION { ?part schema:isPartOf ?whole }",
    ),
    Rule(
        "membership-shortcut",
        "an org:Membership implies the direct org:memberOf link",
        ("?person org:memberOf ?org",),
        "?m a org:Membership ; org:member ?person ; org:organization ?org",
    ),
    Rule(
        "inverse-member",
        "an organisation lists the people who are its members",
        ("?org org:hasMember ?person",),
        "?person org:memberOf ?org",
    ),
    Rule(
        "in-scheme-top-concept",
        "a concept scheme lists the concepts in it that have no broader concept as top concepts",
        ("?scheme skos:hasTopConcept ?c", "?c skos:topConceptOf ?scheme"),
        "?c skos:inScheme ?scheme . FILTER NOT EXISTS { ?c skos:broader ?b }",
    ),
    Rule(
        "share-from-count",
        "a count of persons with a base population gives their share of it (in per cent, to one "
        "decimal), as an observation <count#share> of the same cube when its structure has the "
        "measure tft:share beside qb:measureType; approximate when either figure is",
        SHARE_FROM_COUNT_DERIVES,
        SHARE_FROM_COUNT_WHERE,
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
            # N-Triples straight from the engine: one line a triple, no Python object each; the
            # engine wrote them, so their IRIs need no check when they are read back
            fresh = kg.query(prologue + rule.fresh()).serialize(format=ox.RdfFormat.N_TRIPLES)
            count = fresh.count(b"\n")
            if count:
                kg.store.load(fresh, format=ox.RdfFormat.N_TRIPLES, to_graph=derived, lenient=True)
            added[rule.name] = added.get(rule.name, 0) + count
            new_this_round += count
        if not new_this_round:
            break
    return added
