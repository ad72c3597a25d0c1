"""Benchmark ``twentyfive serve`` against the Oxigraph server on the same data and queries.

A fixed mix, each case run with wrk (8 connections, 2 threads) for a few seconds:
entity dereferencing (303) with each Accept type, entity documents in each format, HTML
pages, a small SPARQL SELECT, a group-by over the whole graph, and the competency queries of
``queries/``. The Oxigraph server (``oxigraph serve-read-only`` from PyPI) answers the same
SPARQL queries, and a CONSTRUCT of the entity stands in for its "document". Prints req/s,
p50 and p99 latency, and our figures as ratios to Oxigraph's.

    python bench/serve.py                      # a synthetic project of 2,000 people
    python bench/serve.py --persons 10000      # bigger (about 18 triples a person)
    python bench/serve.py --project .          # the real data (dist/ is built into a temp dir)

Not a test: nothing is asserted; the figures go into the README by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from twentyfive.pipeline import build  # noqa: E402
from twentyfive.project import Project  # noqa: E402

ID = "https://w3id.org/twentyfive/id/"
LUA = """
local requests = %s
local i = 0
request = function()
  i = i + 1
  local r = requests[(i %% #requests) + 1]
  return wrk.format("GET", r[1], r[2])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, '
    .. '"p99_us": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def make_project(folder: Path, persons: int) -> Project:
    """A synthetic project: people in kolkhozy (memberships give incoming links), one source."""
    kolkhozy = max(1, persons // 50)
    (folder / "ontology").mkdir(parents=True)
    (folder / "ontology" / "bench.ttl").write_text(
        "<https://w3id.org/twentyfive/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
    )
    prefixes = (
        f"@prefix person: <{ID}person/> .\n@prefix organization: <{ID}organization/> .\n"
        f"@prefix passage: <{ID}passage/> .\n@prefix source: <{ID}source/> .\n"
        "@prefix schema: <http://schema.org/> .\n@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    )
    for kind in ("person", "organization", "source"):
        (folder / "data" / kind).mkdir(parents=True)
    passages = "".join(
        f"  passage:bench-{n} oa:hasSource source:bench ;\n"
        f"      oa:hasSelector passage:bench-{n}\\#quote .\n"
        f'  passage:bench-{n}\\#quote a oa:TextQuoteSelector ; oa:exact "Quoted passage {n}." .\n'
        for n in range(10)
    )
    (folder / "data/source/bench.trig").write_text(
        prefixes + 'GRAPH source:bench {\n  source:bench rdfs:label "Bench source"@en , '
        '"Источник"@ru .\n' + passages + "}\n"
    )
    for k in range(kolkhozy):
        (folder / f"data/organization/kolkhoz-{k}.trig").write_text(
            prefixes + f"GRAPH passage:bench-{k % 10} {{\n  organization:kolkhoz-{k} a "
            f'org:FormalOrganization ; rdfs:label "Kolkhoz {k}"@en , "Колхоз {k}"@ru .\n}}\n'
        )
    for i in range(persons):
        (folder / f"data/person/person-{i}.trig").write_text(
            prefixes + f"GRAPH passage:bench-{i % 10} {{\n  person:person-{i} a schema:Person ;\n"
            f'    rdfs:label "Person {i}"@en , "Человек {i}"@ru ;\n'
            f'    schema:description "A twenty-five-thousander, number {i}."@en ;\n'
            f'    schema:birthDate "{1880 + i % 30}-0{1 + i % 9}-1{i % 10}"^^xsd:date ;\n'
            f'    schema:gender "{"male" if i % 10 else "female"}" ;\n'
            f"    org:memberOf organization:kolkhoz-{i % kolkhozy} ;\n"
            f"    schema:knows person:person-{(i + 1) % persons} .\n}}\n"
        )
    queries = folder / "queries"
    queries.mkdir()
    (queries / "members-per-kolkhoz.rq").write_text(
        "# question: How many people are in each kolkhoz?\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "SELECT ?org (COUNT(?p) AS ?n) WHERE { ?p org:memberOf ?org }\n"
        "GROUP BY ?org ORDER BY DESC(?n)\n"
    )
    return Project.at(folder)


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.args}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url}")


def wrk(base: str, requests: list[tuple[str, dict[str, str]]], seconds: int, work: Path) -> dict:
    entries = []
    for path, headers in requests:
        table = ",".join(f"[{json.dumps(k)}]={json.dumps(v)}" for k, v in headers.items())
        entries.append(f"{{{json.dumps(path)}, {{{table}}}}}")
    lua_requests = "{" + ",".join(entries) + "}"
    script = work / "mix.lua"
    script.write_text(LUA % lua_requests)
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(ln for ln in output.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", help="a real project folder (default: synthetic data)")
    parser.add_argument("--persons", type=int, default=2000, help="size of the synthetic project")
    parser.add_argument("--seconds", type=int, default=3, help="seconds per case (default 3)")
    parser.add_argument("--processes", type=int, default=2, help="twentyfive serve --processes")
    parser.add_argument(
        "--query-workers",
        type=int,
        default=2,
        help="twentyfive serve --query-workers (per process)",
    )
    args = parser.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    processes: list[subprocess.Popen] = []
    try:
        if args.project:
            project = Project.at(args.project, work / "dist")
        else:
            project = make_project(work / "project", args.persons)
            project = Project.at(project.root, work / "dist")
        started = time.perf_counter()
        outcome = build(project)
        if not outcome.conforms:
            raise SystemExit("the project does not validate")
        print(
            f"built {len(outcome.kg)} quads in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        entities = json.loads((project.dist_dir / "doc/index.json").read_text())["entities"]
        sample = [e for e in entities if e["kind"] != "passage"][:200] or entities[:200]
        queries = json.loads((project.dist_dir / "doc/queries.json").read_text())

        ours_port, oxi_port = free_port(), free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "twentyfive.cli",
                    "-q",
                    "--project",
                    str(project.root),
                    "serve",
                    "--dist",
                    str(project.dist_dir),
                    "--port",
                    str(ours_port),
                    "--processes",
                    str(args.processes),
                    "--query-workers",
                    str(args.query_workers),
                ]
            )
        )
        store_dir = work / "oxigraph"
        subprocess.run(
            [
                oxigraph,
                "load",
                "--location",
                str(store_dir),
                "--file",
                str(project.dist_dir / "twentyfive.nq"),
            ],
            check=True,
            capture_output=True,
        )
        processes.append(
            subprocess.Popen(
                [
                    oxigraph,
                    "serve-read-only",
                    "--location",
                    str(store_dir),
                    "--union-default-graph",
                    "--bind",
                    f"127.0.0.1:{oxi_port}",
                ],
                stderr=subprocess.DEVNULL,
            )
        )
        ours, oxi = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{oxi_port}"
        wait_for(ours + "/robots.txt", processes[0])
        wait_for(oxi + "/query", processes[1])

        accepts = [
            "text/turtle",
            "application/ld+json",
            "application/n-triples",
            "application/rdf+xml",
            "text/html",
        ]
        exts = ["ttl", "jsonld", "nt", "rdf"]

        def iri(e: dict) -> str:
            return e["iri"]

        small = "SELECT ?label WHERE {{ <{}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
        construct = "CONSTRUCT {{ <{0}> ?p ?o }} WHERE {{ <{0}> ?p ?o }}"
        json_results = {"Accept": "application/sparql-results+json"}
        cases = [
            (
                "dereference /id/ (303), 5 Accept types",
                [(f"/id/{e['kind']}/{e['slug']}", {"Accept": a}) for e in sample for a in accepts],
                None,
            ),
            (
                "entity document, 4 RDF formats",
                [(f"/doc/{e['kind']}/{e['slug']}.{x}", {}) for e in sample for x in exts],
                [
                    (f"/query?query={quote(construct.format(iri(e)))}", {"Accept": "text/turtle"})
                    for e in sample
                ],
            ),
            (
                "entity HTML page",
                [(f"/doc/{e['kind']}/{e['slug']}.html", {}) for e in sample],
                None,
            ),
            (
                "small SPARQL SELECT",
                [(f"/sparql?query={quote(small.format(iri(e)))}", json_results) for e in sample],
                [(f"/query?query={quote(small.format(iri(e)))}", json_results) for e in sample],
            ),
        ]
        for q in queries:
            cases.append(
                (
                    f"query {q['name']}",
                    [(f"/sparql?query={quote(q['text'])}", json_results)],
                    [(f"/query?query={quote(q['text'])}", json_results)],
                )
            )
        rows = []
        for name, ours_requests, oxi_requests in cases:
            mine = wrk(ours, ours_requests, args.seconds, work)
            theirs = wrk(oxi, oxi_requests, args.seconds, work) if oxi_requests else None
            rows.append((name, mine, theirs))
            print(f"done: {name}", file=sys.stderr)
        print(
            f"\n{len(outcome.kg)} quads, {len(entities)} entities; wrk -t2 -c8 -d{args.seconds}s "
            f"on {os.cpu_count()} cores; twentyfive serve --processes {args.processes} "
            f"--query-workers {args.query_workers}\n"
        )
        print("| case | twentyfive req/s | p50 / p99 ms | oxigraph req/s | p50 / p99 ms | ratio |")
        print("|---|---|---|---|---|---|")
        for name, mine, theirs in rows:
            ours_cell = (
                f"{mine['rps']:,.0f} | {mine['p50_us'] / 1000:.2f} / {mine['p99_us'] / 1000:.2f}"
            )
            if mine["errors"]:
                ours_cell += f" ({mine['errors']} errors)"
            if theirs:
                their_cell = (
                    f"{theirs['rps']:,.0f} | {theirs['p50_us'] / 1000:.2f} / "
                    f"{theirs['p99_us'] / 1000:.2f}"
                )
                ratio = f"{mine['rps'] / theirs['rps']:.2f}×"
            else:
                their_cell, ratio = "– | –", "–"
            print(f"| {name} | {ours_cell} | {their_cell} | {ratio} |")
    finally:
        stop_all(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
