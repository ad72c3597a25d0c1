"""The whole ``twentyfive build`` at archive scale, on synthetic rosters: a table, not a test.

    python bench/build_scale.py                      # 1,000 / 10,000 / 27,519 people
    python bench/build_scale.py --sizes 100000 275190
    python bench/build_scale.py --naive-sizes 1000 10000 --naive-budget 600

Each size is a fresh copy of this repository's project (ontology, curated data, every shape and
check, the example queries) plus ``bench/synthetic_roster.py`` rows, built by ``twentyfive build`` in a child process: read, assemble, validate, every dump, the
roster figures. Measured: wall time, CPU time (user + system: what the child itself used, less
sensitive to other load on a shared machine) and peak memory: of all the build's processes together
(the anonymous memory of a cgroup of their own where the kernel allows one, else the sum of
their PSS; sampled) and of the largest one (``ru_maxrss``). ``--repeat N`` builds each size N
times and shows the medians: on a shared machine one build's wall time varies by seconds.
A machine check (a fixed piece of work, timed at the start and at the end) tells a slow hour of
the machine from a slower build when two runs are compared.

The naive path, for the sizes in ``--naive-sizes``: the same graph through rdflib's own
serialisers (every dump format) and pyshacl with default options — what the build did before
the compiled SHACL engine and the pyoxigraph writers — killed after ``--naive-budget`` seconds.

``--change``: after the largest size, change one data file and build again (the roster's
converted N-Quads and the findings come from the cache in ``.twentyfive-cache/``): the cost of
a one-file change (one build each).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import synthetic_roster  # noqa: E402

DEFAULT_SIZES = [1000, 10000, 27519]
#: The one-file changes of ``--change``: a leaf (one person's file) and a hub (a region that
#: every fifth roster person was sent to: its label is read by all their pages' checks).
CHANGES = [
    ("one person's file", "data/person/lynne-viola.trig", '"Lynne Viola"@en', '"Lynne Viola (historian)"@en'),
    ("one region's file", "data/place/ukrainian-ssr.trig",
     '"Ukrainian Soviet Socialist Republic"@en', '"Ukrainian SSR"@en'),
]
NAIVE = r"""
import sys, time
from pathlib import Path
import pyshacl
from twentyfive.assemble import assemble
from twentyfive.read import read_project
from twentyfive.validate.shacl import load_shapes
project = Path(sys.argv[1])
kg, _ = read_project(project / "data", project / "ontology")
assemble(kg)
graph = kg.to_rdflib()
pyshacl.validate(graph, shacl_graph=load_shapes(project / "shapes"))
for name in ("turtle", "json-ld", "nt", "xml"):
    graph.serialize(format=name)
dataset = kg.to_rdflib_dataset()
for name in ("nquads", "trig"):
    dataset.serialize(format=name)
