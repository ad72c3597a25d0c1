"""The ontology for people and machines: ``dist/ontology.html`` and ``dist/ontology.<ext>``.

The RDF files hold the ontology graph alone (named by the ontology IRI), in every triple
format; the server answers ``/ontology`` from them by content negotiation. The HTML page
lists every class and property of ``tft:`` with its labels (en, ru), definition, domain and
range, its alignment to standard terms, how often the data uses it and an example from the
data. It is rendered with Jinja2, autoescaped: every value from the data is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import ONTOLOGY_IRI, PREFIXES
from twentyfive.project import Project
from twentyfive.publish.graphfiles import write_triples
from twentyfive.publish.jsonld import compact_iri

ONTOLOGY_STEM = "ontology"
TFT = ONTOLOGY_IRI + "#"
RDF, RDFS, OWL, SKOS = (PREFIXES[p] for p in ("rdf", "rdfs", "owl", "skos"))
CLASS_TYPES = (OWL + "Class", RDFS + "Class")
PROPERTY_TYPES = (
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    RDF + "Property",
)
ALIGNMENT = {
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    OWL + "equivalentClass": "equivalent class",
    OWL + "equivalentProperty": "equivalent property",
    SKOS + "closeMatch": "close match",
    SKOS + "exactMatch": "exact match",
}


@dataclass
class Link:
    """An IRI as shown on the page: its prefixed name and where it points."""

    iri: str
    name: str

    @classmethod
    def of(cls, term: object) -> Link | str:
        if isinstance(term, ox.NamedNode):
            href = "#" + term.value[len(TFT) :] if term.value.startswith(TFT) else term.value
            return cls(href, compact_iri(term.value, PREFIXES))
        return term.value if isinstance(term, ox.Literal) else str(term)


@dataclass
class Term:
    """One class or property, with all the page says about it."""

    iri: str
    anchor: str
    name: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)
    definition: str | None = None
    domain: list[Link] = field(default_factory=list)
    range: list[Link] = field(default_factory=list)
    alignment: list[tuple[str, Link]] = field(default_factory=list)
    used: int = 0
    example: list[Link | str] = field(default_factory=list)


def ontology_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    return [q.triple for q in kg.quads(ONTOLOGY_IRI)]


def terms(kg: KnowledgeGraph) -> list[Term]:
    """Every ``tft:`` class and property declared in the ontology graph, classes first."""
    graph = ox.NamedNode(ONTOLOGY_IRI)
    found: dict[str, Term] = {}
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, graph):
        iri, kind = quad.subject, quad.object.value
        if not isinstance(iri, ox.NamedNode) or not iri.value.startswith(TFT):
            continue
        if kind in CLASS_TYPES or kind in PROPERTY_TYPES:
            local = iri.value[len(TFT) :]
            term = found.setdefault(iri.value, Term(iri.value, local, "tft:" + local, "class"))
            if kind in PROPERTY_TYPES:
                term.kind = "property"
    for term in found.values():
        _fill(kg, term, graph)
    return sorted(found.values(), key=lambda t: (t.kind != "class", t.anchor.lower()))


def _fill(kg: KnowledgeGraph, term: Term, graph: ox.NamedNode) -> None:
    subject = ox.NamedNode(term.iri)
    definitions: dict[str, str] = {}
    for quad in sorted(kg.store.quads_for_pattern(subject, None, None, graph), key=str):
        predicate, obj = quad.predicate.value, quad.object
        if predicate == RDFS + "label" and isinstance(obj, ox.Literal) and obj.language:
            term.labels.setdefault(obj.language, obj.value)
        elif predicate in (SKOS + "definition", RDFS + "comment") and isinstance(obj, ox.Literal):
            definitions.setdefault(predicate + (obj.language or ""), obj.value)
        elif predicate == RDFS + "domain":
            term.domain.append(Link.of(obj))
        elif predicate == RDFS + "range":
            term.range.append(Link.of(obj))
        elif predicate in ALIGNMENT:
            term.alignment.append((ALIGNMENT[predicate], Link.of(obj)))
    for key in (SKOS + "definitionen", SKOS + "definition", RDFS + "commenten", RDFS + "comment"):
        if key in definitions:
            term.definition = definitions[key]
            break
    if term.kind == "class":
        query = (
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) (MIN(STR(?s)) AS ?ex) WHERE {{ ?s a <{term.iri}> }}"
        )
        row = next(iter(kg.query(query)))
        term.used = int(row["n"].value)
        if row["ex"] is not None:
            term.example = [Link.of(ox.NamedNode(row["ex"].value))]
    else:
        row = next(
            iter(
                kg.query(
                    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE "
                    f"{{ ?s <{term.iri}> ?o }} }}"
                )
            )
        )
        term.used = int(row["n"].value)
        # the first use by subject, then object: a minimum, not a sort of every use
        first = next(iter(kg.query(f"SELECT (MIN(STR(?s)) AS ?s) WHERE {{ ?s <{term.iri}> ?o }}")))["s"]
        if first is not None:
            query = (
                f"SELECT ?s ?o WHERE {{ ?s <{term.iri}> ?o FILTER(STR(?s) = {first}) }} "
                "ORDER BY STR(?o) LIMIT 1"
            )
            for example in kg.query(query):
                term.example = [Link.of(example["s"]), Link.of(subject), Link.of(example["o"])]


def _metadata(kg: KnowledgeGraph) -> dict[str, object]:
    graph = ox.NamedNode(ONTOLOGY_IRI)
    meta: dict[str, object] = {"iri": ONTOLOGY_IRI, "labels": {}, "comment": None, "version": None}
    for quad in sorted(kg.store.quads_for_pattern(graph, None, None, graph), key=str):
        predicate, obj = quad.predicate.value, quad.object
        if not isinstance(obj, ox.Literal):
            continue
        if predicate in (RDFS + "label", PREFIXES["dcterms"] + "title") and obj.language:
            meta["labels"].setdefault(obj.language, obj.value)  # type: ignore[union-attr]
        elif predicate in (RDFS + "comment", PREFIXES["dcterms"] + "description"):
            meta["comment"] = meta["comment"] or obj.value
        elif predicate == OWL + "versionInfo":
            meta["version"] = obj.value
    return meta


def render_html(kg: KnowledgeGraph) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("twentyfive", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    all_terms = terms(kg)
    return environment.get_template("ontology.html").render(
        ontology=_metadata(kg),
        classes=[t for t in all_terms if t.kind == "class"],
        properties=[t for t in all_terms if t.kind == "property"],
        Link=Link,
    )


def ontology_writer(kg: KnowledgeGraph, out: Path, project: Project) -> list[Path]:
    written = write_triples(ontology_triples(kg), out, ONTOLOGY_STEM)
    page = out / f"{ONTOLOGY_STEM}.html"
    page.write_text(render_html(kg), encoding="utf-8")
    return [*written, page]
