"""``dist/stats/``: each cube as CSV with its CSV on the Web metadata, and as an SVG chart.

``<cube>.csv`` has one row per observation; ``<cube>.csv-metadata.json`` (W3C CSV on the Web)
gives each column its title and datatype and maps it back to our properties (``propertyUrl``),
so a CSVW processor turns the table into the very statements of the graph; ``<cube>.svg`` is
the chart. Every file depends only on the graph: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from twentyfive.cubes import Cube, read_cubes
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import PREFIXES
from twentyfive.publish.charts import chart_svg

STATS_DIR = "stats"
LICENCE = "https://creativecommons.org/licenses/by-sa/4.0/"

#: name, title, datatype, what the column says in RDF (None: shown only, not a statement)
COLUMNS: list[tuple[str, str, str, dict[str, str] | None]] = [
    ("observation", "observation", "anyURI", None),  # the subject of each row (aboutUrl)
    ("code", "category (code)", "anyURI", {"propertyUrl": "{dimension}", "valueUrl": "{+code}"}),
    ("category", "category", "string", None),
    ("measure", "measure", "anyURI", None),
    ("value", "figure", "{value}", {"propertyUrl": "{+measure}"}),
    (
        "unit",
        "unit",
        "anyURI",
        {"propertyUrl": PREFIXES["sdmx-attribute"] + "unitMeasure", "valueUrl": "{+unit}"},
    ),
    (
        "approximate",
        "approximate (true: the source says approx.)",
        "boolean",
        {"propertyUrl": PREFIXES["tft"] + "approximate"},
    ),
    (
        "lower_bound",
        "lower bound (true: the source says over)",
        "boolean",
        {"propertyUrl": PREFIXES["tft"] + "lowerBound"},
    ),
    (
        "derived",
        "derived (true: computed by the build)",
        "boolean",
        {"propertyUrl": PREFIXES["tft"] + "derived"},
    ),
    (
        "base",
        "base population (observation)",
        "anyURI",
        {"propertyUrl": PREFIXES["tft"] + "base", "valueUrl": "{+base}"},
    ),
    ("base_count", "base population (persons)", "integer", None),
    ("source", "sources (space-separated)", "string", None),
    ("passage", "passages: named graphs of the statement (space-separated)", "string", None),
    ("quote", "quotes of the passages (separated by |)", "string", None),
]


def rows(cube: Cube) -> list[dict[str, str]]:
    """The cube's rows; an attribute that is absent is an empty cell (CSVW null), not false."""
    return [
        {
            "observation": f.observation,
            "code": f.code,
            "category": f.category,
            "measure": f.measure,
            "value": f.value,
            "unit": f.unit,
            "approximate": "true" if f.approximate else "",
            "lower_bound": "true" if f.lower_bound else "",
            "derived": "true" if f.derived else "",
            "base": f.base or "",
            "base_count": f.base_value or "",
            "source": " ".join(f.sources),
            "passage": " ".join(f.passages),
            "quote": " | ".join(f.quotes),
        }
        for f in cube.figures
    ]


def to_csv(cube: Cube) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c[0] for c in COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(cube))
    return buffer.getvalue()


def csvw_metadata(cube: Cube, csv_name: str) -> dict[str, object]:
    """The CSV on the Web metadata of ``csv_name`` (embedded context; nothing to fetch but the standard one)."""
    integer = all(f.value.lstrip("-").isdigit() for f in cube.figures)
    columns = []
    for name, title, datatype, mapping in COLUMNS:
        column: dict[str, object] = {
            "name": name,
            "titles": title,
            "datatype": datatype.replace("{value}", "integer" if integer else "decimal"),
        }
        if name == "measure" and cube.measure_type:
            mapping = {"propertyUrl": PREFIXES["qb"] + "measureType", "valueUrl": "{+measure}"}
        if mapping is None:
            column["suppressOutput"] = True
        else:
            column.update({k: v.replace("{dimension}", cube.dimension) for k, v in mapping.items()})
        if datatype == "anyURI" and mapping is None and name != "observation":
            column["dc:description"] = "shown for reading; not a statement of the graph"
        columns.append(column)
    sources = cube.sources()
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": cube.label,
        "dc:identifier": cube.iri,
        "dc:description": (
            f"The RDF Data Cube {cube.iri} as a table: one row per observation, "
            f"with its {cube.dimension_label}, figure, unit, base population and source passage."
        ),
        "dc:source": [{"@id": s} for s in sources] if len(sources) != 1 else {"@id": sources[0]},
        "dc:license": {"@id": LICENCE},
        "tableSchema": {
            "aboutUrl": "{+observation}",
            "primaryKey": ["observation", "measure"],
            "columns": columns,
        },
    }


def write_stats(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """Write CSV, CSVW metadata and SVG chart of every cube into ``out/stats/``."""
    cubes = read_cubes(kg)
    if not cubes:
        return []
    folder = out / STATS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for cube in cubes:
        csv_path = folder / f"{cube.slug}.csv"
        csv_path.write_text(to_csv(cube), encoding="utf-8", newline="")
        metadata = folder / f"{cube.slug}.csv-metadata.json"
        text = json.dumps(csvw_metadata(cube, csv_path.name), ensure_ascii=False, indent=2) + "\n"
        metadata.write_text(text, encoding="utf-8")
        chart = folder / f"{cube.slug}.svg"
        chart.write_text(chart_svg(cube), encoding="utf-8")
        written += [csv_path, metadata, chart]
    return written