"""


def make_project(folder: Path, size: int) -> Path:
    """A copy of this repository's project (ontology, curated data, every shape and integrity
    check, the example queries) with ``size`` synthetic roster rows: the real build, bigger."""
    project = folder / f"people-{size}"
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, project / part)
    synthetic_roster.write_roster(project / "data" / "roster", size)
    return project


def run_child(command: list[str], timeout: float | None = None) -> tuple[float, float, float, float] | None:
    """Wall seconds, CPU seconds, peak MiB of all its processes together and the largest
    resident set of one of them, for one child process (None when it timed out).

    A build forks (validation, a second writer, a dump helper): their pages are partly shared.
    Where the kernel lets this script make a memory cgroup (Linux, cgroup v1 or v2), the child
    runs in one, and the memory of all its processes together is the cgroup's anonymous
    memory, each page once, sampled five times a second from counters the kernel keeps (cheap).
    Elsewhere it is the sum of their proportional set sizes (PSS: each shared page split among
    its sharers), sampled once a second: reading a PSS walks every page table of a process and
    holds up its page faults meanwhile — five times a second made a build 5 s slower at 27,519
    people. A spike shorter than a sample can be missed. The largest resident set counts shared
    pages in full, for one process.
    """
    started = time.perf_counter()
    log = tempfile.TemporaryFile()  # not a pipe: a build's many warnings would fill it and block
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    group = MemoryGroup.around(child.pid)
    interval = 0.2 if group else 1.0
    deadline = None if timeout is None else started + timeout
    together = 0
    sampled = 0.0
    try:
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                log.close()
                return None
            if time.perf_counter() - sampled >= interval:
                sampled = time.perf_counter()
                now = group.anonymous_kib() if group else sum(_pss_kib(p) for p in _process_tree(child.pid))
                together = max(together, now)
            time.sleep(0.02)
    finally:
        if group:
            group.remove()
    wall = time.perf_counter() - started
    log.close() if os.waitstatus_to_exitcode(status) == 0 else None
    if os.waitstatus_to_exitcode(status) != 0:
        log.seek(0)
        raise SystemExit(f"{' '.join(command)} failed:\n{log.read().decode()[-5000:]}")
    largest = usage.ru_maxrss / 1024
    return wall, usage.ru_utime + usage.ru_stime, max(together / 1024, largest), largest


class MemoryGroup:
    """A memory cgroup of its own for one process and the processes it forks."""

    def __init__(self, folder: Path, counter: str):
        self.folder = folder
        self._counter = counter  # the line of memory.stat with the anonymous memory

    @classmethod
    def around(cls, pid: int) -> MemoryGroup | None:
        """Move ``pid`` into a new cgroup under this script's own; None where that is not
        allowed (no cgroups, not permitted, another platform)."""
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError:
            return None
        for line in lines:
            _, controllers, place = line.split(":", 2)
            if controllers == "memory":  # cgroup v1
                parent, counter = Path("/sys/fs/cgroup/memory") / place.lstrip("/"), "rss"
            elif controllers == "" and Path("/sys/fs/cgroup/cgroup.controllers").is_file():
                parent, counter = Path("/sys/fs/cgroup") / place.lstrip("/"), "anon"  # v2
            else:
                continue
            folder = parent / f"twentyfive-bench-{pid}"
            try:
                folder.mkdir()
            except OSError:
                continue
            group = cls(folder, counter)
            try:
                (folder / "cgroup.procs").write_text(str(pid))
                group.anonymous_kib()
            except (OSError, ValueError):
                group.remove()
                continue
            return group
        return None

    def anonymous_kib(self) -> int:
        for line in (self.folder / "memory.stat").read_text().splitlines():
            name, value = line.split()
            if name == self._counter:
                return int(value) // 1024
        raise ValueError(f"no {self._counter} in {self.folder / 'memory.stat'}")

    def remove(self) -> None:
        try:
            self.folder.rmdir()  # once its processes are gone (their memory goes to the parent)
        except OSError:
            pass


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc``; just ``pid`` elsewhere)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in _process_tree(int(child)))]


def _pss_kib(pid: int) -> int:
    """The proportional set size of a process in KiB (0 when it is gone or unknown)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def repeated(project: Path, times: int, keep_cache: bool = False) -> tuple[float, float, float, float, str]:
    """Build ``project`` ``times`` times (each from scratch: no ``dist/``, and no cache of
    converted roster rows or of findings unless ``keep_cache``); the median wall, CPU and memory figures, and
    the range of wall times as text (empty for one run). A shared machine's wall times vary by
    a few seconds from run to run: the median of a few says more than one."""
    runs = []
    for _ in range(times):
        shutil.rmtree(project / "dist", ignore_errors=True)
        if not keep_cache:
            shutil.rmtree(project / ".twentyfive-cache", ignore_errors=True)
        runs.append(run_child(build_command(project)))
    medians = [statistics.median(run[i] for run in runs) for i in range(4)]  # type: ignore[index]
    walls = [run[0] for run in runs]  # type: ignore[index]
    spread = f" ({min(walls):.1f}–{max(walls):.1f})" if times > 1 else ""
    return (*medians, spread)  # type: ignore[return-value]


