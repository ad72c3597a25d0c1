"""Time ``twentyfive load`` into the Oxigraph server against Oxigraph's own bulk loader.

    python bench/load.py                      # synthetic: 100,000 quads in 10 graphs
    python bench/load.py --quads 20000        # smaller
    python bench/load.py --dist dist          # the real build (dist/twentyfive.nq)

One run each, on the same file: ``oxigraph load`` into a new store folder (the server's
bulk loader, no HTTP), one ``PUT`` of the whole file to the running server's Graph Store
endpoint (HTTP without staging or checks), and ``twentyfive load`` (staging, read-back of
counts and fingerprints, one switching update) first into an empty store, then again over
the same data (a reload). Prints a table; ratios are to ``oxigraph load``.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=100_000)
    parser.add_argument("--graphs", type=int, default=10)
    parser.add_argument("--dist", type=Path, help="a build to load instead of synthetic data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        if args.dist:
            dist = args.dist.resolve()
        else:
            dist = work / "dist"
            dist.mkdir()
            synthetic(dist / "twentyfive.nq", args.quads, args.graphs)
        nquads = dist / "twentyfive.nq"
        count = sum(1 for _ in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
        graphs = len(
            {q.graph_name for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)}
        )

        rows = [
            (
                "oxigraph load (bulk loader, no server)",
                timed(
                    lambda: subprocess.run(
                        [
                            oxigraph_binary(),
                            "load",
                            "--location",
                            str(work / "bulk"),
                            "--file",
                            str(nquads),
                        ],
                        check=True,
                        capture_output=True,
                    )
                ),
            )
        ]

        server = OxigraphServer(work / "server-put").start()
        try:

            def put_whole_file() -> None:
                with nquads.open("rb") as body:
                    httpx.post(
                        f"{server.url}/store",
                        content=body,
                        timeout=600,
                        headers={"Content-Type": "application/n-quads"},
                    ).raise_for_status()

            rows.append(("one HTTP POST of the file to /store", timed(put_whole_file)))
        finally:
            server.stop()

        server = OxigraphServer(work / "server-load").start()
        try:
            with SparqlClient(Endpoints.of(server.url), timeout=600) as client:
                rows.append(
                    ("twentyfive load, empty store", timed(lambda: load_build(dist, client)))
                )
                rows.append(
                    ("twentyfive load, reload of the same", timed(lambda: load_build(dist, client)))
                )
        finally:
            server.stop()

    bulk = rows[0][1]
    source = f"dist: {args.dist}" if args.dist else "synthetic"
    print(f"\n{count:,} quads in {graphs} graphs ({source})\n")
    print(f"| {'method':<40} | {'seconds':>8} | {'× oxigraph load':>15} |")
    print(f"|{'-' * 42}|{'-' * 10}:|{'-' * 16}:|")
    for name, seconds in rows:
        print(f"| {name:<40} | {seconds:>8.2f} | {seconds / bulk:>15.1f} |")


if __name__ == "__main__":
    main()
