"""The statistics as tables: each RDF Data Cube of the graph read into plain rows.

One reader for every view of the figures — ``twentyfive stats`` in the terminal, the CSV files
with their CSV on the Web metadata, and the SVG charts — so they all show the same figures
with the same unit, approximation, base and source. A cube here has one dimension besides
``qb:measureType`` (docs/data-model.md, "Statistics").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import pyoxigraph as ox

from twentyfive.namespaces import ID, PREFIXES, sparql_prologue

DATASETS = f"{ID}dataset/"


class Queryable(Protocol):
    def query(self, sparql: str) -> object: ...


@dataclass(frozen=True)
class Figure:
    """One observation: a category of the dimension and its figure, with what qualifies it."""

    observation: str
    code: str
    category: str  # the label of the code (English)
    order: tuple[int, str]
    measure: str
    measure_label: str
    value: str  # the lexical form, as written (never re-rounded)
    unit: str
    unit_label: str
    approximate: bool
    lower_bound: bool
    derived: bool
    base: str | None
    base_value: str | None
    base_label: str | None  # the category the base observation counts ("with personal files")
    passages: tuple[str, ...]  # the named graphs that state it (none when derived)
    sources: tuple[str, ...]
    source_labels: tuple[str, ...]
    quotes: tuple[str, ...]
    derived_from: tuple[str, ...] = ()

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)

    def shown(self) -> str:
        """``≈ 16,000``, ``≥ 70,000``, ``92.3`` — the figure as the source qualifies it."""
        number = self.number
        text = f"{int(number):,}" if number == number.to_integral_value() else f"{number:,}"
        if self.lower_bound:
            return f"≥ {text}"
        if self.approximate:
            return f"≈ {text}"
        return text

    @property
    def is_share(self) -> bool:
        return self.unit.endswith("/PERCENT")

    def source_text(self) -> str:
        if self.derived:
            return "derived from " + ", ".join(_short(i) for i in self.derived_from)
        return ", ".join(_short(p) for p in self.passages)


@dataclass
class Cube:
    """A ``qb:DataSet`` and its figures, in the order of the code list."""

    iri: str
    label: str
    dimension: str
    dimension_label: str
    measure_type: bool = False  # the structure has qb:measureType (several measures)
    figures: list[Figure] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.iri.removeprefix(DATASETS).replace("/", "-").replace("#", "-")

    @property
    def base(self) -> tuple[str, str] | None:
        """The base population (observation, count) the figures share, if they share one."""
        bases = {(f.base, f.base_value) for f in self.figures if f.base}
        return next(iter(bases)) if len(bases) == 1 else None

    @property
    def base_label(self) -> str | None:
        return next((f.base_label for f in self.figures if f.base_label), None)

    def sources(self) -> list[str]:
        return sorted({s for f in self.figures for s in f.sources})

    def measures(self) -> list[str]:
        return sorted({f.measure for f in self.figures})


CUBES_QUERY = """
SELECT ?dataset ?datasetLabel ?dimension ?dimensionLabel ?measureType WHERE {
  ?dataset a qb:DataSet ; qb:structure ?structure .
  OPTIONAL {
    ?structure qb:component/(qb:dimension|qb:componentProperty) qb:measureType .
    BIND(true AS ?measureType)
  }
  ?structure qb:component ?spec .
  ?spec qb:dimension|qb:componentProperty ?dimension .
  ?dimension a qb:DimensionProperty .
  FILTER(?dimension != qb:measureType)
  OPTIONAL { ?dataset rdfs:label ?datasetLabel FILTER(langMatches(lang(?datasetLabel), "en")) }
  OPTIONAL { ?dimension rdfs:label ?dimensionLabel FILTER(langMatches(lang(?dimensionLabel), "en")) }
}
"""

# A statement written in several passage graphs appears once per graph in the union: each
# query below is DISTINCT and joins little, so the repetitions never multiply.
FIGURES_QUERY = """
SELECT DISTINCT ?obs ?code ?measure ?value ?unit ?approximate ?lowerBound ?derived ?base WHERE {
  ?obs qb:dataSet <DATASET> ; <DIMENSION> ?code ; ?measure ?value .
  { SELECT DISTINCT ?measure WHERE {
      <DATASET> qb:structure/qb:component/(qb:measure|qb:componentProperty) ?measure .
      ?measure a qb:MeasureProperty } }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure ?unit }
  OPTIONAL { ?obs tft:approximate ?approximate }
  OPTIONAL { ?obs tft:lowerBound ?lowerBound }
  OPTIONAL { ?obs tft:derived ?derived }
  OPTIONAL { ?obs tft:base ?base }
}
"""

#: The English label (and notation) of every IRI a figure names: codes, measures, units, bases.
LABELS_QUERY = """
SELECT DISTINCT ?thing ?label ?notation WHERE {
  { SELECT DISTINCT ?thing WHERE {
      ?obs qb:dataSet <DATASET> .
      { ?obs ?p ?thing FILTER(isIRI(?thing)) } UNION { ?obs ?thing ?any }
  } }
  OPTIONAL { ?thing rdfs:label ?label FILTER(langMatches(lang(?label), "en")) }
  OPTIONAL { ?thing skos:notation ?notation }
}
"""

BASES_QUERY = """
SELECT DISTINCT ?base ?count ?label WHERE {
  { SELECT DISTINCT ?base WHERE { ?obs qb:dataSet <DATASET> ; tft:base ?base } }
  OPTIONAL { ?base tft:personCount ?count }
  OPTIONAL {
    ?base qb:dataSet/qb:structure/qb:component/(qb:dimension|qb:componentProperty) ?dimension .
    ?base ?dimension ?code .
    ?code rdfs:label ?label FILTER(langMatches(lang(?label), "en"))
  }
}
"""

PASSAGES_QUERY = """
SELECT DISTINCT ?obs ?measure ?passage ?source ?sourceLabel ?quote WHERE {
  ?obs qb:dataSet <DATASET> .
  GRAPH ?passage { ?obs ?measure ?value }
  ?passage oa:hasSource ?source .
  { SELECT DISTINCT ?measure WHERE { ?measure a qb:MeasureProperty } }
  OPTIONAL { ?source rdfs:label ?sourceLabel FILTER(langMatches(lang(?sourceLabel), "en")) }
  OPTIONAL { ?passage oa:hasSelector/oa:exact ?quote }
}
"""

INPUTS_QUERY = """
SELECT DISTINCT ?obs ?input WHERE { ?obs qb:dataSet <DATASET> ; prov:wasDerivedFrom ?input }
"""


def read_cubes(graph: Queryable) -> list[Cube]:
    """Every cube of ``graph`` (a KnowledgeGraph or a store), sorted by IRI."""
    prologue = sparql_prologue()
    cubes: dict[str, Cube] = {}
    for row in graph.query(prologue + CUBES_QUERY):
        iri = row["dataset"].value
        if iri in cubes:
            continue
        cubes[iri] = Cube(
            iri,
            _text(row["datasetLabel"]) or _short(iri),
            row["dimension"].value,
            _text(row["dimensionLabel"]) or _short(row["dimension"].value),
            measure_type=row["measureType"] is not None,
        )
    for cube in cubes.values():
        cube.figures = _figures(graph, prologue, cube)
    return [cubes[iri] for iri in sorted(cubes)]


def _figures(graph: Queryable, prologue: str, cube: Cube) -> list[Figure]:
    def rows(query: str):
        text = query.replace("<DATASET>", f"<{cube.iri}>").replace(
            "<DIMENSION>", f"<{cube.dimension}>"
        )
        return graph.query(prologue + text)

    labels: dict[str, str] = {}
    notations: dict[str, str] = {}
    for row in rows(LABELS_QUERY):
        if row["label"] is not None:
            labels.setdefault(row["thing"].value, row["label"].value)
        if row["notation"] is not None:
            notations.setdefault(row["thing"].value, row["notation"].value)
    bases: dict[str, tuple[str | None, str | None]] = {}
    for row in rows(BASES_QUERY):
        bases.setdefault(row["base"].value, (_text(row["count"]), _text(row["label"])))
    stated: dict[tuple[str, str], list[ox.QuerySolution]] = {}
    for row in rows(PASSAGES_QUERY):
        stated.setdefault((row["obs"].value, row["measure"].value), []).append(row)
    inputs: dict[str, set[str]] = {}
    for row in rows(INPUTS_QUERY):
        inputs.setdefault(row["obs"].value, set()).add(row["input"].value)

    figures: dict[tuple[str, str], Figure] = {}
    for row in rows(FIGURES_QUERY):
        observation, measure, code = row["obs"].value, row["measure"].value, row["code"].value
        if (observation, measure) in figures:
            continue  # an attribute given twice; the first is shown
        passages = stated.get((observation, measure), [])
        category = labels.get(code) or _short(code)
        notation = notations.get(code, "")
        unit = _text(row["unit"]) or ""
        base = _text(row["base"])
        base_value, base_label = bases.get(base, (None, None)) if base else (None, None)
        figures[(observation, measure)] = Figure(
            observation=observation,
            code=code,
            category=category,
            order=(int(notation), category) if notation.isdigit() else (1 << 30, category),
            measure=measure,
            measure_label=labels.get(measure) or _short(measure),
            value=row["value"].value,
            unit=unit,
            unit_label=labels.get(unit) or _short(unit),
            approximate=_text(row["approximate"]) in ("true", "1"),
            lower_bound=_text(row["lowerBound"]) in ("true", "1"),
            derived=_text(row["derived"]) in ("true", "1"),
            base=base,
            base_value=base_value,
            base_label=base_label,
            passages=_sorted(p["passage"] for p in passages),
            sources=_sorted(p["source"] for p in passages),
            source_labels=_sorted(p["sourceLabel"] for p in passages),
            quotes=_sorted(p["quote"] for p in passages),
            derived_from=tuple(sorted(inputs.get(observation, ()))),
        )
    return sorted(figures.values(), key=lambda f: (f.order, f.derived, f.measure, f.observation))


def _sorted(terms) -> tuple[str, ...]:
    return tuple(sorted({_text(t) for t in terms if t is not None}))


def _text(term: object) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _short(iri: str | None) -> str:
    from twentyfive.publish.jsonld import compact_iri  # publish imports this module

    return compact_iri(iri, PREFIXES) if iri else ""


TABLE_COLUMNS = ["category", "figure", "unit", "approximate?", "base", "source"]


def as_text(cubes: list[Cube]) -> str:
    """Every cube as a plain-text table, for the terminal (``twentyfive stats``)."""
    from twentyfive.query import text_table

    parts = []
    for cube in cubes:
        rows = [
            [
                f.category + (f" ({f.measure_label})" if len(cube.measures()) > 1 else ""),
                f.shown(),
                f.unit_label,
                "at least" if f.lower_bound else "approx." if f.approximate else "",
                f"{int(f.base_value):,}" if f.base_value else "",
                f.source_text(),
            ]
            for f in cube.figures
        ]
        parts.append(f"{cube.label} <{cube.iri}>\n" + text_table(TABLE_COLUMNS, rows))
    return "\n".join(parts) if parts else "no statistics (no qb:DataSet) in the graph\n"
