"""SHACL Core compiled to SPARQL and run once over the whole graph on pyoxigraph.

pyshacl walks every focus node in Python (about 1,000 triples a second on this machine); at
archive scale that is minutes. Here each constraint of a shape becomes one SPARQL query that
finds all its violations at once (set-based, linear in the data), and the rows become the
same findings pyshacl's report gives: shape, focus node, path, value, severity, message.

Compiled: targets (``sh:targetClass`` with subclasses, implicit class targets,
``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``), predicate and inverse
paths, and the components ``sh:class sh:datatype sh:nodeKind sh:minCount sh:maxCount
sh:pattern sh:flags sh:in sh:hasValue sh:languageIn sh:minInclusive sh:maxInclusive
sh:minExclusive sh:maxExclusive sh:minLength sh:maxLength``. A node shape that uses anything
else (``sh:node``, ``sh:or``, ``sh:sparql``, ``sh:uniqueLang``, complex paths, …) is left to
pyshacl, which then validates only the focus nodes that shape targets, on the part of the
graph around them. pyshacl stays the reference: tests/validate/test_compiled.py holds the two
engines to identical findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from twentyfive.graph import KnowledgeGraph, from_rdflib, to_rdflib
from twentyfive.problems import Finding, Severity
from twentyfive.validate.shacl import compact

_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
_TYPE_PATH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Datatypes whose lexical forms SPARQL can check by casting (ill-formed literals fail sh:datatype).
_CASTABLE = {_XSD + t for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time")}
_NODE_KIND = {
    SH.IRI: "!isIRI(?value)",
    SH.BlankNode: "!isBlank(?value)",
    SH.Literal: "!isLiteral(?value)",
    SH.BlankNodeOrIRI: "isLiteral(?value)",
    SH.BlankNodeOrLiteral: "isIRI(?value)",
    SH.IRIOrLiteral: "isBlank(?value)",
}
_RANGE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_LENGTH = {SH.minLength: ">=", SH.maxLength: "<="}
#: Parameters that describe a shape rather than constrain it.
_DESCRIPTIVE = {
    RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property,
    SH.path, SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH.defaultValue, SH.flags, RDFS.label, RDFS.comment, RDFS.isDefinedBy, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#definition"),
}
_COMPILED = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.pattern, SH["in"], SH.hasValue,
    SH.languageIn, *_RANGE, *_LENGTH,
}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows (?focus, ?value) are violations."""

    shape: rdflib.term.Node
    severity: Severity
    message: str
    path: str | None  # the predicate IRI when the path is one (as pyshacl reports it)
    query: str
    reports_value: bool


@dataclass
class Plan:
    checks: list[Check] = field(default_factory=list)
    fallback: list[rdflib.term.Node] = field(default_factory=list)  # node shapes left to pyshacl


def compile_shapes(shapes: rdflib.Graph) -> Plan:
    """The checks of every shape that has targets; shapes that cannot be compiled go to pyshacl."""
    plan = Plan()
    for shape in sorted(_shapes_with_targets(shapes), key=str):
        if _true(shapes.value(shape, SH.deactivated)):
            continue
        target = _target_pattern(shapes, shape)
        property_shapes = [p for p in shapes.objects(shape, SH.property) if not _true(shapes.value(p, SH.deactivated))]
        if not _compilable(shapes, shape, node_level=shapes.value(shape, SH.path) is None) or not all(
            _compilable(shapes, p, node_level=False) for p in property_shapes
        ):
            plan.fallback.append(shape)
            continue
        if shapes.value(shape, SH.path) is not None:  # a property shape with its own targets
            property_shapes, node_checks = [shape], []
        else:
            node_checks = _checks(shapes, shape, target, None)
        plan.checks += node_checks
        for property_shape in property_shapes:
            plan.checks += _checks(shapes, property_shape, target, shapes.value(property_shape, SH.path))
    return plan


