"""``twentyfive query`` and ``twentyfive serve`` over a build of archive scale: the build's store
on disk against a copy of the graph in every process's memory. A table, not a test.

    python bench/store_scale.py                  # 27,519 people
    python bench/store_scale.py --size 275190    # (in memory is not tried past --memory-up-to)

A copy of this repository's project with N synthetic roster people is built once
(``twentyfive build``). Then, for each way of holding the graph — in memory
(``TWENTYFIVE_CACHE=off``: every process loads the dumps) and on disk (the store made once per
build by the first command that needs it, then opened read-only) — it measures:

- ``twentyfive query`` counting the people: wall time and the memory of the process (on disk,
  the first run makes the store, the second only opens it);
- ``twentyfive serve`` with its defaults (2 server processes, 2 query workers each, a renderer
  of roster pages): seconds until the first SPARQL answer, the memory of all its processes then
  (sum of their PSS, read once), and the seconds of the first roster page.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_scale import _process_tree, _pss_kib, build_command, make_project, run_child  # noqa: E402
from serve import free_port, stop_all  # noqa: E402

PERSON_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://schema.org/Person> }"
ROSTER_PAGE = "/doc/person/synthetic-1-1-7.html"  # a person of every synthetic roster


def cli(project: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "twentyfive.cli", "--quiet", "--project", str(project), *arguments]


def query(project: Path, environ: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and MiB (all processes) of one ``twentyfive query``."""
    with mock.patch.dict(os.environ, environ):  # run_child's process inherits it
        measured = run_child(cli(project, "query", "-e", PERSON_QUERY))
    assert measured is not None
    wall, _, memory, _ = measured
    return wall, memory


def serve(project: Path, environ: dict[str, str]) -> tuple[float, float, float]:
    """Seconds to the first SPARQL answer, MiB of all the server's processes then, and
    seconds of the first roster page."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(cli(project, "serve", "--port", str(port)), env={**os.environ, **environ},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"twentyfive serve stopped (exit status {process.returncode})")
            try:
                if httpx.get(base + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        ready = time.perf_counter() - started
        memory = sum(_pss_kib(pid) for pid in _process_tree(process.pid)) / 1024
        asked = time.perf_counter()
        status = httpx.get(base + ROSTER_PAGE, timeout=300).status_code
        page = time.perf_counter() - asked
        if status != 200:
            raise SystemExit(f"the roster page {ROSTER_PAGE} answered {status}")
        return ready, memory, page
    finally:
        stop_all([process])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=27519, help="roster people (default: 27,519)")
    parser.add_argument("--memory-up-to", type=int, default=100_000,
                        help="largest size at which to try the graph in memory (default: 100,000)")
    args = parser.parse_args(argv)
    print(f"twentyfive query and serve over {args.size:,} roster people; {os.cpu_count()} cores; "
          f"load average at start {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="twentyfive-store-bench-") as tmp:
        project = make_project(Path(tmp), args.size)
        started = time.perf_counter()
        subprocess.run(build_command(project), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"built in {time.perf_counter() - started:.1f} s\n", flush=True)
        print("| graph held | step | wall | memory (all processes) | first roster page |")
        print("|---|---|---:|---:|---:|")
        ways = [("on disk", {"TWENTYFIVE_ON_DISK_FROM_QUADS": "0"})]  # whatever the size
        if args.size <= args.memory_up_to:
            ways.insert(0, ("in memory", {"TWENTYFIVE_CACHE": "off"}))
        for way, environ in ways:
            steps = ["`twentyfive query` (makes the store)", "`twentyfive query` again"] if way == "on disk" \
                else ["`twentyfive query`"]
            for step in steps:
                wall, memory = query(project, environ)
                print(f"| {way} | {step} | {wall:.1f} s | {memory:,.0f} MiB | |", flush=True)
            ready, memory, page = serve(project, environ)
            print(f"| {way} | `twentyfive serve`, to the first SPARQL answer | {ready:.1f} s | {memory:,.0f} MiB "
                  f"| {page:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
