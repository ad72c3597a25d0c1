"""Whole-process `twentyfive build` on the curated data: wall time of fresh processes.

    python bench/build.py [--runs 5]

Runs the installed command as a user would (interpreter start, imports, read, assemble,
validate, publish), into a temporary dist/, and prints min / median / max.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "twentyfive.cli", "--quiet", "--project", str(ROOT), "build", "--dist", f"{tmp}/dist"],
                check=True,
            )
            times.append(time.perf_counter() - started)
        quads = sum(1 for _ in open(f"{tmp}/dist/twentyfive.nq", encoding="utf-8"))
    print(f"twentyfive build, whole process, {quads} quads, {args.runs} runs")
    print("| min | median | max |")
    print("|---|---|---|")
    print(f"| {min(times):.2f} s | {statistics.median(times):.2f} s | {max(times):.2f} s |")


if __name__ == "__main__":
    main()
