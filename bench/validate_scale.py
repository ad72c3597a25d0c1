"""SHACL validation at archive scale, full and after a one-file change: a table, not a test.

    python bench/validate_scale.py [--size 27519] [--pyshacl-size 2000]

Builds a copy of this repository's project (ontology, curated data, every shape and check)
plus ``size`` synthetic roster rows, reads and assembles it once, then measures CPU time (user
+ system of this process) of: the compiled engine over the whole graph; the integrity checks;
the Data Cube checks; a build's validation with an empty cache (a full run that fills it); and
the same after one curated data file changed (one label edited), which re-validates only the
focus nodes the change reaches. ``--pyshacl-size``: the reference engine on a smaller copy.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from build_scale import make_project  # noqa: E402

from twentyfive import pipeline  # noqa: E402
from twentyfive.project import Project  # noqa: E402
from twentyfive.validate import incremental  # noqa: E402
from twentyfive.validate.compiled import run_compiled  # noqa: E402
from twentyfive.validate.datacube import check_cubes  # noqa: E402
from twentyfive.validate.integrity import load_checks, run_checks  # noqa: E402
from twentyfive.validate.shacl import load_shapes, run_shacl  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, action):
    started = cpu()
    result = action()
    print(f"{label:<58} {cpu() - started:7.1f} s CPU", flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=27519)
    parser.add_argument("--pyshacl-size", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        project = Project.at(make_project(Path(folder), args.size))
        kg = timed(f"read + assemble, {args.size} people", lambda: pipeline.load(project).kg)
        print(f"{'':<58} {len(kg):,} quads")
        shapes = load_shapes(project.shapes_dir)
        findings = timed("shapes, compiled engine, whole graph", lambda: run_compiled(kg, shapes))
        print(f"{'':<58} {len(findings):,} findings")
        timed("integrity checks (shapes/checks/*.rq)", lambda: run_checks(kg, load_checks(project.shapes_dir / "checks")))
        timed("Data Cube checks", lambda: check_cubes(kg))
        root = project.root
        timed("build's validation, empty cache (full run, fills it)",
              lambda: incremental.validate_shapes(kg, shapes, root, project.shapes_dir))
        edited = _edit_one_label(project.data_dir)
        print(f"one file changed: {edited.relative_to(root)}")
        kg = pipeline.load(project).kg
        asked: list = []
        run = incremental.run_compiled
        incremental.run_compiled = lambda g, s, focus=None: asked.append(focus) or run(g, s, focus)
        after = timed("build's validation after the change (incremental)",
                      lambda: incremental.validate_shapes(kg, shapes, root, project.shapes_dir))
        incremental.run_compiled = run
        print(f"{'':<58} {len(asked[0]) if asked and asked[0] is not None else 'all'} focus nodes validated again, {len(after):,} findings")
        if args.pyshacl_size:
            small = Project.at(make_project(Path(folder), args.pyshacl_size))
            small_kg = pipeline.load(small).kg
            timed(f"shapes, pyshacl (reference), {args.pyshacl_size} people", lambda: run_shacl(small_kg, shapes))
            timed(f"shapes, compiled engine, {args.pyshacl_size} people", lambda: run_compiled(small_kg, shapes))
        shutil.rmtree(folder, ignore_errors=True)


def _edit_one_label(data_dir: Path) -> Path:
    for path in sorted((data_dir / "person").glob("*.trig")):
        text = path.read_text(encoding="utf-8")
        if '"@en' in text:
            path.write_text(text.replace('"@en', ' (edited)"@en', 1), encoding="utf-8")
            return path
    raise SystemExit("no English label found in data/person/")


if __name__ == "__main__":
    main()
