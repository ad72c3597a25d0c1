"""The bulk-loading recipes of docs/loading.md, run for the stores that install here:
``oxigraph load`` (PyPI) and Jena's ``tdb2.tdbloader`` (Debian's libapache-jena-java)."""

from __future__ import annotations

import os
import subprocess

import pyoxigraph as ox
import pytest
from tests.stores import oxigraph_binary
from tests.tools import riot

from twentyfive.pipeline import build
from twentyfive.project import Project

PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def mini_dist(mini, tmp_path):
    project = Project.at(mini.root, tmp_path / "dist")
    assert build(project).conforms
    return project.dist_dir


def _build_quads(dist) -> set[ox.Quad]:
    return set(ox.parse(path=str(dist / "twentyfive.nq"), format=ox.RdfFormat.N_QUADS))


def test_oxigraph_load_recipe_keeps_every_quad(mini_dist, tmp_path):
    db, dump = tmp_path / "db", tmp_path / "dump.nq"
    subprocess.run(
        [
            oxigraph_binary(),
            "load",
            "--location",
            str(db),
            "--file",
            str(mini_dist / "twentyfive.nq"),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [oxigraph_binary(), "dump", "--location", str(db), "--file", str(dump)],
        check=True,
        capture_output=True,
    )
    assert set(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS)) == _build_quads(mini_dist)


@pytest.mark.slow
@pytest.mark.external
def test_fuseki_tdb2_recipe_keeps_every_graph(mini_dist, tmp_path):
    command = riot()  # Jena's classes; JENA_MAIN picks the tool in the shared wrapper
    if command[0] != "sh":
        pytest.skip("needs the shared Jena wrapper (../shared/tools/riot) to run tdb2 tools")
    db = tmp_path / "tdb2"

    def jena(main: str, *args: str) -> str:
        done = subprocess.run(
            [*command, *args],
            env={**os.environ, "JENA_MAIN": main},
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    jena("tdb2.tdbloader", "--loc", str(db), str(mini_dist / "twentyfive.nq"))
    table = jena("tdb2.tdbquery", "--loc", str(db), "--results=TSV", PER_GRAPH)
    counts = {}
    for line in table.splitlines()[1:]:
        graph, count = line.split("\t")
        counts[graph.strip("<>")] = int(count)
    expected: dict[str, int] = {}
    for quad in _build_quads(mini_dist):
        expected[quad.graph_name.value] = expected.get(quad.graph_name.value, 0) + 1
    assert counts == expected
