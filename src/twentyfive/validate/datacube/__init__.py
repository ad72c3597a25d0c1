"""The RDF Data Cube checks: W3C's 21 integrity constraints, and our own checks of the figures.

The W3C constraints (``integrity-*.sparql``, see NOTICE.md) run on a *copy* of the graph that
has been normalised as the recommendation's section 10.2 says (phase 1: type and property
closure; phase 2: attachment levels pushed down to the observations); the published graph is
not changed. Each constraint is an ASK query (true = violated); to name what breaks it, the
query is also run as ``SELECT *`` and each row becomes a finding whose focus is the
observation (or data set, structure, dimension, slice) the row binds.

Our own checks (``checks/*.rq``) run on the graph itself, in the format of
``shapes/checks`` (see :mod:`twentyfive.validate.integrity`): the shares of a partitioning
dimension add up to 100, no count exceeds its base, every observation has a unit and a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import PREFIXES
from twentyfive.problems import Finding, Severity
from twentyfive.validate.integrity import Check, load_checks, run_checks

HERE = Path(str(resources.files(__package__)))
CHECKS_DIR = HERE / "checks"

#: The prefixes the constraint files use without declaring them.
IC_PREFIXES = ("rdf", "rdfs", "owl", "skos", "qb", "xsd")

#: Which variable of a constraint's solution names the thing to fix, most specific first.
FOCUS_VARIABLES = (
    "obs",
    "obs1",
    "dataset",
    "dataset1",
    "dsd",
    "slice",
    "sliceKey",
    "slicekey",
    "dim",
    "component",
)

#: Section 10.2, phase 1 (type and property closure) and phase 2 (push down attachment levels).
NORMALISATION = [
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation . ?ds rdf:type qb:DataSet } WHERE { ?o qb:dataSet ?ds }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p }",
    # phase 2
    "INSERT { ?obs ?comp ?value } WHERE { ?spec qb:componentProperty ?comp ; "
    "qb:componentAttachment qb:DataSet . ?dataset qb:structure [qb:component ?spec] ; ?comp ?value . "
    "?obs qb:dataSet ?dataset }",
    "INSERT { ?obs ?comp ?value } WHERE { ?spec qb:componentProperty ?comp ; "
    "qb:componentAttachment qb:Slice . ?dataset qb:structure [qb:component ?spec] ; qb:slice ?slice . "
    "?slice ?comp ?value ; qb:observation ?obs }",
    "INSERT { ?obs ?comp ?value } WHERE { ?spec qb:componentProperty ?comp . ?comp a qb:DimensionProperty . "
    "?dataset qb:structure [qb:component ?spec] ; qb:slice ?slice . ?slice ?comp ?value ; qb:observation ?obs }",
]

# Constraints 20 and 21 are templates over the parent-child property of a hierarchical code list.
_PARENT_CHILD = {
    "20": (
        "eg:child",
        "SELECT DISTINCT ?p WHERE { ?h qb:parentChildProperty ?p . FILTER(isIRI(?p)) }",
    ),
    "21": (
        "eg:parent",
        "SELECT DISTINCT ?p WHERE { ?h qb:parentChildProperty ?pcp . ?pcp owl:inverseOf ?p . FILTER(isIRI(?p)) }",
    ),
}


#: Two mechanical repairs, applied when a file is loaded (the files stay verbatim copies):
#: - 17: HAVING may not refer to a SELECT alias in standard SPARQL (Jena allows it, Oxigraph
#:   leaves ``?count`` unbound there, so the constraint could never fire): use the aggregate.
#: - 8: the copy joins ``?slicekey`` with ``?sliceKey`` (SPARQL variables are case-sensitive);
#:   the recommendation uses one variable.
REPAIRS: dict[str, tuple[str, str]] = {
    "17": ("HAVING (?count != ?numMeasures)", "HAVING (COUNT(?obs2) != ?numMeasures)"),
    "8": ("?dsd qb:sliceKey ?sliceKey .", "?dsd qb:sliceKey ?slicekey ."),
}


@dataclass(frozen=True)
class Constraint:
    """One W3C integrity constraint: its number ("19a"), its name and its ASK query."""

    number: str
    name: str
    query: str

    @property
    def rule(self) -> str:
        return f"qb:IC-{self.number}"


def load_constraints(folder: Path = HERE) -> list[Constraint]:
    """The constraints in number order; the name is the file's first comment line."""
    constraints = []
    for path in folder.glob("integrity-*.sparql"):
        number = path.stem.removeprefix("integrity-")
        text = path.read_text(encoding="utf-8")
        if number in REPAIRS:
            old, new = REPAIRS[number]
            if old not in text:
                raise ValueError(f"{path}: expected {old!r} to repair; is this the reference copy?")
            text = text.replace(old, new)
        first = next(line for line in text.splitlines() if line.strip())
        constraints.append(Constraint(number, first.lstrip("# ").strip(), text))
    return sorted(constraints, key=lambda c: (int(re.match(r"\d+", c.number).group()), c.number))


def prologue(names: tuple[str, ...] = IC_PREFIXES) -> str:
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


