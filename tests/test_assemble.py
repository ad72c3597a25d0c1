"""The assemble stage: each rule adds only what no graph states yet, into graph/derived."""

from __future__ import annotations

import pyoxigraph as ox

from twentyfive.assemble import RULES, Rule, assemble
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import GRAPH_DERIVED, sparql_prologue

EX = "http://example.org/"
SCHEMA = "http://schema.org/"


def _graph(nquads: str) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.store.load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return kg


def _derived(kg: KnowledgeGraph) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_DERIVED))}


def test_a_rule_adds_only_the_triples_no_graph_states():
    """Of the two triples a solution derives, the one a passage states is left out, per triple."""
    kg = _graph(f"""
        <{EX}book> <{SCHEMA}hasPart> <{EX}chapter1> <{EX}g1> .
        <{EX}book> <{SCHEMA}hasPart> <{EX}chapter2> <{EX}g1> .
        <{EX}chapter2> <{SCHEMA}isPartOf> <{EX}book> <{EX}g2> .
        <{EX}chapter3> <{SCHEMA}isPartOf> <{EX}book> <{EX}g2> .
    """)
    added = assemble(kg, [r for r in RULES if r.name == "inverse-has-part"])
    assert _derived(kg) == {
        (f"{EX}chapter1", f"{SCHEMA}isPartOf", f"{EX}book"),
        (f"{EX}book", f"{SCHEMA}hasPart", f"{EX}chapter3"),
    }
    assert added == {"inverse-has-part": 2}


def test_an_unbound_variable_derives_nothing_and_rules_run_to_a_fixed_point():
    """The second rule feeds the first: a second round derives what the first could not."""
    label = Rule("label-of-name", "a name is a label", ("?x <urn:label> ?name",),
                 "?x <urn:kind> ?k OPTIONAL { ?x <urn:name> ?name }")
    name = Rule("name-of-title", "a title is a name", ("?x <urn:name> ?title",), "?x <urn:title> ?title")
    kg = _graph(f"""
        <{EX}a> <urn:kind> "1" <{EX}g> .
        <{EX}a> <urn:title> "A" <{EX}g> .
        <{EX}b> <urn:kind> "1" <{EX}g> .
    """)
    added = assemble(kg, [label, name])
    assert _derived(kg) == {(f"{EX}a", "urn:name", "A"), (f"{EX}a", "urn:label", "A")}
    assert added == {"label-of-name": 1, "name-of-title": 1}


def test_the_fresh_query_derives_what_the_plain_construct_does_minus_what_is_stated():
    kg = _graph(f"""
        <{EX}book> <{SCHEMA}hasPart> <{EX}chapter1> <{EX}g1> .
        <{EX}chapter2> <{SCHEMA}isPartOf> <{EX}book> <{EX}g2> .
        <{EX}book> <{SCHEMA}hasPart> <{EX}chapter2> <{EX}g2> .
    """)
    [rule] = [r for r in RULES if r.name == "inverse-has-part"]
    stated = {(q.subject, q.predicate, q.object) for q in kg.store}
    plain = {(t.subject, t.predicate, t.object) for t in kg.query(sparql_prologue() + rule.construct)}
    fresh = {(t.subject, t.predicate, t.object) for t in kg.query(sparql_prologue() + rule.fresh())}
    assert fresh == plain - stated
    assert fresh  # the case is not empty


def _kinds_read(where: str) -> set[tuple[str | None, str | None]]:
    """Every kind of statement a WHERE clause reads, by rdflib's own parse of it: a property, or
    rdf:type with a class; (None, None) when a property is a variable or a negated set."""
    from rdflib import RDF, URIRef, Variable
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    kinds: set[tuple[str | None, str | None]] = set()

    def path(step: object) -> None:
        if isinstance(step, URIRef):
            kinds.add((str(step), None))
        elif isinstance(step, (SequencePath, AlternativePath)):
            for part in step.args:
                path(part)
        elif isinstance(step, InvPath):
            path(step.arg)
        elif isinstance(step, MulPath):
            path(step.path)
        else:  # a variable or a negated property set: anything
            assert isinstance(step, (Variable, NegatedPath)), step
            kinds.add((None, None))

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name == "BGP":
                for _, predicate, obj in node["triples"]:
                    if predicate == RDF.type and isinstance(obj, URIRef):
                        kinds.add((str(RDF.type), str(obj)))
                    else:
                        path(predicate)
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(prepareQuery(sparql_prologue() + f"SELECT * WHERE {{ {where} }}").algebra)
    return kinds


def test_what_each_rule_says_it_reads_covers_what_its_pattern_reads():
    """A rule is run again only when something it reads was derived: its list must be whole."""
    from twentyfive.assemble import _overlap

    for rule in RULES:
        read = _kinds_read(rule.where)
        assert read, rule.name
        declared = rule.read_kinds()
        if declared is None:
            continue
        for kind in read:
            assert any(d[0] == kind[0] and d[1] in (None, kind[1]) for d in declared), (rule.name, kind)
            assert any(_overlap(d, kind) for d in declared)
    assert _kinds_read("?s ?p ?o") == {(None, None)}
    assert _kinds_read("?s a ?class ; org:member/org:organization ?o") == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", None), ("http://www.w3.org/ns/org#member", None),
        ("http://www.w3.org/ns/org#organization", None)}


def test_a_rule_is_run_again_only_after_something_it_reads_was_derived():
    """The first rule reads what the second derives (a second round for it), the third nothing
    derived (no second run: it would find only what it derived)."""
    calls: list[str] = []

    class Counting(Rule):
        def fresh(self) -> str:
            calls.append(self.name)
            return super().fresh()

    label = Counting("label-of-name", "", ("?x <urn:label> ?name",), "?x <urn:name> ?name", reads=("<urn:name>",))
    name = Counting("name-of-title", "", ("?x <urn:name> ?title",), "?x <urn:title> ?title", reads=("<urn:title>",))
    kind = Counting("kind", "", ("?x a <urn:Thing>",), "?x <urn:kind> ?k", reads=("<urn:kind>",))
    kg = _graph(f"""
        <{EX}a> <urn:title> "A" <{EX}g> .
        <{EX}a> <urn:kind> "1" <{EX}g> .
    """)
    assert assemble(kg, [label, name, kind]) == {"label-of-name": 1, "name-of-title": 1, "kind": 1}
    assert calls == ["label-of-name", "name-of-title", "kind", "label-of-name"]
    assert (f"{EX}a", "urn:label", "A") in _derived(kg)
