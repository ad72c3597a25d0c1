"""CPU time and memory of each stage of ``twentyfive build`` but validation, in one process.

    python bench/build_stages.py PROJECT                 # every writer
    python bench/build_stages.py PROJECT --skip "documents and pages" "static site"

Reads and assembles PROJECT (a folder with data/ and ontology/, such as one made by
``bench/build_scale.py``'s ``make_project`` or ``bench/synthetic_roster.py``), then runs each
writer of ``publish.WRITERS`` into a temporary folder, then provenance, ``build.json`` and
``SHA256SUMS``. Validation is left out (``bench/build_scale.py`` times the whole build).
Prints a table: CPU seconds (user + system, this process and its forked helpers), the
resident memory after the stage and the peak so far.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mib() -> float:
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--skip", nargs="*", default=[], help="writers not to run (by name)")
    args = parser.parse_args(argv)

    from twentyfive import pipeline
    from twentyfive.project import Project
    from twentyfive.publish import WRITERS, write_checksums, write_manifest
    from twentyfive.publish.provenance import build_time, write_provenance

    project = Project(args.project.resolve())
    rows: list[tuple[str, float, float, float, float]] = []

    def timed(name: str, work):  # noqa: ANN001, ANN202
        cpu, wall = cpu_seconds(), time.perf_counter()
        result = work()
        rows.append((name, cpu_seconds() - cpu, time.perf_counter() - wall, rss_mib(), peak_mib()))
        print(f"  {name}: {rows[-1][1]:.2f} s CPU", file=sys.stderr, flush=True)
        return result

    started = build_time()
    outcome = timed("read + assemble", lambda: pipeline.load(project))
    kg = outcome.kg
    with tempfile.TemporaryDirectory(prefix="twentyfive-stages-") as tmp:
        out = Path(tmp)
        for name, writer in WRITERS:
            if name in args.skip:
                continue
            timed(name, lambda writer=writer: list(writer(kg, out, project)))
        timed("provenance", lambda: write_provenance(kg, out, project, started))
        timed("build.json", lambda: write_manifest(kg, out))
        timed("SHA256SUMS", lambda: write_checksums(out))
    print(f"{len(kg):,} quads")
    print("| stage | CPU | wall | RSS after | peak so far |")
    print("|---|---:|---:|---:|---:|")
    for name, cpu, wall, rss, peak in rows:
        print(f"| {name} | {cpu:.2f} s | {wall:.2f} s | {rss:,.0f} MiB | {peak:,.0f} MiB |")
    print(f"| total | {sum(r[1] for r in rows):.2f} s | {sum(r[2] for r in rows):.2f} s | | {peak_mib():,.0f} MiB |")


if __name__ == "__main__":
    main()