#: What the constraints and the normalisation read: every qb: statement, the types and code
#: lists, and every statement about an observation, data set or slice. Copying only this keeps
#: the copy (and the cost of validation) proportional to the statistics, not to the graph.
CUBE_TRIPLES = """
CONSTRUCT { ?s ?p ?o } WHERE {
  {
    VALUES ?p { qb:dataSet qb:observation qb:structure qb:component qb:componentProperty
                qb:dimension qb:measure qb:attribute qb:measureDimension qb:componentRequired
                qb:componentAttachment qb:order qb:codeList qb:slice qb:sliceKey qb:sliceStructure
                qb:measureType qb:hierarchyRoot qb:parentChildProperty
                rdfs:range skos:inScheme skos:member owl:inverseOf }
    ?s ?p ?o
  } UNION {
    VALUES ?o { qb:Observation qb:DataSet qb:DataStructureDefinition qb:ComponentSpecification
                qb:DimensionProperty qb:MeasureProperty qb:AttributeProperty qb:CodedProperty
                qb:Slice qb:SliceKey qb:HierarchicalCodeList skos:ConceptScheme skos:Collection }
    ?s rdf:type ?o . BIND(rdf:type AS ?p)
  } UNION {
    { SELECT DISTINCT ?s WHERE {
        { ?s qb:dataSet [] } UNION { [] qb:dataSet ?s } UNION { [] qb:observation ?s }
        UNION { [] qb:slice ?s } UNION { ?s a qb:Observation } UNION { ?s a qb:DataSet }
        UNION { ?s a qb:Slice }
    } }
    ?s ?p ?o
  } UNION {
    { SELECT DISTINCT ?p WHERE {
        { [] qb:parentChildProperty ?p FILTER(isIRI(?p)) }
        UNION { [] qb:parentChildProperty/owl:inverseOf ?p }
    } }
    ?s ?p ?o
  }
}
"""


def cube_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    """The statements of ``kg`` that the constraints read (see ``CUBE_TRIPLES``)."""
    return list(kg.query(prologue() + CUBE_TRIPLES))


def normalised_copy(quads_or_triples) -> ox.Store:
    """A new store with the union of the graphs in its default graph, normalised (10.2)."""
    store = ox.Store()
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in quads_or_triples
    )
    for update in NORMALISATION:
        store.update(prologue() + update)
    return store


def instances(constraint: Constraint, store: ox.Store) -> list[str]:
    """The query (or, for the templates 20 and 21, one query per parent-child property) to run."""
    if constraint.number not in _PARENT_CHILD:
        return [constraint.query]
    placeholder, find = _PARENT_CHILD[constraint.number]
    properties = [row["p"].value for row in store.query(prologue() + find)]
    return [constraint.query.replace(placeholder, f"<{p}>") for p in sorted(properties)]


def violated(constraint: Constraint, store: ox.Store) -> list[dict[str, str]]:
    """The rows that break ``constraint`` (an empty list when it holds).

    The ASK decides; ``SELECT *`` over the same pattern then says which resources break it
    (a constraint whose pattern binds nothing useful still gives one row).
    """
    rows: list[dict[str, str]] = []
    for query in instances(constraint, store):
        if not bool(store.query(prologue() + query)):
            continue
        select = re.sub(r"\bASK\s*\{", "SELECT * WHERE {", query, count=1)
        solutions = store.query(prologue() + select)
        names = [v.value for v in solutions.variables]
        found = [{n: _text(row[n]) for n in names if row[n] is not None} for row in solutions]
        rows += found or [{}]
    return rows


def check_constraints(
    kg: KnowledgeGraph, constraints: list[Constraint] | None = None
) -> list[Finding]:
    """Every W3C constraint on a normalised copy of ``kg``: one finding per thing that breaks one."""
    store = normalised_copy(cube_triples(kg))
    findings: list[Finding] = []
    for constraint in constraints if constraints is not None else load_constraints():
        seen: set[str | None] = set()
        for row in violated(constraint, store):
            focus = next((row[v] for v in FOCUS_VARIABLES if v in row), None)
            if focus in seen:
                continue
            seen.add(focus)
            origin = kg.origin(focus) if focus else None
            findings.append(
                Finding(
                    Severity.VIOLATION,
                    constraint.rule,
                    f"RDF Data Cube integrity constraint {constraint.number} is broken: "
                    f"{constraint.name} (see https://www.w3.org/TR/vocab-data-cube/#ic-"
                    f"{re.match(r'[0-9]+', constraint.number).group()}); fix the data set, "
                    "its structure or the observation named here",
                    path=origin.path if origin else None,
                    line=origin.line if origin else None,
                    focus=focus,
                    value=", ".join(f"?{k}={v}" for k, v in sorted(row.items()) if v != focus)
                    or None,
                )
            )
    return findings


def own_checks() -> list[Check]:
    """Our checks of the figures (``checks/*.rq``), named ``cube:<name>``."""
    return [
        Check(f"cube:{c.name.removeprefix('check:')}", c.message, c.severity, c.query, c.path)
        for c in load_checks(CHECKS_DIR)
    ]


def check_cubes(kg: KnowledgeGraph) -> list[Finding]:
    """The W3C constraints and our own checks, for the validate stage."""
    if not _has_cubes(kg):
        return []
    return check_constraints(kg) + run_checks(kg, own_checks())


def _has_cubes(kg: KnowledgeGraph) -> bool:
    terms = [
        ox.NamedNode(PREFIXES["qb"] + n)
        for n in ("DataSet", "Observation", "DataStructureDefinition")
    ]
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    if any(next(iter(kg.store.quads_for_pattern(None, rdf_type, t)), None) for t in terms):
        return True
    return (
        next(
            iter(kg.store.quads_for_pattern(None, ox.NamedNode(PREFIXES["qb"] + "dataSet"), None)),
            None,
        )
        is not None
    )


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)
