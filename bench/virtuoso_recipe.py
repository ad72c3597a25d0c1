"""Run the Virtuoso recipe of docs/loading.md on a build and check that every graph arrives.

    apt-get install -y --no-install-recommends virtuoso-opensource-7-bin   # Debian 12, ~20 s
    python bench/virtuoso_recipe.py --dist dist

Starts ``virtuoso-t`` over a new database in a temporary folder (SQL port on 127.0.0.1 only,
no HTTP server), bulk-loads ``twentyfive.nq`` with ``ld_dir`` + ``rdf_loader_run``, counts the
triples of each graph with SPARQL and compares them with the dump, prints the times, and
shuts the server down. Exit status 0 when every graph has the dump's count.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stores import free_port  # noqa: E402

INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {data}
"""
GRAPHS = "https://w3id.org/twentyfive/"


def isql(port: int, sql: str) -> str:
    done = subprocess.run(["isql-vt", str(port), "dba", "dba", f"exec={sql}"],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed on {sql!r}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="the build (default: dist/)"
    )
    args = parser.parse_args()
    nquads = args.dist.resolve() / "twentyfive.nq"
    if not shutil.which("virtuoso-t"):
        print("virtuoso-t not found: apt-get install -y virtuoso-opensource-7-bin", file=sys.stderr)
        return 2
    expected = Counter(
        q.graph_name.value for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    )
    with tempfile.TemporaryDirectory(prefix="bench-virtuoso-") as tmp:
        work = Path(tmp)
        (work / "db").mkdir()
        (work / "data").mkdir()
        shutil.copy(nquads, work / "data" / nquads.name)
        port = free_port()
        ini = work / "virtuoso.ini"
        ini.write_text(INI.format(db=work / "db", data=work / "data", port=port))
        started = time.perf_counter()
        server = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=work,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    isql(port, "SELECT 1;")
                    break
                except RuntimeError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.5)
            up = time.perf_counter() - started
            started = time.perf_counter()
            isql(port, f"ld_dir('{work / 'data'}', '{nquads.name}', 'urn:twentyfive:no-graph');")
            isql(port, "rdf_loader_run();")
            isql(port, "checkpoint;")
            loaded = time.perf_counter() - started
            errors = isql(
                port, "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;"
            )
            counts = isql(
                port,
                "SPARQL SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                f'FILTER(STRSTARTS(STR(?g), "{GRAPHS}")) }} GROUP BY ?g;',
            )
        finally:
            try:
                isql(port, "shutdown;")
            except RuntimeError:
                pass
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    found = {g: int(n) for g, n in re.findall(rf"({re.escape(GRAPHS)}\S*)\s+(\d+)", counts)}
    wrong = {g: (found.get(g, 0), n) for g, n in expected.items() if found.get(g, 0) != n}
    print(f"virtuoso-t started in {up:.1f} s; ld_dir + rdf_loader_run + checkpoint: {loaded:.2f} s")
    print(f"{sum(expected.values()):,} quads in {len(expected)} graphs in the dump; "
          f"{sum(found.values()):,} in {len(found)} graphs in Virtuoso")  # fmt: skip
    failed_files = nquads.name in errors  # load_list rows with an error name the file
    if failed_files:
        print(errors)
    for graph, (got, want) in sorted(wrong.items()):
        print(f"  {graph}: {got} triples, the dump has {want}")
    ok = not wrong and not failed_files
    print("recipe OK: every graph arrived with its triples" if ok else "recipe FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
