"""dist/stats/: CSV files checked against the graph, their CSVW metadata, the charts, the
terminal tables, the competency questions over the cubes, and the provenance of the build."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from tests.cube_project import cube_project

from twentyfive import __version__
from twentyfive.cli import main
from twentyfive.cubes import Cube, Figure
from twentyfive.pipeline import build
from twentyfive.project import Project
from twentyfive.publish.charts import chart_svg
from twentyfive.store import EmbeddedStore

SVG = "{http://www.w3.org/2000/svg}"
XSD = "http://www.w3.org/2001/XMLSchema#"
CUBES = [
    "campaign",
    "social-structure-party",
    "social-structure-sex",
    "social-structure-trade-union",
    "social-structure-work-experience",
]


@pytest.fixture(scope="module")
def built_cubes(tmp_path_factory) -> tuple[Project, Path]:
    project = cube_project(tmp_path_factory.mktemp("stats"))
    outcome = build(project)
    assert outcome.conforms, "\n".join(f.format() for f in outcome.findings)
    return project, project.dist_dir


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_every_cube_is_written_as_csv_metadata_and_chart(built_cubes):
    _, dist = built_cubes
    names = sorted(p.name for p in (dist / "stats").iterdir())
    assert names == sorted(
        f"{c}{ext}" for c in CUBES for ext in (".csv", ".csv-metadata.json", ".svg")
    )


def test_the_csv_figures_are_the_figures_of_the_graph(built_cubes):
    _, dist = built_cubes
    assert (
        _check_csv_against_graph(dist) == 14
    )  # 4 campaign figures, 2 + 3 + 3 shares, the union count and its share


def test_the_csv_figures_of_the_real_build_are_the_figures_of_its_graph(dist):
    assert _check_csv_against_graph(dist) == 14


def _check_csv_against_graph(dist: Path) -> int:
    """Each row against the built N-Quads, by SPARQL written here (not by the writer's reader)."""
    store = EmbeddedStore.from_dist(dist)
    checked = 0
    for cube in CUBES:
        rows = _csv(dist / "stats" / f"{cube}.csv")
        expected = {
            (r["obs"].value, r["measure"].value): r
            for r in store.query(
                f"""PREFIX qb: <http://purl.org/linked-data/cube#>
                SELECT ?obs ?measure ?value ?unit ?approximate WHERE {{
                  ?obs qb:dataSet <https://w3id.org/twentyfive/id/dataset/{cube}> ; ?measure ?value .
                  ?measure a qb:MeasureProperty .
                  ?obs <http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure> ?unit .
                  OPTIONAL {{ ?obs <https://w3id.org/twentyfive/ontology#approximate> ?approximate }}
                }}"""
            )
        }
        assert len(rows) == len(expected), "one row per observation and measure"
        assert {(r["observation"], r["measure"]) for r in rows} == set(expected)
        for row in rows:
            graph = expected[(row["observation"], row["measure"])]
            assert Decimal(row["value"]) == Decimal(graph["value"].value)
            assert row["unit"] == graph["unit"].value
            approximate = graph["approximate"] is not None and graph["approximate"].value == "true"
            assert (row["approximate"] == "true") == approximate
            checked += 1
    return checked


def test_approximate_figures_stay_approximate_in_the_csv(built_cubes):
    _, dist = built_cubes
    union = {
        r["measure"].rsplit("#", 1)[1]: r
        for r in _csv(dist / "stats" / "social-structure-trade-union.csv")
    }
    assert (union["personCount"]["value"], union["personCount"]["approximate"]) == ("16000", "true")
    assert (union["share"]["value"], union["share"]["approximate"], union["share"]["derived"]) == (
        "68.3",
        "true",
        "true",
    )
    [volunteers] = [
        r for r in _csv(dist / "stats" / "campaign.csv") if r["code"].endswith("figure-volunteers")
    ]
    assert (volunteers["value"], volunteers["lower_bound"]) == ("70000", "true")


def _expand(template: str, row: dict[str, str]) -> str:
    for name, value in row.items():
        template = template.replace("{+" + name + "}", value)
    return template


def test_the_csvw_metadata_maps_every_output_column_back_to_the_graph(built_cubes):
    """What a CSVW processor makes of each row (aboutUrl, propertyUrl, valueUrl) is in the graph."""
    _, dist = built_cubes
    store = EmbeddedStore.from_dist(dist)
    for cube in CUBES:
        metadata = json.loads(
            (dist / "stats" / f"{cube}.csv-metadata.json").read_text(encoding="utf-8")
        )
        assert metadata["url"] == f"{cube}.csv" and metadata["dc:title"] and metadata["dc:source"]
        columns = metadata["tableSchema"]["columns"]
        rows = _csv(dist / "stats" / metadata["url"])
        assert [c["name"] for c in columns] == list(rows[0])
        assert all(c["titles"] and c["datatype"] for c in columns)
        for row in rows:
            subject = _expand(metadata["tableSchema"]["aboutUrl"], row)
            for column in columns:
                if column.get("suppressOutput") or row[column["name"]] == "":
                    continue
                predicate = _expand(column["propertyUrl"], row)
                if "valueUrl" in column:
                    obj = f"<{_expand(column['valueUrl'], row)}>"
                    ask = f"ASK {{ <{subject}> <{predicate}> {obj} }}"
                else:
                    value = row[column["name"]]
                    ask = f'ASK {{ <{subject}> <{predicate}> ?v FILTER(STR(?v) = "{value}") }}'
                assert bool(store.query(ask)), f"{cube}: {ask}"


def test_a_csvw_processor_reads_every_table_with_its_metadata(built_cubes):
    """An independent CSV on the Web implementation (csvw) validates metadata and values."""
    csvw = pytest.importorskip("csvw")
    _, dist = built_cubes
    for cube in CUBES:
        table = csvw.CSVW(str(dist / "stats" / f"{cube}.csv-metadata.json"), validate=True)
        assert table.is_valid, [str(w.message) for w in table.warnings]


def test_the_csvw_processor_rejects_a_wrong_datatype(built_cubes, tmp_path):
    csvw = pytest.importorskip("csvw")
    _, dist = built_cubes
    for name in ("social-structure-sex.csv", "social-structure-sex.csv-metadata.json"):
        (tmp_path / name).write_bytes((dist / "stats" / name).read_bytes())
    path = tmp_path / "social-structure-sex.csv-metadata.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    for column in metadata["tableSchema"]["columns"]:
        if column["name"] == "value":
            column["datatype"] = "integer"  # 92.3 is not an integer
    path.write_text(json.dumps(metadata), encoding="utf-8")
    assert not csvw.CSVW(str(path), validate=True).is_valid


def test_each_chart_is_an_accessible_svg_with_its_figures_base_and_source(built_cubes):
    _, dist = built_cubes
    root = ET.parse(dist / "stats" / "social-structure-party.svg").getroot()
    assert (
        root.get("role") == "img"
        and root.find(f"{SVG}title").text == "Social structure: party affiliation"
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label in ("members of the CPSU", "69.9 %", "members of the Komsomol", "8.6 %", "21.5 %"):
        assert label in texts
    assert any("23,409" in t for t in texts) and any(
        "Wikipedia: Twenty-five-thousander" in t for t in texts
    )
    assert "69.9" in root.find(f"{SVG}desc").text
    assert not list(root.iter(f"{SVG}path")), "text is text, not outlines"
    union = ET.parse(dist / "stats" / "social-structure-trade-union.svg").getroot()
    assert "≈ 68.3 % (derived)" in [t.text for t in union.iter(f"{SVG}text")]


def test_chart_text_is_escaped():
    figure = Figure(
        "urn:o",
        "urn:c",
        "<script>&",
        (1, ""),
        "urn:m",
        "m",
        "5",
        "http://qudt.org/vocab/unit/PERCENT",
        "per cent",
        False,
        False,
        False,
        None,
        None,
        None,
        (),
        (),
        (),
        (),
    )
    svg = chart_svg(Cube("urn:d", 'A "cube" </svg> & more', "urn:dim", "dim", figures=[figure]))
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == 'A "cube" </svg> & more'
    assert "<script>&" in [t.text for t in root.iter(f"{SVG}text")]


def test_stats_prints_the_tables(built_cubes, capsys):
    project, _ = built_cubes
    assert main(["--project", str(project.root), "-q", "stats"]) == 0
    out = capsys.readouterr().out
    assert "Social structure: trade union" in out and "≈ 16,000" in out and "approx." in out
    assert (
        "≥ 70,000" in out and "92.3" in out and "23,409" in out and "passage:wikipedia-sex" in out
    )


# --- provenance -----------------------------------------------------------------------------


def _graph(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def test_provenance_lists_inputs_outputs_and_software_with_checksums(built_cubes):
    project, dist = built_cubes
    store = _graph(dist / "provenance.ttl")
    prefix = "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <http://schema.org/> "
    files = {
        (r["relation"].value.rsplit("#", 1)[1], r["path"].value): r["sha"].value
        for r in store.query(
            prefix
            + "SELECT ?relation ?path ?sha WHERE { ?build a prov:Activity ; ?relation ?file . "
            "?file dcterms:identifier ?path ; spdx:checksum/spdx:checksumValue ?sha }"
        )
    }

    inputs = {p for r, p in files if r == "used"}
    assert "data/observation/share-male.trig" in inputs and "ontology/cube.ttl" in inputs
    for (relation, path), sha in files.items():
        folder = project.root if relation == "used" else dist
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == sha, path
    outputs = {p for r, p in files if r == "generated"}
    assert (
        "stats/campaign.csv" in outputs
        and "twentyfive.nq" in outputs
        and "provenance.ttl" not in outputs
    )
    [row] = store.query(
        prefix
        + "SELECT ?v ?s ?e WHERE { ?b prov:wasAssociatedWith ?a ; prov:startedAtTime ?s ; prov:endedAtTime ?e . ?a a prov:SoftwareAgent ; schema:softwareVersion ?v }"
    )
    assert row["v"].value == __version__ and row["s"].value <= row["e"].value


def _files(dist: Path) -> dict[str, bytes]:
    return {
        p.relative_to(dist).as_posix(): p.read_bytes()
        for p in sorted(dist.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_builds_are_byte_identical_and_only_provenance_records_the_time(tmp_path, monkeypatch):
    project = cube_project(tmp_path)
    runs = []
    for epoch in (None, None, "1700000000", "1700000000"):
        if epoch is None:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        dist = tmp_path / f"dist-{len(runs)}"
        assert build(Project.at(project.root, dist)).conforms
        runs.append(_files(dist))
    timed = ("provenance.ttl", "site/provenance.ttl")  # the static site holds it too
    without_time = [{k: v for k, v in run.items() if k not in timed} for run in runs]
    assert without_time[0] == without_time[1] == without_time[2]
    assert runs[2] == runs[3], "with SOURCE_DATE_EPOCH, provenance.ttl is reproducible too"
    assert b'"2023-11-14T22:13:20Z"^^xsd:dateTime' in runs[2]["provenance.ttl"]
    assert b"provenance.ttl" not in runs[0]["SHA256SUMS"]
