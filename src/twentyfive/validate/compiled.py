"""SHACL Core compiled to SPARQL and run once over the whole graph on pyoxigraph.

pyshacl walks every focus node in Python (about 1,000 triples a second on this machine); at
archive scale that is minutes. Here each constraint of a shape becomes one SPARQL query that
finds all its violations at once (set-based, linear in the data), and the rows become the
same findings pyshacl's report gives: shape, focus node, path, value, severity, message. A
whole run does not run those queries one by one: validate/screening.py finds the same rows in
a few passes (one per target, one per path), and a check's own query runs only on the nodes a
pass found. The class hierarchy is read from the graph once per run and written into the
queries (``?focus rdf:type <class>`` for each subclass, instead of a path on every row).

Compiled: targets (``sh:targetClass`` with subclasses, implicit class targets,
``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``), every SHACL path, the
value components (``sh:class sh:datatype sh:nodeKind sh:pattern sh:flags sh:in
sh:languageIn`` and the ranges and lengths), the counts (``sh:minCount sh:maxCount
sh:hasValue sh:uniqueLang``, ``sh:qualifiedValueShape`` with its min, max and disjoint
parameters) and the shape-based ones (``sh:node sh:or sh:and sh:not sh:xone``), whose shapes
nest as SPARQL conditions (validate/shape_sparql.py). As in pyshacl, a nested shape is
reported by the outer constraint, on the outer focus node. A node shape that uses anything
else (``sh:sparql``, ``sh:closed``, ``sh:equals``, …) hands the run to pyshacl.
pyshacl stays the reference: tests/validate/test_compiled_engine.py holds the two engines to
identical findings.

``run_compiled(..., focus=...)`` validates only the given focus nodes (the incremental
validation of validate/incremental.py uses it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from twentyfive.graph import KnowledgeGraph, to_rdflib
from twentyfive.problems import Finding, Severity
from twentyfive.validate.shacl import compact
from twentyfive.validate.screening import rows, violations
from twentyfive.validate.shape_sparql import RDF_TYPE, SEVERITY, ShapeSparql, Subclasses, Unsupported, sparql_term

#: Where a check's query takes its focus nodes (all of them, or only some).
_TARGET = "#TARGET#"


@dataclass(frozen=True)
class Screen:
    """A pass over every statement along a path, in the whole graph, that finds a superset of a
    check's focus nodes (validate/screening.py): ``value`` (a value fails ``test``), ``max``
    (more than ``count`` values pass ``test``, or any value when there is no test) or
    ``unique-lang``. Checks with equal ``path`` and ``key`` share one pass."""

    kind: str
    path: str  # a SPARQL path
    test: str | None  # an expression of ?value
    key: str  # the test written with the first fresh variable names: equal tests, equal keys
    count: int = 0


@dataclass(frozen=True)
class Target:
    """The focus nodes of a shape: each of ``parts`` is a group binding ?focus to some of them;
    ``each`` binds ?focus to all, perhaps more than once (one class without subclasses: one
    row per graph that types the node), and costs less than the ``pattern`` of each once."""

    parts: tuple[str, ...]
    each: str

    @property
    def pattern(self) -> str:
        """A group binding ?focus to each focus node once."""
        return _each_once(self.parts)

    def among(self, focus: Iterable[str]) -> str:
        """A group binding ?focus to each of the IRIs ``focus`` that is a focus node. (Tested
        one by one: a long VALUES block joined with a class's instances costs their product.)"""
        listed = " ".join(f"<{iri}>" for iri in focus)
        tests = " || ".join(f"EXISTS {part}" for part in self.parts)
        return f"{{ SELECT ?focus WHERE {{ VALUES ?focus {{ {listed} }} FILTER({tests}) }} }}"


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows (?focus, ?value) are violations, and how a
    whole run finds the same rows in fewer passes: a ``flag`` (an expression of ?focus, true
    exactly when the query reports ?focus) evaluated with the other flags of the same
    ``target``, or a ``screen``. A check with neither runs its query over the whole graph."""

    shape: rdflib.term.Node
    severity: Severity
    message: str
    path: str | None  # the predicate IRI when the path is one (as pyshacl reports it)
    query: str
    reports_value: bool
    target: Target = Target((), "")
    flag: str | None = None
    screen: Screen | None = None

    @property
    def rule(self) -> str:
        return compact(self.shape) if isinstance(self.shape, rdflib.URIRef) else "shape:(anonymous)"

    def sparql(self, focus: Iterable[str] | None = None) -> str:
        """The query, over every focus node or only those in ``focus`` (IRIs)."""
        return self.query.replace(_TARGET, self.target.pattern if focus is None else self.target.among(sorted(set(focus))))


@dataclass
class Plan:
    checks: list[Check] = field(default_factory=list)
    fallback: list[rdflib.term.Node] = field(default_factory=list)  # node shapes left to pyshacl


def compile_shapes(shapes: rdflib.Graph, subclasses: Subclasses | None = None) -> Plan:
    """The checks of every shape that has targets; shapes that cannot be compiled go to pyshacl.

    ``subclasses``: the data's class hierarchy, resolved into the queries (without it, they
    follow ``rdfs:subClassOf*`` themselves; which shapes compile does not depend on it)."""
    plan = Plan()
    sparql = ShapeSparql(shapes, subclasses)
    for shape in sorted(_shapes_with_targets(shapes), key=str):
        if _true(shapes.value(shape, SH.deactivated)):
            continue
        if shapes.value(shape, SH.path) is not None:  # a property shape with its own targets
            parts = [shape]
        else:
            parts = [None, *(p for p in shapes.objects(shape, SH.property) if not _true(shapes.value(p, SH.deactivated)))]
        try:
            target = _target_pattern(sparql, shape)
            checks = [c for part in parts for c in _checks(sparql, part or shape, target, part is None)]
        except Unsupported:
            plan.fallback.append(shape)
            continue
        plan.checks += checks
    return plan


def run_compiled(kg: KnowledgeGraph, shapes: rdflib.Graph, focus: Iterable[str] | None = None) -> list[Finding]:
    """Every finding of ``shapes`` over the union of ``kg``'s graphs (on ``focus`` only, if given).

    A whole run finds the rows of all the checks in a few passes (validate/screening.py); on
    given focus nodes, each check's query runs restricted to them."""
    if len(shapes) == 0:
        return []
    plan = compile_shapes(shapes, Subclasses.of(kg))
    if plan.fallback:
        return _run_fallback(kg, shapes, plan)
    if focus is None:
        found = violations(kg, plan.checks)
    else:
        restriction = sorted(focus)
        found = [list(rows(kg, check, restriction)) for check in plan.checks]
    findings: list[Finding] = []
    for check, pairs in zip(plan.checks, found):
        rule = check.rule
        for node, value in pairs:
            origin = kg.origin(node.value) if isinstance(node, ox.NamedNode) else None
            findings.append(
                Finding(
                    check.severity,
                    rule,
                    check.message,
                    path=origin.path if origin else None,
                    line=origin.line if origin else None,
                    focus=node.value,
                    value=_n3(value) if value is not None else None,
                    predicate=check.path,
                )
            )
    return findings


