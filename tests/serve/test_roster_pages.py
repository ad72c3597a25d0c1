"""Roster entities: listed by the build, not prebuilt, rendered by the server on request.

One small roster project is built twice: by default (roster people and passages left to the
server) and with ``--all-pages`` (every page prebuilt). The server over the first must answer
with exactly the bytes the second wrote: one renderer, whichever side runs it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import httpx
import pytest
from tests.roster.conftest import roster_project
from tests.serve.conftest import free_port, running, running_server

from twentyfive import formats
from twentyfive.check import discover
from twentyfive.check.client import Client
from twentyfive.negotiation import LANGUAGES, html_file_name
from twentyfive.pipeline import build
from twentyfive.publish.documents import INDEX_FILE

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import synthetic_roster  # noqa: E402

PEOPLE = 12
PERSON = "synthetic-1-1-7"
PASSAGE = f"roster-synthetic-{PERSON}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(project, default dist, --all-pages dist)."""
    root = tmp_path_factory.mktemp("roster-pages")
    project = roster_project(root / "project")
    synthetic_roster.write_roster(project.data_dir / "roster", PEOPLE)
    default = build(dataclasses.replace(project, dist_override=root / "default"))
    assert default.conforms, [f.format() for f in default.violations]
    every = build(dataclasses.replace(project, dist_override=root / "all", all_pages=True))
    assert every.conforms
    return project.root, root / "default", root / "all"


@pytest.fixture(scope="module", params=["store in memory", "store on disk"])
def server(builds, request) -> str:
    """The server over the default build, its graph in memory (a small build) or in its store
    on disk (as a build of archive scale is served: made once, opened read-only)."""
    project, default, _ = builds
    environ = {"TWENTYFIVE_ON_DISK_FROM_QUADS": "0"} if request.param == "store on disk" else {}
    with running_server(project, default, **environ) as base:
        yield base


def test_sparql_answers_alike_from_the_store_in_memory_and_on_disk(server, builds, request):
    project, default, _ = builds
    query = "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with httpx.Client(base_url=server, headers={"Accept": "application/sparql-results+json"}) as client:
        [row] = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
        [whole] = client.get("/sparql", params={"query": union}).json()["results"]["bindings"]
    built = json.loads((default / "build.json").read_text(encoding="utf-8"))
    assert int(row["n"]["value"]) == built["quads"] and int(row["graphs"]["value"]) == built["graphs"]
    assert int(whole["n"]["value"]) == len((default / "twentyfive.nt").read_bytes().splitlines())
    made = list((default.parent / ".twentyfive-cache" / "store").glob("*/CURRENT"))  # RocksDB's
    assert len(made) == (request.node.callspec.params["server"] == "store on disk")


def _index(dist: Path) -> dict[tuple[str, str], dict]:
    entries = json.loads((dist / INDEX_FILE).read_text(encoding="utf-8"))["entities"]
    return {(e["kind"], e["slug"]): e for e in entries}


def test_the_build_lists_roster_entities_without_prebuilding_them(builds):
    _, default, every = builds
    index = _index(default)
    left = {key for key, entry in index.items() if not entry["prebuilt"]}
    people = {key for key in index if key[0] == "person"}
    assert len(people) == PEOPLE and people <= left
    assert ("passage", PASSAGE) in left
    assert not (default / "doc" / "person").exists()
    assert not (default / "doc" / "passage" / f"{PASSAGE}.ttl").exists()
    # curated entities are prebuilt as before, and the index keeps their labels
    assert ("group", "twenty-five-thousanders") not in left
    assert (default / "doc" / "group" / "twenty-five-thousanders.ttl").is_file()
    assert index[("person", PERSON)]["labels"]["ru"].startswith("СИНТЕТИКА")
    # --all-pages: the same index, everything prebuilt
    assert set(_index(every)) == set(index)
    assert all(entry["prebuilt"] for entry in _index(every).values())


@pytest.mark.parametrize("kind, slug", [("person", PERSON), ("passage", PASSAGE)])
def test_a_document_rendered_on_request_is_the_one_the_build_would_write(server, builds, kind, slug):
    _, _, every = builds
    names = [f"{slug}.{fmt.extension}" for fmt in formats.TRIPLE_FORMATS]
    names += [html_file_name(slug, language) for language in LANGUAGES]
    with httpx.Client(base_url=server) as client:
        for name in names:
            response = client.get(f"/doc/{kind}/{name}")
            assert response.status_code == 200, name
            assert response.content == (every / "doc" / kind / name).read_bytes(), name


def test_dereferencing_and_caching_headers_of_a_roster_person(server):
    with httpx.Client(base_url=server) as client:
        see_other = client.get(f"/id/person/{PERSON}", headers={"Accept": "application/ld+json"})
        assert see_other.status_code == 303
        assert see_other.headers["location"] == f"/doc/person/{PERSON}.jsonld"
        page = client.get(f"/doc/person/{PERSON}", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Accept-Language" in page.headers["vary"]
        assert page.headers["etag"] and page.headers["last-modified"]
        again = client.get(
            f"/doc/person/{PERSON}.ttl", headers={"If-None-Match": client.get(
                f"/doc/person/{PERSON}.ttl").headers["etag"]}
        )
        assert again.status_code == 304
        assert client.get("/doc/person/synthetic-1-1-999.ttl").status_code == 404
        assert client.get(f"/doc/person/{PERSON}.ru.ttl").status_code == 404


#: A real server whose sitemaps hold 10 URLs each (the limit is 50,000: too many for a test).
SMALL_SITEMAPS = (
    "import sys; from pathlib import Path; from twentyfive.serve import wellknown, runner; "
    "wellknown.SITEMAP_LIMIT = 10; "
    "runner.run(Path(sys.argv[1]), '127.0.0.1', int(sys.argv[2]), query_timeout=5, query_workers=1)"
)


def test_the_sitemap_splits_past_the_limit(builds):
    _, default, _ = builds
    pages = len(_index(default)) + 2  # the home page and the ontology's
    port = free_port()
    command = [sys.executable, "-c", SMALL_SITEMAPS, str(default), str(port)]
    with running(command, f"http://127.0.0.1:{port}", "the server", 60) as base:
        with httpx.Client(base_url=base) as client:
            index = client.get("/sitemap.xml").text
            parts = -(-pages // 10)
            assert index.count("<sitemap>") == parts and "<sitemapindex" in index
            urls = [
                line
                for n in range(1, parts + 1)
                for line in client.get(f"/sitemap-{n}.xml").text.splitlines()
                if "<url>" in line
            ]
            assert len(urls) == len(set(urls)) == pages
            assert f"/doc/person/{PERSON}.html" in "".join(urls)
            assert client.get(f"/sitemap-{parts + 1}.xml").status_code == 404
            assert client.get("/sitemap-x.xml").status_code == 404
        # twentyfive check samples things from the first part of a sitemap index
        deployment = discover.read_void(Client(timeout=10), base)
        sampled = discover.sample_by_sitemap(Client(timeout=10), deployment)
        assert sampled and all(iri.startswith(deployment.root + "id/") for iri in sampled)
