"""The statistics as tables: each RDF Data Cube of the graph read into plain rows.

One reader for every view of the figures — ``twentyfive stats`` in the terminal, the CSV files
with their CSV on the Web metadata, and the SVG charts — so they all show the same figures
with the same unit, approximation, base and source. A cube here has one dimension besides
``qb:measureType`` (docs/data-model.md, "Statistics").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Protocol

import pyoxigraph as ox

from twentyfive.namespaces import GRAPH_DERIVED, ID, PREFIXES, sparql_prologue

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

FIGURES_QUERY = """
SELECT ?obs ?code ?codeLabel ?notation ?measure ?measureLabel ?value ?unit ?unitLabel
       ?approximate ?lowerBound ?derived ?base ?baseValue ?baseLabel ?passage ?source ?sourceLabel ?quote
       (GROUP_CONCAT(DISTINCT STR(?input); separator=" ") AS ?inputs)
WHERE {
  ?obs qb:dataSet <DATASET> ; <DIMENSION> ?code ; ?measure ?value .
  <DATASET> qb:structure/qb:component/(qb:measure|qb:componentProperty) ?measure .
  ?measure a qb:MeasureProperty .
  OPTIONAL { ?code rdfs:label ?codeLabel FILTER(langMatches(lang(?codeLabel), "en")) }
  OPTIONAL { ?code skos:notation ?notation }
  OPTIONAL { ?measure rdfs:label ?measureLabel FILTER(langMatches(lang(?measureLabel), "en")) }
  OPTIONAL { ?obs sdmx-attribute:unitMeasure ?unit
             OPTIONAL { ?unit rdfs:label ?unitLabel FILTER(langMatches(lang(?unitLabel), "en")) } }
  OPTIONAL { ?obs tft:approximate ?approximate }
  OPTIONAL { ?obs tft:lowerBound ?lowerBound }
  OPTIONAL { ?obs tft:derived ?derived }
  OPTIONAL {
    ?obs tft:base ?base
    OPTIONAL { ?base tft:personCount ?baseValue }
    OPTIONAL {
      ?base qb:dataSet/qb:structure/qb:component/(qb:dimension|qb:componentProperty) ?baseDimension .
      ?base ?baseDimension ?baseCode .
      ?baseCode rdfs:label ?baseLabel FILTER(langMatches(lang(?baseLabel), "en"))
    }
  }
  OPTIONAL { ?obs prov:wasDerivedFrom ?input }
  OPTIONAL {
    GRAPH ?passage { ?obs ?measure ?value }
    ?passage oa:hasSource ?source .
    OPTIONAL { ?source rdfs:label ?sourceLabel FILTER(langMatches(lang(?sourceLabel), "en")) }
    OPTIONAL { ?passage oa:hasSelector/oa:exact ?quote }
  }
}
GROUP BY ?obs ?code ?codeLabel ?notation ?measure ?measureLabel ?value ?unit ?unitLabel
         ?approximate ?lowerBound ?derived ?base ?baseValue ?baseLabel ?passage ?source ?sourceLabel ?quote
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
        query = FIGURES_QUERY.replace("<DATASET>", f"<{cube.iri}>").replace(
            "<DIMENSION>", f"<{cube.dimension}>"
        )
        figures: dict[tuple[str, str], Figure] = {}
        for row in graph.query(prologue + query):
            figure = _figure(row)
            key = (figure.observation, figure.measure)
            if key in figures:  # stated in several passages: keep them all
                known = figures[key]
                figure = replace(
                    known,
                    passages=_union(known.passages, figure.passages),
                    sources=_union(known.sources, figure.sources),
                    source_labels=_union(known.source_labels, figure.source_labels),
                    quotes=_union(known.quotes, figure.quotes),
                )
            figures[key] = figure
        cube.figures = sorted(
            figures.values(), key=lambda f: (f.order, f.derived, f.measure, f.observation)
        )
    return [cubes[iri] for iri in sorted(cubes)]


def _figure(row: ox.QuerySolution) -> Figure:
    notation = _text(row["notation"])
    category = _text(row["codeLabel"]) or _short(row["code"].value)
    order = (int(notation), category) if notation and notation.isdigit() else (1 << 30, category)
    passage = _text(row["passage"])
    return Figure(
        observation=row["obs"].value,
        code=row["code"].value,
        category=category,
        order=order,
        measure=row["measure"].value,
        measure_label=_text(row["measureLabel"]) or _short(row["measure"].value),
        value=row["value"].value,
        unit=_text(row["unit"]) or "",
        unit_label=_text(row["unitLabel"]) or _short(_text(row["unit"]) or ""),
        approximate=_text(row["approximate"]) in ("true", "1"),
        lower_bound=_text(row["lowerBound"]) in ("true", "1"),
        derived=_text(row["derived"]) in ("true", "1") or passage == GRAPH_DERIVED,
        base=_text(row["base"]),
        base_value=_text(row["baseValue"]),
        base_label=_text(row["baseLabel"]),
        passages=(passage,) if passage and passage != GRAPH_DERIVED else (),
        sources=_some(row["source"]),
        source_labels=_some(row["sourceLabel"]),
        quotes=_some(row["quote"]),
        derived_from=tuple(sorted((_text(row["inputs"]) or "").split())),
    )


def _union(known: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(known) | set(more)))


def _some(term: object) -> tuple[str, ...]:
    text = _text(term)
    return (text,) if text else ()


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