# --- compiling ---------------------------------------------------------------------------


def _shapes_with_targets(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    found: set[rdflib.term.Node] = set()
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found.update(shapes.subjects(predicate, None))
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
            found.add(shape)
    return found


def _target_pattern(sparql: ShapeSparql, shape: rdflib.term.Node) -> Target:
    """The SPARQL of the focus nodes of ``shape``."""
    shapes = sparql.shapes
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        classes.append(shape)
    closures = [sparql.classes(c) for c in classes]
    known = all(closure is not None for closure in closures)
    if known:  # each class and subclass once
        listed = sorted({member for closure in closures for member in closure or ()})
        parts = [f"{{ ?focus {RDF_TYPE} {c} }}" for c in listed]
    else:
        parts = [f"{{ {sparql.instance('?focus', c)} }}" for c in classes]
    one_class = known and len(parts) == 1
    parts += [f"{{ VALUES ?focus {{ {sparql_term(n)} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    parts += [f"{{ ?focus {sparql_term(p)} ?any }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ ?any {sparql_term(p)} ?focus }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return Target(tuple(parts), parts[0] if one_class and len(parts) == 1 else _each_once(parts))


def _each_once(parts: Iterable[str]) -> str:
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {' UNION '.join(parts)} }} }}"


def _checks(sparql: ShapeSparql, shape: rdflib.term.Node, targets: Target, node_level: bool) -> list[Check]:
    """One check per constraint of ``shape`` on the focus nodes of ``target``."""
    shapes = sparql.shapes
    severity = SEVERITY.get(shapes.value(shape, SH.severity), Severity.VIOLATION)
    messages = [str(m) for m in shapes.objects(shape, SH.message)]
    path_node = None if node_level else shapes.value(shape, SH.path)
    reported_path = str(path_node) if isinstance(path_node, rdflib.URIRef) else None
    path = None if node_level else sparql.path(path_node)
    bounded = not node_level and sparql.bounded(path_node)
    values = "BIND(?focus AS ?value)" if node_level else f"?focus {path} ?value"
    target = _TARGET
    checks = []
    for constraint in sparql.constraints(shape):
        reports_value = constraint.kind == "value"
        test = constraint.test("?value") if constraint.test else None
        if constraint.kind == "value":
            query = f"SELECT DISTINCT ?focus ?value WHERE {{ {target} {values} FILTER({test}) }}"
        elif constraint.kind == "has" and node_level:
            query = f"SELECT ?focus WHERE {{ {target} FILTER(!sameTerm(?focus, {constraint.required})) }}"
        elif constraint.kind == "has":
            query = f"SELECT ?focus WHERE {{ {target} FILTER NOT EXISTS {{ ?focus {path} {constraint.required} }} }}"
        elif constraint.kind == "min":
            counted = f"{values} FILTER({test})" if test else values
            query = (f"SELECT ?focus WHERE {{ {target} OPTIONAL {{ {counted} }} }} "
                     f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {constraint.count})")
        elif constraint.kind == "max":
            counted = f"{values} FILTER({test})" if test else values
            query = (f"SELECT ?focus WHERE {{ {target} {counted} }} "
                     f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {constraint.count})")
        else:  # unique-lang: one finding per language tag used twice, as pyshacl reports it
            query = (f"SELECT ?focus WHERE {{ {target} {values} FILTER(isLiteral(?value) && lang(?value) != \"\") "
                     f"BIND(LCASE(lang(?value)) AS ?language) }} GROUP BY ?focus ?language HAVING (COUNT(DISTINCT ?value) > 1)")
        flag, screen = None, None
        if node_level:  # a value test or sh:hasValue on the focus node itself
            flag = f"!sameTerm(?focus, {constraint.required})" if constraint.kind == "has" else constraint.test("?focus")
        elif constraint.kind == "has":
            flag = f"NOT EXISTS {{ ?focus {path} {constraint.required} }}"
        elif constraint.kind == "min":
            flag = _fewer_than(sparql, constraint.count, path, constraint.test)
        elif bounded:
            key = sparql.canonical(constraint.test) if constraint.test else None
            screen = Screen(constraint.kind, path, test, key or "", constraint.count)
        checks.append(Check(shape, severity, messages[0] if messages else constraint.default, reported_path, query,
                            reports_value, targets, flag, screen))
    return checks


