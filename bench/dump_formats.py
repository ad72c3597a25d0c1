"""CPU time of each step of the dumps, and the size of each gzip copy, for a project.

    python bench/dump_formats.py PROJECT [--repeat N]

PROJECT is a project folder (for archive scale: a copy of this repository's project with a
synthetic roster, see bench/synthetic_roster.py). The graph is read once; then, N times, the
sorted N-Quads, the N-Triples union and every format with its gzip copy are written one after
the other in one process (user + system CPU seconds; the least of the N runs is printed, as
other work on the machine only ever adds to it), then the dataset's VoID counts and the whole
description. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path

from twentyfive import pipeline
from twentyfive.formats import FORMATS, N_QUADS, N_TRIPLES
from twentyfive.project import Project
from twentyfive.publish import dumps
from twentyfive.publish.description import write_description
from twentyfive.publish.editions import Edition
from twentyfive.publish.statistics import count


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    kg = pipeline.load(Project.at(args.project)).kg
    best: dict[str, float] = {}

    def timed(name: str, step, *arguments):
        start = cpu()
        result = step(*arguments)
        best[name] = min(best.get(name, float("inf")), cpu() - start)
        return result

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for _ in range(args.repeat):
            lines = timed("sorted N-Quads", dumps.write_sorted_nquads, kg, out / dumps.dump_name(N_QUADS))
            prefixes, _ = timed("N-Triples union", dumps.write_union, lines, out / dumps.dump_name(N_TRIPLES), kg)
            del lines
            for fmt in FORMATS:
                timed(fmt.label, dumps.write_format, fmt, out, prefixes)
        dump_steps = sum(best.values())
        for _ in range(args.repeat):
            timed("VoID counts", count, kg)
            timed("description", write_description, kg, out, Edition())
        for name, seconds in best.items():
            print(f"{name:18s} {seconds:6.2f} s")
        print(f"{'dumps in all':18s} {dump_steps:6.2f} s")
        sizes = {p.name: p.stat().st_size for p in sorted(out.glob("*.gz"))}
        for name, size in sizes.items():
            print(f"{name:22s} {size:>12,} bytes")
        print(f"{'gzip copies in all':22s} {sum(sizes.values()):>12,} bytes")


if __name__ == "__main__":
    main()
