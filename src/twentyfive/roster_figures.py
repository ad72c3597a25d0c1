"""The social-structure figures computed from the roster, next to the published ones.

The primary source gives the structure of the 23,409 people with personal files (sex, party,
Metal Workers Union, experience bands). From a roster the same cells are counted by SPARQL on
pyoxigraph, as shares of the people in the roster, and set beside the published figure of
each cell where the graph holds one, with the difference. For a complete roster the two
agree within the source's rounding.

Published figures are looked up in the statistics cube: a ``qb:Observation`` whose dimension
value is the cell's code (``concept:sex-male``, ``concept:affiliation-komsomol``, …) and whose
measure is ``tft:share`` (per cent) or ``tft:personCount`` (persons). Cells the graph has no
figure for show an empty published value.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import PREFIXES, sparql_prologue

FIGURES_FILE = "roster-figures.csv"


@dataclass(frozen=True)
class Cell:
    """One figure: a dimension, the code of its category, and how the roster shows it."""

    dimension: str
    notation: str  # the slug of the cube's code: concept:<notation>
    label: str
    pattern: str  # a SPARQL group pattern about ?person


CELLS: tuple[Cell, ...] = (
    Cell("sex", "sex-male", "males", "?person schema:gender schema:Male ."),
    Cell("sex", "sex-female", "females", "?person schema:gender schema:Female ."),
    Cell("party", "affiliation-communist-party", "members (and candidates) of the CPSU",
         "?m org:member ?person ; org:organization organization:communist-party-of-the-soviet-union ."),
    Cell("party", "affiliation-komsomol", "members of the Komsomol",
         "?m org:member ?person ; org:organization organization:komsomol ."),
    Cell("party", "affiliation-none", "no party affiliation", "?person tft:partyStatus tft:NonParty ."),
    Cell("union", "union-metal-workers", "members of the Metal Workers Union",
         "?m org:member ?person ; org:organization organization:metal-workers-union ."),
    Cell("experience", "experience-up-to-5-years", "up to 5 years of work experience",
         "?person tft:workExperienceYears ?years . FILTER(?years < 5)"),
    Cell("experience", "experience-5-to-12-years", "5 to 12 years of work experience",
         "?person tft:workExperienceYears ?years . FILTER(?years >= 5 && ?years <= 12)"),
    Cell("experience", "experience-over-12-years", "more than 12 years of work experience",
         "?person tft:workExperienceYears ?years . FILTER(?years > 12)"),
)

PUBLISHED_QUERY = """
SELECT ?code ?measure ?value WHERE {
  ?observation a qb:Observation ; ?dimension ?code ; ?measure ?value .
  VALUES ?measure { tft:share tft:personCount }
  FILTER(isIRI(?code) && STRSTARTS(STR(?code), STR(concept:)) && isNumeric(?value))
}"""


@dataclass(frozen=True)
class Figure:
    cell: Cell
    count: int
    base: int
    published: float | None  # as the cube gives it: a share in per cent, or a count of persons
    published_is_count: bool = False

    @property
    def share(self) -> float:
        return 100.0 * self.count / self.base if self.base else 0.0

    @property
    def difference(self) -> float | None:
        """Roster minus published: percentage points for a share, persons for a count."""
        if self.published is None:
            return None
        if self.published_is_count:
            return self.count - self.published
        return self.share - self.published


def roster_figures(kg: KnowledgeGraph) -> list[Figure]:
    """Every cell counted over the roster's people (one SPARQL query per cell, run on pyoxigraph)."""
    prologue = sparql_prologue()
    base = _count(kg, prologue, "")
    published = published_figures(kg)
    figures = []
    for cell in CELLS:
        value, is_count = published.get(cell.notation, (None, False))
        figures.append(Figure(cell, _count(kg, prologue, cell.pattern), base, value, is_count))
    return figures


def published_figures(kg: KnowledgeGraph) -> dict[str, tuple[float, bool]]:
    """The cube's figure of each code (its slug): the value, and whether it counts persons."""
    found: dict[str, tuple[float, bool]] = {}
    count = PREFIXES["tft"] + "personCount"
    for row in sorted(kg.query(sparql_prologue() + PUBLISHED_QUERY), key=lambda r: r["measure"].value, reverse=True):
        slug = row["code"].value.rsplit("/", 1)[1]
        found.setdefault(slug, (float(row["value"].value), row["measure"].value == count))
    return found


def _count(kg: KnowledgeGraph, prologue: str, pattern: str) -> int:
    query = (f"{prologue}SELECT (COUNT(DISTINCT ?person) AS ?n) WHERE {{ "
             f"?person a tft:TwentyFiveThousander . {pattern} }}")
    [row] = list(kg.query(query))
    value = row["n"]
    return int(value.value) if isinstance(value, ox.Literal) else 0


def figures_csv(figures: list[Figure]) -> str:
    """The figures as CSV: one row per cell, counts, shares and the difference."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["dimension", "category", "label", "roster count", "roster base", "roster share (%)",
                     "published", "difference"])
    for figure in figures:
        writer.writerow([
            figure.cell.dimension, figure.cell.notation, figure.cell.label, figure.count, figure.base,
            f"{figure.share:.1f}", "" if figure.published is None else _number(figure.published, figure.published_is_count),
            "" if figure.difference is None else f"{figure.difference:+.1f}",
        ])
    return buffer.getvalue()


def figures_table(figures: list[Figure]) -> str:
    """The figures as a plain-text table for the terminal."""
    rows = [["category", "count", "share %", "published", "difference"]]
    for figure in figures:
        rows.append([figure.cell.label, str(figure.count), f"{figure.share:.1f}",
                     "–" if figure.published is None else _number(figure.published, figure.published_is_count),
                     "–" if figure.difference is None else f"{figure.difference:+.1f}"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    base = figures[0].base if figures else 0
    return "\n".join(lines) + f"\n(base: {base} people in the roster)\n"


def write_figures(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """The build's writer: ``roster-figures.csv`` when the graph holds roster people."""
    figures = roster_figures(kg)
    if not figures or figures[0].base == 0:
        return []
    path = out / FIGURES_FILE
    path.write_text(figures_csv(figures), encoding="utf-8")
    return [path]


def _number(value: float, is_count: bool) -> str:
    return f"{value:.0f}" if is_count else f"{value:g}"