def run_compiled(kg: KnowledgeGraph, shapes: rdflib.Graph) -> list[Finding]:
    """Every finding of ``shapes`` over the union of ``kg``'s graphs."""
    if len(shapes) == 0:
        return []
    plan = compile_shapes(shapes)
    if plan.fallback:
        return _run_fallback(kg, shapes, plan)
    findings: list[Finding] = []
    for check in plan.checks:
        for row in kg.query(check.query):
            focus = row["focus"]
            value = row["value"] if check.reports_value else None
            origin = kg.origin(focus.value) if isinstance(focus, ox.NamedNode) else None
            findings.append(
                Finding(
                    check.severity,
                    compact(check.shape) if isinstance(check.shape, rdflib.URIRef) else "shape:(anonymous)",
                    check.message,
                    path=origin.path if origin else None,
                    line=origin.line if origin else None,
                    focus=focus.value,
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


def _target_pattern(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """A SPARQL group binding ?focus to every target of ``shape`` (each once)."""
    parts = []
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        classes.append(shape)
    parts += [f"{{ ?focus {_TYPE_PATH} {_sparql(c)} }}" for c in classes]
    parts += [f"{{ VALUES ?focus {{ {_sparql(n)} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    parts += [f"{{ ?focus {_sparql(p)} ?any }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ ?any {_sparql(p)} ?focus }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {' UNION '.join(parts)} }} }}"


def _compilable(shapes: rdflib.Graph, shape: rdflib.term.Node, node_level: bool) -> bool:
    """True when every parameter of ``shape`` is one this engine compiles (or only describes)."""
    if not node_level and _path_sparql(shapes, shapes.value(shape, SH.path)) is None:
        return False
    for predicate in set(shapes.predicates(shape, None)):
        if predicate in _DESCRIPTIVE:
            continue
        if predicate in _COMPILED and not (node_level and predicate in (SH.minCount, SH.maxCount)):
            continue
        if str(predicate).startswith(str(SH)):
            return False  # a SHACL feature this engine does not compile
    return True