def _fewer_than(sparql: ShapeSparql, count: int, path: str, test) -> str | None:
    """True when ?focus has fewer than ``count`` values along ``path`` (passing ``test``)."""
    try:
        return f"!({sparql.at_least(count, '?focus', path, test)})"
    except Unsupported:  # too many values to join: the check runs its own query
        return None


def _true(node: rdflib.term.Node | None) -> bool:
    return isinstance(node, rdflib.Literal) and node.toPython() is True


def _n3(term: object) -> str:
    """A value written as pyshacl's report writes it (rdflib's ``n3()`` of the same term)."""
    return to_rdflib(term).n3()


# --- the fallback: pyshacl on the focus nodes of the shapes not compiled -------------------


def _run_fallback(kg: KnowledgeGraph, shapes: rdflib.Graph, plan: Plan) -> list[Finding]:
    """pyshacl over the whole graph with every shape, when some shape is not compiled.

    Running pyshacl on only the shapes not compiled does not report what it reports with all
    shapes: ``use_shapes`` also filters out the property and nested shapes they name, and
    ``focus_nodes`` also filters the value nodes a nested shape is checked on. So a shape
    that uses ``sh:sparql``, ``sh:closed``, a property pair constraint, … hands the whole run
    to the reference engine (none of the project's shapes does).
    """
    from twentyfive.validate.shacl import run_shacl

    return run_shacl(kg, shapes)