def machine_check() -> float:
    """Seconds a fixed piece of work takes here now (the fastest of three): 200,000 generated
    statements loaded into a pyoxigraph store, dumped, sorted as text and hashed — what a build
    does most. This virtual machine's speed varies by 10–20 % from hour to hour (the same build
    takes 45–58 s of CPU); printed at the start and the end, it tells a slow hour from a slower
    build when two runs of this benchmark are compared."""
    import hashlib

    import pyoxigraph as ox

    lines = b"".join(
        b'<https://example.org/s%d> <https://example.org/p%d> "v%d" .\n' % (n % 50000, n % 17, n)
        for n in range(200_000)
    )
    times = []
    for _ in range(3):
        started = time.process_time()
        store = ox.Store()
        store.load(lines, format=ox.RdfFormat.N_TRIPLES)
        dumped = sorted(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).splitlines())
        hashlib.sha256(b"\n".join(dumped)).hexdigest()
        times.append(time.process_time() - started)
    return min(times)


def build_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "twentyfive.cli", "--quiet", "--project", str(project), "build"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="numbers of people")
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=[1000], help="sizes to run the naive path at")
    parser.add_argument("--naive-budget", type=float, default=600, help="seconds before the naive path is given up")
    parser.add_argument("--change", action="store_true", help="also time a one-file change after the largest size")
    parser.add_argument("--repeat", type=int, default=1,
                        help="build each size this many times and show the median (and the range of wall times)")
    args = parser.parse_args(argv)
    print(f"twentyfive build on synthetic rosters; {os.cpu_count()} cores; load average at start "
          f"{os.getloadavg()[0]:.1f}; machine check {machine_check():.2f} s (a fixed piece of work: "
          "lower is a faster machine)", flush=True)
    print("| people | quads | wall | CPU | peak memory (all processes) | largest process | quads/s (CPU) "
          "| naive path (wall) | naive / build |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    with tempfile.TemporaryDirectory(prefix="twentyfive-bench-") as tmp:
        for size in args.sizes:
            project = make_project(Path(tmp), size)
            wall, cpu, peak, largest, spread = repeated(project, args.repeat)
            quads = json.loads((project / "dist" / "build.json").read_text())["quads"]
            naive = "–"
            ratio = "–"
            if size in args.naive_sizes:
                measured = run_child([sys.executable, "-c", NAIVE, str(project)], timeout=args.naive_budget)
                if measured is None:
                    naive = f"> {args.naive_budget:.0f} s"
                else:
                    naive = f"{measured[0]:.1f} s"
                    ratio = f"{measured[0] / wall:.0f}×"
            print(f"| {size:,} | {quads:,} | {wall:.1f} s{spread} | {cpu:.1f} s | {peak:,.0f} MiB | {largest:,.0f} MiB | "
                  f"{quads / cpu:,.0f} | {naive} | {ratio} |", flush=True)
            if args.change and size == args.sizes[-1]:
                for label, relative, old, new in CHANGES:
                    place = project / relative
                    changed = place.read_text().replace(old, new)
                    assert changed != place.read_text(), f"the change of {relative} found nothing to change"
                    place.write_text(changed)
                    # once: a second build would find the change already in the cache
                    wall, cpu, peak, largest, _ = repeated(project, 1, keep_cache=True)
                    print(f"| {size:,}, {label} changed | {quads:,} | {wall:.1f} s | {cpu:.1f} s | "
                          f"{peak:,.0f} MiB | {largest:,.0f} MiB | | | |", flush=True)
            shutil.rmtree(project)
    print(f"machine check at the end: {machine_check():.2f} s", flush=True)


if __name__ == "__main__":
    main()
