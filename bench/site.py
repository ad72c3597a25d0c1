"""Requests per second: nginx over ``dist/site/`` next to ``twentyfive serve``, same mix.

The document part of bench/serve.py's mix (dereferencing with each Accept type, documents
in each RDF format, HTML pages, extensionless documents negotiated), run with wrk
(8 connections, 2 threads) for a few seconds per case against both servers over the same
build. nginx runs the generated ``dist/site/nginx.conf`` with one worker process;
``twentyfive serve`` with ``--processes`` (default 2).

    python bench/site.py                   # a synthetic project of 2,000 people
    python bench/site.py --project .       # the real data (built into a temp dir)

Not a test: nothing is asserted; the figures go into the README by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve as serve_bench  # noqa: E402  (bench/serve.py: the project, wrk and waiting)
from twentyfive.pipeline import build  # noqa: E402
from twentyfive.project import Project  # noqa: E402
from twentyfive.publish.site import standalone_nginx  # noqa: E402

ACCEPTS = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
           "text/html"]  # fmt: skip
EXTENSIONS = ["ttl", "jsonld", "nt", "rdf"]


def cases(sample: list[dict]) -> list[tuple[str, list[tuple[str, dict[str, str]]]]]:
    def path(e: dict) -> str:
        return f"{e['kind']}/{e['slug']}"

    return [
        ("dereference /id/ (303), 5 Accept types",
         [(f"/id/{path(e)}", {"Accept": a}) for e in sample for a in ACCEPTS]),
        ("entity document, 4 RDF formats",
         [(f"/doc/{path(e)}.{x}", {}) for e in sample for x in EXTENSIONS]),
        ("entity HTML page", [(f"/doc/{path(e)}.html", {}) for e in sample]),
        ("document without extension, negotiated",
         [(f"/doc/{path(e)}", {"Accept": a}) for e in sample for a in ACCEPTS]),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", help="a real project folder (default: synthetic data)")
    parser.add_argument("--persons", type=int, default=2000, help="size of the synthetic project")
    parser.add_argument("--seconds", type=int, default=3, help="seconds per case (default 3)")
    parser.add_argument("--processes", type=int, default=2, help="twentyfive serve --processes")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    processes: list[subprocess.Popen] = []
    try:
        if args.project:
            project = Project.at(args.project, work / "dist")
        else:
            root = serve_bench.make_project(work / "project", args.persons).root
            project = Project.at(root, work / "dist")
        outcome = build(project)
        if not outcome.conforms:
            raise SystemExit("the project does not validate")
        entities = json.loads((project.dist_dir / "doc/index.json").read_text())["entities"]
        sample = [e for e in entities if e["kind"] != "passage"][:200] or entities[:200]
        ours_port, nginx_port = serve_bench.free_port(), serve_bench.free_port()
        processes.append(subprocess.Popen([
            sys.executable, "-m", "twentyfive.cli", "-q", "--project", str(project.root), "serve",
            "--dist", str(project.dist_dir), "--port", str(ours_port),
            "--processes", str(args.processes),
        ]))  # fmt: skip
        config = standalone_nginx(project.dist_dir / "site", work / "nginx", nginx_port)
        log = str(work / "nginx/error.log")
        processes.append(
            subprocess.Popen([nginx, "-c", str(config), "-p", str(work / "nginx"), "-e", log])
        )
        ours, static = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{nginx_port}"
        serve_bench.wait_for(ours + "/robots.txt", processes[0])
        serve_bench.wait_for(static + "/robots.txt", processes[1])
        time.sleep(0.5)
        rows = []
        for name, requests in cases(sample):
            rows.append((name, serve_bench.wrk(ours, requests, args.seconds, work),
                         serve_bench.wrk(static, requests, args.seconds, work)))  # fmt: skip
            print(f"done: {name}", file=sys.stderr)
        print(f"\n{len(outcome.kg)} quads, {len(entities)} entities; wrk -t2 -c8 "
              f"-d{args.seconds}s on {os.cpu_count()} cores; twentyfive serve --processes "
              f"{args.processes}; nginx 1 worker\n")  # fmt: skip
        print(
            "| case | twentyfive serve req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms | ratio |"
        )
        print("|---|---|---|---|---|---|")
        for name, mine, theirs in rows:
            cells = [
                f"{r['rps']:,.0f} | {r['p50_us'] / 1000:.2f} / {r['p99_us'] / 1000:.2f}"
                + (f" ({r['errors']} errors)" if r["errors"] else "")
                for r in (mine, theirs)
            ]
            print(f"| {name} | {cells[0]} | {cells[1]} | {theirs['rps'] / mine['rps']:.1f}× |")
    finally:
        serve_bench.stop_all(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