def _path_sparql(shapes: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if isinstance(path, rdflib.URIRef):
        return f"?focus {_sparql(path)} ?value"
    if isinstance(path, rdflib.BNode):
        inverse = shapes.value(path, SH.inversePath)
        if isinstance(inverse, rdflib.URIRef) and len(list(shapes.predicate_objects(path))) == 1:
            return f"?value {_sparql(inverse)} ?focus"
    return None


def _checks(shapes: rdflib.Graph, shape: rdflib.term.Node, target: str, path: rdflib.term.Node | None) -> list[Check]:
    severity = _SEVERITY.get(shapes.value(shape, SH.severity), Severity.VIOLATION)
    messages = [str(m) for m in shapes.objects(shape, SH.message)]
    message = messages[0] if messages else ""
    reported_path = str(path) if isinstance(path, rdflib.URIRef) else None
    values = _path_sparql(shapes, path) if path is not None else "BIND(?focus AS ?value)"
    checks: list[Check] = []

    def add(condition: str, default: str, *, query: str | None = None, reports_value: bool = True) -> None:
        text = query or f"SELECT DISTINCT ?focus ?value WHERE {{ {target} {values} FILTER({condition}) }}"
        checks.append(Check(shape, severity, message or default, reported_path, text, reports_value))

    for cls in shapes.objects(shape, SH["class"]):
        add(f"NOT EXISTS {{ ?value {_TYPE_PATH} {_sparql(cls)} }}", f"value is not an instance of {compact(cls)}")
    for datatype in shapes.objects(shape, SH.datatype):
        well_formed = (f" || !COALESCE(isLiteral({_sparql(datatype)}(STR(?value))), false)"
                       if str(datatype) in _CASTABLE else "")
        add(f"!isLiteral(?value) || datatype(?value) != {_sparql(datatype)}{well_formed}",
            f"value does not have datatype {compact(datatype)}")
    for kind in shapes.objects(shape, SH.nodeKind):
        add(_NODE_KIND[kind], f"value is not of node kind {compact(kind)}")
    flags = shapes.value(shape, SH.flags)
    for pattern in shapes.objects(shape, SH.pattern):
        flag_arg = f", {_string(str(flags))}" if flags is not None else ""
        add(f"isBlank(?value) || !REGEX(STR(?value), {_string(str(pattern))}{flag_arg})",
            f"value does not match the pattern {pattern}")
    for allowed in shapes.objects(shape, SH["in"]):
        members = list(Collection(shapes, allowed))
        condition = " || ".join(f"sameTerm(?value, {_sparql(m)})" for m in members) or "false"
        add(f"!({condition})", "value is not one of the allowed values")
    for languages in shapes.objects(shape, SH.languageIn):
        tags = [str(t) for t in Collection(shapes, languages)]
        condition = " || ".join(f"langMatches(lang(?value), {_string(t)})" for t in tags) or "false"
        add(f"!isLiteral(?value) || !({condition})", "language is not allowed")
    for parameter, operator in _RANGE.items():
        for bound in shapes.objects(shape, parameter):
            add(f"!COALESCE(?value {operator} {_sparql(bound)}, false)", f"value is not {operator} {bound}")
    for parameter, operator in _LENGTH.items():
        for bound in shapes.objects(shape, parameter):
            add(f"isBlank(?value) || !(STRLEN(STR(?value)) {operator} {int(bound)})", f"length is not {operator} {bound}")
    for required in shapes.objects(shape, SH.hasValue):
        if path is None:
            add(f"!sameTerm(?focus, {_sparql(required)})", f"node is not {required}")
        else:
            exists = values.replace("?value", _sparql(required))
            add("", f"missing the value {required}", reports_value=False,
                query=f"SELECT ?focus WHERE {{ {target} FILTER NOT EXISTS {{ {exists} }} }}")
    for count in shapes.objects(shape, SH.minCount):
        query = (f"SELECT ?focus WHERE {{ {target} OPTIONAL {{ {values} }} }} "
                 f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {int(count)})")
        add("", f"fewer than {count} values", query=query, reports_value=False)
    for count in shapes.objects(shape, SH.maxCount):
        query = (f"SELECT ?focus WHERE {{ {target} {values} }} "
                 f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {int(count)})")
        add("", f"more than {count} values", query=query, reports_value=False)
    return checks


def _true(node: rdflib.term.Node | None) -> bool:
    return isinstance(node, rdflib.Literal) and node.toPython() is True


def _sparql(term: rdflib.term.Node) -> str:
    """A term written in SPARQL (N-Triples syntax, which SPARQL accepts)."""
    if isinstance(term, rdflib.BNode):
        raise ValueError("a blank node cannot be named in a query")
    return str(from_rdflib(term))


def _string(text: str) -> str:
    return str(ox.Literal(text))


def _n3(term: object) -> str:
    """A value written as pyshacl's report writes it (rdflib's ``n3()`` of the same term)."""
    return to_rdflib(term).n3()


# --- the fallback: pyshacl on the focus nodes of the shapes not compiled -------------------


def _run_fallback(kg: KnowledgeGraph, shapes: rdflib.Graph, plan: Plan) -> list[Finding]:
    """pyshacl over the whole graph with every shape, when some shape is not compiled.

    Running pyshacl on only the shapes not compiled (``use_shapes``, with or without
    ``focus_nodes``) did not report what pyshacl reports with all shapes when property shapes
    are shared between node shapes (tests/validate/test_compiled_engine.py), so until the
    engine compiles sh:or, sh:not, sh:node, sh:qualifiedValueShape and sh:uniqueLang the
    reference engine answers whenever one of them is used.
    """
    from twentyfive.validate.shacl import run_shacl

    return run_shacl(kg, shapes)
