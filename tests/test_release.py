"""Releases: immutable folders, a changelog of exactly the changed quads, tombstones and
redirects, a fingerprint that does not depend on the format, and ``twentyfive diff``."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from tests.conftest import FIXTURES

from twentyfive import formats
from twentyfive.cli import main
from twentyfive.fingerprint import fingerprint, read_quads
from twentyfive.project import Project

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
ID = "https://w3id.org/twentyfive/id/"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "described", root)
    return Project.at(root)


def _release(project: Project, version: str, *extra: str) -> int:
    return main(["-q", "--project", str(project.root), "release", version, *extra])


def _quads(path: Path) -> set[ox.Quad]:
    return set(
        ox.parse(
            path=str(path),
            format=ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.N_QUADS,
        )
    )


def _snapshot(folder: Path) -> dict[str, object]:
    return {
        str(p.relative_to(folder)): (str(p.readlink()) if p.is_symlink() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_symlink() or p.is_file()
    }


def _change_the_data(project: Project) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Rename one label, delete one entity, add one that is merged into another.

    Returns the quads expected added and removed, read from the files themselves."""
    place = project.data_dir / "place" / "soviet-union.trig"
    place.write_text(place.read_text().replace('"Soviet Union"@en', '"USSR"@en'))
    graph = ox.NamedNode(ID + "passage/facts-soviet-union")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    su = ox.NamedNode(ID + "place/soviet-union")
    kolkhoz = project.data_dir / "concept" / "kolkhoz.trig"
    removed = _quads(kolkhoz) | {
        ox.Quad(su, label, ox.Literal("Soviet Union", language="en"), graph)
    }
    kolkhoz.unlink()
    merged = project.data_dir / "place" / "ussr.trig"
    merged.write_text(
        "@prefix place: <https://w3id.org/twentyfive/id/place/> .\n"
        "@prefix passage: <https://w3id.org/twentyfive/id/passage/> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "GRAPH passage:facts-soviet-union "
        "{ place:ussr dcterms:isReplacedBy place:soviet-union . }\n"
    )
    added = _quads(merged) | {ox.Quad(su, label, ox.Literal("USSR", language="en"), graph)}
    return added, removed


def test_two_releases_of_a_changed_graph_list_exactly_the_changed_quads(project):
    assert _release(project, "1.0.0") == 0
    added, removed = _change_the_data(project)
    assert _release(project, "1.1.0") == 0
    folder = project.dist_dir / "releases" / "1.1.0"
    assert _quads(folder / "changes" / "added.nq") == added
    assert _quads(folder / "changes" / "removed.nq") == removed
    summary = (folder / "changes" / "CHANGES.md").read_text()
    assert f"{len(added)} quad(s) added and {len(removed)} removed, in 3 entities" in summary
    assert (
        f"## <{ID}concept/kolkhoz>" in summary
        and "+ <https://w3id.org/twentyfive/id/place/soviet-union>" in summary
    )
    first = project.dist_dir / "releases" / "1.0.0"
    record = json.loads((first / "release.json").read_text())
    assert record["previous"] is None and record["added"] == len(_quads(first / "twentyfive.nq"))


def test_the_release_says_its_version_date_and_predecessor(project):
    _release(project, "1.0.0")
    _change_the_data(project)
    _release(project, "1.1.0", "--date", "2024-02-29")
    release = rdflib.URIRef("https://w3id.org/twentyfive/releases/1.1.0")
    graph = rdflib.Graph().parse(project.dist_dir / "releases" / "1.1.0" / "void.ttl")
    assert str(graph.value(release, DCAT.version)) == "1.1.0"
    assert str(graph.value(release, DCTERMS.issued)) == "2024-02-29"
    assert graph.value(release, DCAT.previousVersion) == rdflib.URIRef(
        "https://w3id.org/twentyfive/releases/1.0.0"
    )
    for url in graph.objects(release, DCAT.downloadURL):
        assert str(url).startswith(str(release) + "/")
    # dist/ itself is now this release, and dist/latest points at it
    current = rdflib.Graph().parse(project.dist_dir / "void.ttl")
    dataset = rdflib.URIRef(ID + "dataset/twentyfive")
    assert str(current.value(dataset, DCAT.version)) == "1.1.0"
    assert (project.dist_dir / "latest").readlink() == Path("releases/1.1.0")
    first = (project.dist_dir / "releases" / "1.0.0" / "CITATION.cff").read_text()
    assert 'version: "1.0.0"' in first and "date-released: 2023-11-14" in first  # SOURCE_DATE_EPOCH
    bib = (project.dist_dir / "releases" / "1.1.0" / "CITATION.bib").read_text()
    assert bib.startswith("@misc{twentyfive_1_1_0,") and "year = {2024}" in bib


def test_gone_and_merged_entities_give_tombstones_and_redirects(project):
    _release(project, "1.0.0")
    _change_the_data(project)
    _release(project, "1.1.0")
    tombstones = json.loads(
        (project.dist_dir / "releases" / "1.1.0" / "tombstones.json").read_text()
    )
    assert list(tombstones) == [ID + "concept/kolkhoz"]
    stone = tombstones[ID + "concept/kolkhoz"]
    assert stone["removed_in"] == "1.1.0" and stone["last_release"] == "1.0.0"
    last = rdflib.Graph().parse(data=stone["last_description"], format="turtle")
    assert (
        rdflib.URIRef(ID + "concept/kolkhoz"),
        rdflib.RDFS.label,
        rdflib.Literal("колхоз", lang="ru"),
    ) in last
    redirects = json.loads((project.dist_dir / "redirects.json").read_text())
    assert list(redirects["gone"]) == [ID + "concept/kolkhoz"]
    assert redirects["moved"] == {ID + "place/ussr": ID + "place/soviet-union"}


