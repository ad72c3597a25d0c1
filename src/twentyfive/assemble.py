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
from twentyfive.namespaces import GRAPH_DERIVED, PREFIXES, sparql_prologue


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


#: A kind of statement: its property and, for ``rdf:type``, its class (None: any).
Kind = tuple[str | None, str | None]
RDF_TYPE = PREFIXES["rdf"] + "type"


@dataclass(frozen=True)
class Rule:
    """One derivation: a name people can look up, what it means, the triple patterns it derives
    (one triple each, its subject first: ``?person org:memberOf ?org``) and the pattern they
    follow from (the WHERE clause, over the union of the graphs).

    ``reads`` names the statements the pattern reads — properties (``org:member``), or ``a``
    with a class (``a org:Membership``); None, the default, for any — so that the rule is run
    again only after a statement of such a kind was derived (tests/test_assemble.py checks
    each rule's list against its pattern)."""

    name: str
    meaning: str
    derives: tuple[str, ...]
    where: str
    reads: tuple[str, ...] | None = None

    def read_kinds(self) -> list[Kind] | None:
        """``reads`` as kinds of statement (None: any)."""
        if self.reads is None:
            return None
        kinds = []
        for text in self.reads:
            predicate, *rest = text.split()
            kinds.append(_kind(_term(predicate), _term(rest[0]) if rest else None))
        return kinds

    def derived_kinds(self, ntriples: bytes) -> set[Kind]:
        """The kinds of statement in ``ntriples`` (what the rule just derived): from its patterns,
        and from the lines themselves where a pattern's property is a variable."""
        kinds: set[Kind] = set()
        for pattern in self.derives:
            _, predicate, obj = pattern.split(None, 2)
            if _term(predicate) is not None:
                kinds.add(_kind(_term(predicate), _term(obj)))
                continue
            for line in ntriples.splitlines():  # "<s> <p> object ." (only a rule of few lines has these)
                _, predicate, obj = line.split(b" ", 2)
                iri = predicate[1:-1].decode("utf-8")
                kinds.add(_kind(iri, obj[1:obj.index(b">")].decode("utf-8") if iri == RDF_TYPE and obj[:1] == b"<" else None))
        return kinds

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
#: first round derives everything; a second runs only the rules that read a kind of statement
#: derived after their first run (here share-from-count, which reads any), and finds nothing.
RULES: list[Rule] = [
    Rule(
        "inverse-sub-organization",
        "an organisation that is part of another is listed among that one's sub-organisations",
        ("?parent org:hasSubOrganization ?child",),
        "?child org:subOrganizationOf ?parent",
        reads=("org:subOrganizationOf",),
    ),
    Rule(
        "inverse-has-part",
        "a part of a work (or of anything) names what it is part of, and the other way round",
        ("?part schema:isPartOf ?whole", "?whole schema:hasPart ?part"),
        "{ ?whole schema:hasPart ?part } UNION { ?part schema:isPartOf ?whole }",
        reads=("schema:hasPart", "schema:isPartOf"),
    ),
    Rule(
        "membership-shortcut",
        "an org:Membership implies the direct org:memberOf link",
        ("?person org:memberOf ?org",),
        "?m a org:Membership ; org:member ?person ; org:organization ?org",
        reads=("a org:Membership", "org:member", "org:organization"),
    ),
    Rule(
        "inverse-member",
        "an organisation lists the people who are its members",
        ("?org org:hasMember ?person",),
        "?person org:memberOf ?org",
        reads=("org:memberOf",),
    ),
    Rule(
        "in-scheme-top-concept",
        "a concept scheme lists the concepts in it that have no broader concept as top concepts",
        ("?scheme skos:hasTopConcept ?c", "?c skos:topConceptOf ?scheme"),
        "?c skos:inScheme ?scheme . FILTER NOT EXISTS { ?c skos:broader ?b }",
        reads=("skos:inScheme", "skos:broader"),
    ),
    Rule(
        "share-from-count",
        "a count of persons with a base population gives their share of it (in per cent, to one "
        "decimal), as an observation <count#share> of the same cube when its structure has the "
        "measure tft:share beside qb:measureType; approximate when either figure is",
        SHARE_FROM_COUNT_DERIVES,
        SHARE_FROM_COUNT_WHERE,  # reads any statement: a dimension's property is a variable
    ),
]


def assemble(kg: KnowledgeGraph, rules: list[Rule] | None = None) -> dict[str, int]:
    """Run the rules (to a fixed point) and return how many triples each one added.

    A rule is run again only when something it reads (:attr:`Rule.reads`) was derived since its
    last run: else it could only find what it derived then, stated now."""
    added: dict[str, int] = {}
    derived = ox.NamedNode(GRAPH_DERIVED)
    prologue = sparql_prologue()
    rules = RULES if rules is None else rules
    runs: list[set[Kind]] = []  # what each run of a rule derived, in order
    last_run: dict[int, int] = {}  # rule (by position) -> how many runs there were before its last
    for _ in range(5):  # the rules are shallow; a few rounds reach the fixed point
        new_this_round = 0
        for position, rule in enumerate(rules):
            added.setdefault(rule.name, 0)
            if position in last_run and not _reads_any(rule.read_kinds(), runs[last_run[position]:]):
                continue
            last_run[position] = len(runs)
            # N-Triples straight from the engine: one line a triple, no Python object each; the
            # engine wrote them, so their IRIs need no check when they are read back
            fresh = kg.query(prologue + rule.fresh()).serialize(format=ox.RdfFormat.N_TRIPLES)
            count = fresh.count(b"\n")
            if count:
                kg.store.load(fresh, format=ox.RdfFormat.N_TRIPLES, to_graph=derived, lenient=True)
            runs.append(rule.derived_kinds(fresh) if count else set())
            added[rule.name] += count
            new_this_round += count
        if not new_this_round:
            break
    return added


def _reads_any(reads: list[Kind] | None, runs: list[set[Kind]]) -> bool:
    """Whether a rule that reads ``reads`` can see anything those runs derived."""
    derived = set().union(*runs)
    if reads is None:
        return bool(derived)
    return any(_overlap(read, kind) for read in reads for kind in derived)


def _overlap(one: Kind, other: Kind) -> bool:
    """Whether a statement can be of both kinds (None matches anything)."""
    return all(a is None or b is None or a == b for a, b in zip(one, other))


def _kind(predicate: str | None, obj: str | None) -> Kind:
    return (predicate, obj if predicate == RDF_TYPE else None)


def _term(token: str) -> str | None:
    """A term of a pattern (``a``, ``<iri>``, ``prefix:name``) as an IRI; None for a variable."""
    if token.startswith(("?", "$")):
        return None
    if token == "a":
        return RDF_TYPE
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    prefix, _, local = token.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else token
