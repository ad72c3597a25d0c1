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
