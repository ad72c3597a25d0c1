"""SHACL Core shapes written as SPARQL: paths, the constraints of a shape, and conformance.

Each constraint component of a shape becomes a :class:`Constraint`: what kind of check it is
(a test on each value node, or a count over a focus node's values) and the SPARQL expression
it tests, written for any variable. A shape named inside another one (``sh:node``, ``sh:or``,
``sh:and``, ``sh:not``, ``sh:xone``, ``sh:qualifiedValueShape``, or the ``sh:property`` of such
a shape) becomes one SPARQL expression, :meth:`ShapeSparql.violates`, true when a node does not
conform to it; logical constraints nest these expressions (``EXISTS``, ``!``, ``||``, ``&&``).

An instance of a class (``sh:class``, ``sh:targetClass``) is ``rdf:type/rdfs:subClassOf*`` in
SPARQL; given the graph's :class:`Subclasses`, the subclasses are resolved once per run and the
pattern becomes ``?node rdf:type <class>`` for each of them (the same matches, without a path
per row).

Conformance follows pyshacl as this project runs it (``allow_warnings=True``): a shape whose
severity is ``sh:Warning`` or ``sh:Info`` always conforms when nested, and a deactivated
shape too. Anything else — ``sh:sparql``, ``sh:closed``, property pair constraints, a shape
that names itself, a count above :data:`MAX_NESTED_COUNT` inside a nested shape — raises
:class:`Unsupported`, and validate/compiled.py leaves the shape to pyshacl.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count as counter
from itertools import combinations

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from twentyfive.graph import KnowledgeGraph, from_rdflib
from twentyfive.problems import Severity
from twentyfive.validate.shacl import compact

SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TYPE_PATH = RDF_TYPE + "/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Datatypes whose lexical forms SPARQL can check by casting (ill-formed literals fail sh:datatype).
_CASTABLE = {_XSD + t for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time")}
_NODE_KIND = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}
_RANGE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_LENGTH = {SH.minLength: ">=", SH.maxLength: "<="}
_QUALIFIED = {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
#: Parameters that describe a shape rather than constrain it.
DESCRIPTIVE = {
    RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property,
    SH.path, SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH.defaultValue, SH.flags, RDFS.label, RDFS.comment, RDFS.isDefinedBy, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#definition"),
}
_COMPILED = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.pattern, SH["in"], SH.hasValue,
    SH.languageIn, SH.uniqueLang, SH.node, SH["or"], SH["and"], SH["not"], SH.xone, *_QUALIFIED, *_RANGE, *_LENGTH,
}
#: The largest count a nested shape may ask for (it becomes that many joined path patterns).
MAX_NESTED_COUNT = 4


class Unsupported(Exception):
    """A shape uses a SHACL feature that this engine does not compile."""


@dataclass(frozen=True)
class Constraint:
    """One constraint component of a shape.

    ``kind`` is ``value`` (``test`` is true of a value node that violates it), ``min`` or
    ``max`` (a count of the focus node's values — those passing ``test`` when it is given —
    must be at least or at most ``count``), ``has`` (``required`` must be among the values)
    or ``unique-lang`` (no two values share a language tag).
    """

    kind: str
    default: str  # the message when the shape has none
    test: Callable[[str], str] | None = None
    count: int = 0
    required: str = ""


class Subclasses:
    """The ``rdfs:subClassOf`` statements of a graph, to list a class with all its subclasses."""

    def __init__(self, pairs: Iterable[tuple[object, object]]) -> None:
        self._below: dict[str, set[str]] = {}
        for sub, above in pairs:
            self._below.setdefault(str(above), set()).add(str(sub))

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> Subclasses:
        query = "SELECT ?sub ?above WHERE { ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?above }"
        return cls((row[0], row[1]) for row in kg.query(query))

    def closure(self, cls: str) -> list[str] | None:
        """``cls`` and every class below it (as ``rdfs:subClassOf*`` reaches them), sorted; None
        when a blank node is among them (a blank node cannot be named in a query)."""
        found, todo = {cls}, [cls]
        while todo:
            for sub in self._below.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return None if any(term.startswith("_:") for term in found) else sorted(found)


class ShapeSparql:
    """The SPARQL of the shapes in one shapes graph."""

    def __init__(self, shapes: rdflib.Graph, subclasses: Subclasses | None = None) -> None:
        self.shapes = shapes
        self.subclasses = subclasses
        self._names = counter()

    def fresh(self) -> str:
        """A variable name used nowhere else."""
        return f"?n{next(self._names)}"

    def canonical(self, test: Callable[[str], str]) -> str:
        """``test`` of ``?value`` written with fresh variables numbered from the first: two
        tests are the same test when their canonical texts are equal."""
        names = self._names
        self._names = counter()
        try:
            return test("?value")
        finally:
            self._names = names

    def classes(self, cls: rdflib.term.Node) -> list[str] | None:
        """``cls`` and its subclasses in SPARQL, when the class hierarchy is known and names them."""
        return self.subclasses.closure(sparql_term(cls)) if self.subclasses is not None else None

    def instance(self, node: str, cls: rdflib.term.Node) -> str:
        """A pattern that matches when ``node`` is an instance of ``cls`` (or of a subclass)."""
        closure = self.classes(cls)
        if closure is None:
            return f"{node} {TYPE_PATH} {sparql_term(cls)}"
        return self.instance_of_any(node, closure)

    @staticmethod
    def instance_of_any(node: str, classes: list[str]) -> str:
        """A pattern that matches ``node`` typed with any of ``classes`` (SPARQL terms): one
        triple pattern each (a VALUES block of classes joined with a VALUES block of focus
        nodes costs their product)."""
        return " UNION ".join(f"{{ {node} {RDF_TYPE} {c} }}" for c in classes)

    # --- paths --------------------------------------------------------------------------

    def path(self, path: rdflib.term.Node | None) -> str:
        """A SHACL path as a SPARQL property path."""
        shapes = self.shapes
        if isinstance(path, rdflib.URIRef):
            return sparql_term(path)
        if not isinstance(path, rdflib.BNode):
            raise Unsupported(f"path {path!r}")
        if shapes.value(path, RDF.first) is not None:
            return "(" + "/".join(self.path(step) for step in Collection(shapes, path)) + ")"
        unary = {SH.inversePath: "^({})", SH.zeroOrMorePath: "({})*", SH.oneOrMorePath: "({})+", SH.zeroOrOnePath: "({})?"}
        for predicate, form in unary.items():
            inner = shapes.value(path, predicate)
            if inner is not None:
                return form.format(self.path(inner))
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(step) for step in Collection(shapes, alternatives)) + ")"
        raise Unsupported(f"path {path!r}")

    def bounded(self, path: rdflib.term.Node) -> bool:
        """Whether ``path`` reaches a bounded number of steps (no ``*``, ``+`` or ``?``): over
        the whole graph it is then a scan or a join, never every node of the graph."""
        shapes = self.shapes
        if isinstance(path, rdflib.URIRef):
            return True
        if shapes.value(path, RDF.first) is not None:
            return all(self.bounded(step) for step in Collection(shapes, path))
        if any(shapes.value(path, p) is not None for p in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)):
            return False
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return self.bounded(inverse)
        return all(self.bounded(step) for step in Collection(shapes, shapes.value(path, SH.alternativePath)))

    # --- the constraints of one shape ---------------------------------------------------

    def constraints(self, shape: rdflib.term.Node, stack: tuple = ()) -> list[Constraint]:
        """Every constraint component of ``shape`` (not its ``sh:property`` shapes)."""
        shapes = self.shapes
        on_path = shapes.value(shape, SH.path) is not None
        for predicate in set(shapes.predicates(shape, None)):
            if predicate in DESCRIPTIVE or not str(predicate).startswith(str(SH)):
                continue
            if predicate not in _COMPILED:
                raise Unsupported(f"{compact(predicate)} on {shape}")
            if not on_path and predicate in (SH.minCount, SH.maxCount, SH.uniqueLang, *_QUALIFIED):
                raise Unsupported(f"{compact(predicate)} on the node shape {shape}")
        stack = (*stack, shape)
        found: list[Constraint] = []

        def value(test: Callable[[str], str], default: str) -> None:
            found.append(Constraint("value", default, test))

        for cls in shapes.objects(shape, SH["class"]):
            value(lambda v, c=cls: f"NOT EXISTS {{ {self.instance(v, c)} }}",
                  f"value is not an instance of {compact(cls)}")
        for datatype in shapes.objects(shape, SH.datatype):
            value(lambda v, d=datatype: _datatype_test(v, d), f"value does not have datatype {compact(datatype)}")
        for kind in shapes.objects(shape, SH.nodeKind):
            value(lambda v, k=kind: _NODE_KIND[k].format(v=v), f"value is not of node kind {compact(kind)}")
        flags = shapes.value(shape, SH.flags)
        for pattern in shapes.objects(shape, SH.pattern):
            arguments = _string(str(pattern)) + (f", {_string(str(flags))}" if flags is not None else "")
            value(lambda v, a=arguments: f"isBlank({v}) || !REGEX(STR({v}), {a})", f"value does not match the pattern {pattern}")
        for allowed in shapes.objects(shape, SH["in"]):
            members = [sparql_term(m) for m in Collection(shapes, allowed)]
            value(lambda v, ms=members: "!(" + (" || ".join(f"sameTerm({v}, {m})" for m in ms) or "false") + ")",
                  "value is not one of the allowed values")
        for languages in shapes.objects(shape, SH.languageIn):
            tags = [_string(str(t)) for t in Collection(shapes, languages)]
            value(lambda v, ts=tags: f"!isLiteral({v}) || !(" + (" || ".join(f"langMatches(lang({v}), {t})" for t in ts) or "false") + ")",
                  "language is not allowed")
        for parameter, operator in _RANGE.items():
            for bound in shapes.objects(shape, parameter):
                value(lambda v, o=operator, b=sparql_term(bound): f"!COALESCE({v} {o} {b}, false)", f"value is not {operator} {bound}")
        for parameter, operator in _LENGTH.items():
            for bound in shapes.objects(shape, parameter):
                value(lambda v, o=operator, b=int(bound): f"isBlank({v}) || !(STRLEN(STR({v})) {o} {b})", f"length is not {operator} {bound}")
        for other in shapes.objects(shape, SH.node):
            self._check_nested(other, stack)
            value(lambda v, o=other: self.violates(o, v, stack), f"value does not conform to {_name(other)}")
        for members in shapes.objects(shape, SH["or"]):
            listed = self._nested_list(members, stack)
            value(lambda v, ms=listed: _all(self.violates(m, v, stack) for m in ms), "value conforms to none of the shapes of sh:or")
        for members in shapes.objects(shape, SH["and"]):
            listed = self._nested_list(members, stack)
            value(lambda v, ms=listed: _any(self.violates(m, v, stack) for m in ms), "value does not conform to every shape of sh:and")
        for other in shapes.objects(shape, SH["not"]):
            self._check_nested(other, stack)
            value(lambda v, o=other: f"!({self.violates(o, v, stack)})", f"value conforms to {_name(other)}")
        for members in shapes.objects(shape, SH.xone):
            listed = self._nested_list(members, stack)
            value(lambda v, ms=listed: "(" + " + ".join(f"IF({self.violates(m, v, stack)}, 0, 1)" for m in ms) + ") != 1",
                  "value does not conform to exactly one shape of sh:xone")
        for required in shapes.objects(shape, SH.hasValue):
            found.append(Constraint("has", f"missing the value {required}", required=sparql_term(required)))
        for minimum in shapes.objects(shape, SH.minCount):
            found.append(Constraint("min", f"fewer than {minimum} values", count=int(minimum)))
        for maximum in shapes.objects(shape, SH.maxCount):
            found.append(Constraint("max", f"more than {maximum} values", count=int(maximum)))
        if any(_true(flag) for flag in shapes.objects(shape, SH.uniqueLang)):
            found.append(Constraint("unique-lang", "more than one value has the same language"))
        found += self._qualified(shape, stack)
        return found

    def _qualified(self, shape: rdflib.term.Node, stack: tuple) -> list[Constraint]:
        shapes = self.shapes
        found = []
        minimum, maximum = shapes.value(shape, SH.qualifiedMinCount), shapes.value(shape, SH.qualifiedMaxCount)
        disjoint = any(_true(flag) for flag in shapes.objects(shape, SH.qualifiedValueShapesDisjoint))
        for qualified in shapes.objects(shape, SH.qualifiedValueShape):
            self._check_nested(qualified, stack)
            siblings = sorted({
                sibling
                for parent in shapes.subjects(SH.property, shape)
                for neighbour in shapes.objects(parent, SH.property)
                for sibling in shapes.objects(neighbour, SH.qualifiedValueShape)
                if sibling != qualified
            }, key=str) if disjoint else []
            for sibling in siblings:
                self._check_nested(sibling, stack)

            def counts(v: str, q=qualified, others=siblings) -> str:
                return _all([f"!({self.violates(q, v, stack)})", *(self.violates(o, v, stack) for o in others)])

            if minimum is not None:
                found.append(Constraint("min", f"fewer than {minimum} values conform to {_name(qualified)}", counts, int(minimum)))
            if maximum is not None:
                found.append(Constraint("max", f"more than {maximum} values conform to {_name(qualified)}", counts, int(maximum)))
        return found

    def _nested_list(self, members: rdflib.term.Node, stack: tuple) -> list[rdflib.term.Node]:
        listed = list(Collection(self.shapes, members))
        for member in listed:
            self._check_nested(member, stack)
        return listed

    def _check_nested(self, shape: rdflib.term.Node, stack: tuple) -> None:
        """Raise :class:`Unsupported` unless ``shape`` compiles as a nested shape."""
        if shape in stack:
            raise Unsupported(f"the shape {shape} names itself")
        self.violates(shape, "?check", stack)

    # --- conformance of a node to a nested shape ----------------------------------------

    def violates(self, shape: rdflib.term.Node, node: str, stack: tuple = ()) -> str:
        """A SPARQL expression true when ``node`` (a variable or term) does not conform to ``shape``."""
        shapes = self.shapes
        if shape in stack:
            raise Unsupported(f"the shape {shape} names itself")
        if _true(shapes.value(shape, SH.deactivated)) or shapes.value(shape, SH.severity) in (SH.Warning, SH.Info):
            return "false"  # pyshacl with allow_warnings: such a shape never fails a nested check
        path_node = shapes.value(shape, SH.path)
        parts = []
        if path_node is None:
            for constraint in self.constraints(shape, stack):  # node shapes: value tests and sh:hasValue
                has = f"!sameTerm({node}, {constraint.required})"
                parts.append(constraint.test(node) if constraint.test else has)
            for property_shape in shapes.objects(shape, SH.property):
                parts.append(self.violates(property_shape, node, (*stack, shape)))
            return _any(parts)
        path = self.path(path_node)
        for constraint in self.constraints(shape, stack):
            value = self.fresh()
            if constraint.kind == "value":
                parts.append(f"EXISTS {{ {node} {path} {value} FILTER({constraint.test(value)}) }}")  # type: ignore[misc]
            elif constraint.kind == "has":
                parts.append(f"NOT EXISTS {{ {node} {path} {constraint.required} }}")
            elif constraint.kind == "min":
                parts.append(f"!({self.at_least(constraint.count, node, path, constraint.test)})")
            elif constraint.kind == "max":
                parts.append(self.at_least(constraint.count + 1, node, path, constraint.test))
            else:  # unique-lang
                other = self.fresh()
                parts.append(
                    f"EXISTS {{ {node} {path} {value} . {node} {path} {other} FILTER(!sameTerm({value}, {other}) "
                    f"&& isLiteral({value}) && lang({value}) != \"\" && LCASE(lang({value})) = LCASE(lang({other}))) }}"
                )
        return _any(parts)

    def at_least(self, number: int, node: str, path: str, test: Callable[[str], str] | None) -> str:
        """True when ``node`` has at least ``number`` distinct values (passing ``test``)."""
        if number <= 0:
            return "true"
        if number > MAX_NESTED_COUNT:
            raise Unsupported(f"a count of {number} inside a nested shape")
        values = [self.fresh() for _ in range(number)]
        conditions = [f"!sameTerm({a}, {b})" for a, b in combinations(values, 2)]
        if test is not None:
            conditions += [f"({test(v)})" for v in values]
        patterns = " . ".join(f"{node} {path} {v}" for v in values)
        return f"EXISTS {{ {patterns} FILTER({' && '.join(conditions) or 'true'}) }}"


def _datatype_test(value: str, datatype: rdflib.term.Node) -> str:
    well_formed = (f" || !COALESCE(isLiteral({sparql_term(datatype)}(STR({value}))), false)"
                   if str(datatype) in _CASTABLE else "")
    return f"!isLiteral({value}) || datatype({value}) != {sparql_term(datatype)}{well_formed}"


def _any(parts) -> str:
    parts = [f"({p})" for p in parts]
    return " || ".join(parts) if parts else "false"


def _all(parts) -> str:
    parts = [f"({p})" for p in parts]
    return " && ".join(parts) if parts else "true"


def _name(shape: rdflib.term.Node) -> str:
    return compact(shape) if isinstance(shape, rdflib.URIRef) else "a shape"


def _true(node: rdflib.term.Node | None) -> bool:
    return isinstance(node, rdflib.Literal) and node.toPython() is True


def sparql_term(term: rdflib.term.Node) -> str:
    """A term written in SPARQL (N-Triples syntax, which SPARQL accepts)."""
    if isinstance(term, rdflib.BNode):
        raise Unsupported("a blank node cannot be named in a query")
    return str(from_rdflib(term))


def _string(text: str) -> str:
    return str(ox.Literal(text))