def test_a_release_that_exists_is_refused_and_nothing_changes(project, capsys):
    assert _release(project, "1.0.0") == 0
    before = _snapshot(project.dist_dir)
    _change_the_data(project)
    assert _release(project, "1.0.0") == 2
    assert "release 1.0.0 already exists" in capsys.readouterr().err
    assert _release(project, "0.9.0") == 2
    assert "not after the latest release 1.0.0" in capsys.readouterr().err
    assert _release(project, "v2") == 2
    assert "not a semantic version" in capsys.readouterr().err
    assert _snapshot(project.dist_dir) == before


def test_a_release_of_data_with_violations_changes_nothing(project):
    assert _release(project, "1.0.0") == 0
    before = _snapshot(project.dist_dir)
    path = project.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text() + '\nperson:mikhail-sholokhov schema:name "x" .\n')
    assert _release(project, "1.1.0") == 1
    assert _snapshot(project.dist_dir) == before
    assert not any(p.name.startswith(".") for p in (project.dist_dir / "releases").iterdir())


def test_the_release_checksums_match_its_files(project):
    _release(project, "1.0.0")
    folder = project.dist_dir / "releases" / "1.0.0"
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    assert any(line.endswith("  changes/added.nq") for line in lines)
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_the_fingerprint_is_the_same_in_every_format(project):
    main(["-q", "--project", str(project.root), "build"])
    dist = project.dist_dir
    quad_prints = {
        fingerprint(read_quads(dist / f"twentyfive.{f.extension}")) for f in formats.QUAD_FORMATS
    }
    triple_prints = {
        fingerprint(read_quads(dist / f"twentyfive.{f.extension}")) for f in formats.TRIPLE_FORMATS
    }
    assert len(quad_prints) == 1 and len(triple_prints) == 1
    assert quad_prints != triple_prints  # the quads keep their graphs; the triples do not
    assert fingerprint(read_quads(dist / "twentyfive.ttl.gz")) in triple_prints


def test_the_fingerprint_relabels_blank_nodes_as_rdfc_does():
    def graph(label: str) -> list[ox.Quad]:
        node = ox.BlankNode(label)
        return [
            ox.Quad(
                ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), node
            ),
            ox.Quad(node, ox.NamedNode("http://example.org/q"), ox.Literal("x")),
        ]

    assert fingerprint(graph("b1")) == fingerprint(graph("zz"))
    assert fingerprint(graph("b1")) != fingerprint(graph("b1")[:1])


def test_diff_compares_two_dump_files(project, tmp_path, capsys):
    main(["-q", "--project", str(project.root), "build"])
    old = tmp_path / "old.ttl"
    shutil.copy(project.dist_dir / "twentyfive.ttl", old)
    _change_the_data(project)
    main(["-q", "--project", str(project.root), "build"])
    capsys.readouterr()
    assert (
        main(
            [
                "diff",
                str(old),
                str(project.dist_dir / "twentyfive.nt"),
                "--out",
                str(tmp_path / "changes"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("# Changes from ") and f"## <{ID}place/ussr>" in out
    added = set(ox.parse(path=str(tmp_path / "changes" / "added.nq"), format=ox.RdfFormat.N_QUADS))
    assert (
        ox.Quad(
            ox.NamedNode(ID + "place/soviet-union"),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal("USSR", language="en"),
        )
        in added
    )
    assert main(["diff", str(old), str(tmp_path / "missing.nq")]) == 2


def test_the_fast_path_without_blank_nodes_is_the_rdfc_canonical_form():
    from twentyfive.fingerprint import canonical_nquads

    a, p = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p")
    odd = ["line\nbreak", 'quote " and \\ backslash', "tab\tand unicode ё 😀", "\u0007bell"]
    quads = [ox.Quad(a, p, ox.Literal(text)) for text in odd]
    quads += [
        ox.Quad(a, p, ox.Literal("x", language="EN-gb"), ox.NamedNode("http://example.org/g")),
        ox.Quad(
            a,
            p,
            ox.Literal("1.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        ),
    ]
    store = ox.Store()
    store.extend(quads)
    assert canonical_nquads(quads) == canonical_nquads(quads, relabel=True)
    # the store keeps values, not lexical forms ("1.50" comes back as "1.5"): same on both paths
    assert canonical_nquads(store) == canonical_nquads(store, relabel=True)


@pytest.mark.slow
def test_a_release_of_the_real_data_is_whole_and_consistent(tmp_path, monkeypatch):
    from tests.conftest import copy_of_root

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    real = copy_of_root(tmp_path)
    if not real.data_dir.is_dir():
        pytest.skip("the repository has no data/ yet")
    assert _release(real, "1.0.0") == 0
    folder = real.dist_dir / "releases" / "1.0.0"
    record = json.loads((folder / "release.json").read_text())
    assert record["fingerprint"] == fingerprint(read_quads(folder / "twentyfive.trig"))
    assert record["added"] == len(_quads(folder / "twentyfive.nq"))
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_the_release_description_passes_the_description_shapes_and_dcat_ap(project):
    from tests.publish.test_description import _dcat_ap, _own_shapes, _results

    _release(project, "1.0.0")
    _change_the_data(project)
    _release(project, "1.1.0")
    graph = rdflib.Graph().parse(project.dist_dir / "releases" / "1.1.0" / "void.ttl")
    assert _results(graph, _own_shapes()) == []
    dcat_ap = _dcat_ap("shapes.ttl", "range.ttl", "deprecateduris.ttl")
    assert [r for r in _results(graph, dcat_ap) if r[0] == "Violation"] == []
