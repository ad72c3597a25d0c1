"""Time ``twentyfive load`` into the Oxigraph server against Oxigraph's own bulk loader.

    python bench/load.py                      # 100,000 synthetic quads in 10 graphs, and our build
    python bench/load.py --quads 20000        # fewer synthetic quads (0: none)
    python bench/load.py --dist dist          # an existing build instead of building the project

One run each, on the same file: ``oxigraph load`` into a new store folder (the server's
bulk loader, no HTTP), one ``POST`` of the whole file to the running server's Graph Store
endpoint (HTTP without staging or checks), and ``twentyfive load`` (staging, read-back of
counts and fingerprints, one switching update) first into an empty store, then again over
the same data (nothing changed, so nothing is uploaded). Prints a table; ratios are to
``oxigraph load``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stores import OxigraphServer, oxigraph_binary  # noqa: E402

from twentyfive.load import load_build  # noqa: E402
from twentyfive.pipeline import build  # noqa: E402
from twentyfive.project import Project  # noqa: E402
from twentyfive.sparql_http import Endpoints, SparqlClient  # noqa: E402


def synthetic(path: Path, quads: int, graphs: int) -> None:
    """Persons with labels in two languages, years and memberships, spread over graphs."""
    base, schema = "https://w3id.org/twentyfive/id/", "http://schema.org/"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    out = []
    person = 0
    while len(out) < quads:
        subject = ox.NamedNode(f"{base}person/p{person}")
        graph = ox.NamedNode(f"{base}passage/bench-{person % graphs}")
        for predicate, value in (
            (
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(schema + "Person"),
            ),
            (label, ox.Literal(f"Person {person}", language="en")),
            (label, ox.Literal(f"Человек {person}", language="ru")),
            (
                ox.NamedNode(schema + "birthDate"),
                ox.Literal(
                    f"{1880 + person % 30}",
                    datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"),
                ),
            ),
            (ox.NamedNode(schema + "memberOf"), ox.NamedNode(f"{base}organization/o{person % 50}")),
        ):
            out.append(ox.Quad(subject, predicate, value, graph))
        person += 1
    ox.serialize(out[:quads], output=str(path), format=ox.RdfFormat.N_QUADS)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(dist: Path, work: Path) -> list[tuple[str, float]]:
    """The four timings for ``dist/twentyfive.nq``, each on a new store."""
    nquads = dist / "twentyfive.nq"
    bulk = [oxigraph_binary(), "load", "--location", str(work / "bulk"), "--file", str(nquads)]
    rows = [
        (
            "oxigraph load (bulk loader)",
            timed(lambda: subprocess.run(bulk, check=True, capture_output=True)),
        )
    ]

    server = OxigraphServer(work / "server-post").start()
    try:

        def post_whole_file() -> None:
            with nquads.open("rb") as body:
                headers = {"Content-Type": "application/n-quads"}
                answer = httpx.post(
                    f"{server.url}/store", content=body, headers=headers, timeout=600
                )
                answer.raise_for_status()

        rows.append(("one HTTP POST of the file", timed(post_whole_file)))
    finally:
        server.stop()

    server = OxigraphServer(work / "server-load").start()
    try:
        with SparqlClient(Endpoints.of(server.url), timeout=600) as client:
            rows.append(("twentyfive load, empty store", timed(lambda: load_build(dist, client))))
            rows.append(("twentyfive load, unchanged", timed(lambda: load_build(dist, client))))
    finally:
        server.stop()
    return rows


def describe(nquads: Path) -> str:
    quads = list(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
    return f"{len(quads):,} quads in {len({q.graph_name for q in quads})} graphs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=100_000, help="synthetic quads (0: none)")
    parser.add_argument("--graphs", type=int, default=10, help="graphs of the synthetic data")
    parser.add_argument("--dist", type=Path, help="a build to load (default: build the project)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        datasets = []
        if args.quads:
            synthetic_dist = work / "synthetic" / "dist"
            synthetic_dist.mkdir(parents=True)
            synthetic(synthetic_dist / "twentyfive.nq", args.quads, args.graphs)
            datasets.append(("synthetic", synthetic_dist))
        if args.dist:
            datasets.append((f"build {args.dist}", args.dist.resolve()))
        elif (ROOT / "data").is_dir():
            built = build(Project.at(ROOT, work / "project" / "dist"))
            if built.published:
                datasets.append(("our build", built.published))
        for name, dist in datasets:
            folder = work / f"run-{len(results)}"
            folder.mkdir()
            label = f"{name}, {describe(dist / 'twentyfive.nq')}"
            results.append((label, measure(dist, folder)))

    for label, rows in results:
        bulk = rows[0][1]
        print(f"\n{label}\n")
        print(f"| {'method':<30} | {'seconds':>8} | {'× oxigraph load':>15} |")
        print(f"|{'-' * 32}|{'-' * 9}:|{'-' * 16}:|")
        for method, seconds in rows:
            print(f"| {method:<30} | {seconds:>8.2f} | {seconds / bulk:>15.1f} |")


if __name__ == "__main__":
    main()
