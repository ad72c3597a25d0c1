"""Publish stage: everything in ``dist/``, written atomically, from a validated graph.

Writers are functions ``(kg, out, project) -> files written``, run in order into a staging
folder; ``SHA256SUMS`` and ``build.json`` come last, over everything the writers made.
Output depends only on the input: the same input gives byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from twentyfive import __version__
from twentyfive.forked import Forked
from twentyfive.graph import KnowledgeGraph
from twentyfive.problems import Finding, violations
from twentyfive.project import Project
from twentyfive.publish.atomic import staged_directory
from twentyfive.publish import checksums
from twentyfive.publish.checksums import forget, sha256_file
from twentyfive.publish.dumps import write_dumps
from twentyfive.publish.description import description_writer
from twentyfive.publish.ontology import ontology_writer
from twentyfive.publish.redirects import redirects_writer
from twentyfive.publish.site import SITE_DIR, finish_site, site_writer
from twentyfive.publish.stats import write_stats
from twentyfive.publish.search import write_search
from twentyfive.roster_figures import write_figures

Writer = Callable[[KnowledgeGraph, Path, Project], Iterable[Path]]


def _write_documents(kg: KnowledgeGraph, out: Path, project: Project) -> Iterable[Path]:
    from twentyfive.publish.documents import write_documents  # imports documents, which imports us

    return write_documents(kg, out, project)


def _write_home(kg: KnowledgeGraph, out: Path, project: Project) -> Iterable[Path]:
    from twentyfive.publish.documents import write_home_page

    return write_home_page(kg, out, project)


#: The writers, in order. Each is named, so progress and errors can say which one ran.
WRITERS: list[tuple[str, Writer]] = [
    ("dumps", lambda kg, out, project: write_dumps(kg, out)),
    ("stats", lambda kg, out, project: write_stats(kg, out)),
    ("roster figures", lambda kg, out, project: write_figures(kg, out)),
]
WRITERS += [  # after the dumps: the description reads their sizes and checksums
    ("ontology documentation", ontology_writer),
    ("dataset description", description_writer),
    ("redirects", redirects_writer),
]
WRITERS.append(("documents and pages", _write_documents))
WRITERS.append(("search index", lambda kg, out, project: write_search(kg, out)))
#: the home page links to what the others wrote (dumps, charts in stats/, the entity index)
WRITERS.append(("home page", _write_home))
WRITERS.append(("static site", site_writer))  # last: it links what every other writer made

#: Writers that read only the graph, run in a second process beside the others from the start
#: (:mod:`twentyfive.forked`), after the check (validation) in the same process; a writer
#: listed after them waits for them. One second process, not one per job: every process that
#: reads the graph keeps a copy of what it reads (pyoxigraph's store writes as it reads), so
#: the fewer, the less memory.
SECOND_LANE = ("documents and pages", "search index")

CHECKSUMS_FILE = "SHA256SUMS"
PROVENANCE_FILE = "provenance.ttl"  # written by publish/provenance.py
MANIFEST_FILE = "build.json"


@dataclass
class Publication:
    """What :func:`publish` did: where ``dist/`` is (``None``: not published) and what the
    check it ran beside the writers found."""

    path: Path | None
    findings: list[Finding] = field(default_factory=list)


def publish(
    kg: KnowledgeGraph,
    project: Project,
    *,
    progress: Callable[[str], None] | None = None,
    started: datetime | None = None,
    check: Callable[[], list[Finding]] | None = None,
) -> Publication:
    """Write ``dist/`` from ``kg`` and return where, with what ``check`` found.

    ``started`` is when the build began (for ``provenance.ttl``, the one file with a time).
    ``check`` (validation) runs in the second process while this one writes, before that
    process's own writers: when it finds a violation, nothing more is written there, the
    staging folder is removed once this process is done, ``dist/`` stays as it was, and the
    publication's ``path`` is ``None``. Without ``check``, ``kg`` must already be valid.
    """
    findings: list[Finding] = []
    try:
        with kg.unchanging():  # the writers only read it: counted once, not at each question
            _publish(kg, project, progress, started, check, findings)
    except _Withdrawn:
        return Publication(None, findings)
    return Publication(project.dist_dir, findings)


def _run(writers: list[tuple[str, Writer]], kg: KnowledgeGraph, out: Path, project: Project) -> None:
    for _, writer in writers:
        list(writer(kg, out, project))


class _Withdrawn(Exception):
    """The build was written but not approved: its staging folder goes."""


def _publish(
    kg: KnowledgeGraph,
    project: Project,
    progress: Callable[[str], None] | None,
    started: datetime | None,
    check: Callable[[], list[Finding]] | None,
    findings: list[Finding],
) -> None:
    from twentyfive.publish.provenance import write_provenance

    with staged_directory(project.dist_dir) as out:
        second = [(name, writer) for name, writer in WRITERS if name in SECOND_LANE]

        def second_lane() -> tuple[list[Finding], checksums.Records]:
            found = check() if check is not None else []
            if not violations(found):  # else nothing will be published: no need to write
                _run(second, kg, out, project)
            return found, checksums.recorded_under(out)  # the files' digests, for this process

        def second_lane_findings() -> list[Finding]:
            found, records = lane.result()
            checksums.adopt(records)
            return found

        if progress:
            progress(" and ".join(["validation"] * (check is not None) + [name for name, _ in second])
                     + " (in a second process)")
        with Forked(second_lane, "second process", len(kg)) as lane:
            waiting = True
            for name, writer in WRITERS:
                if name in SECOND_LANE:
                    continue
                if waiting and second and WRITERS.index((name, writer)) > WRITERS.index(second[-1]):
                    findings += second_lane_findings()  # this writer comes after the second lane's: wait
                    waiting = False
                    if violations(findings):
                        raise _Withdrawn
                if progress:
                    progress(name)
                list(writer(kg, out, project))
            if waiting:
                findings += second_lane_findings()
        if violations(findings):
            raise _Withdrawn
        write_provenance(kg, out, project, started)
        write_manifest(kg, out)
        write_checksums(out)
        finish_site(out, (MANIFEST_FILE, CHECKSUMS_FILE, PROVENANCE_FILE))
        forget(out)


def write_manifest(kg: KnowledgeGraph, out: Path) -> Path:
    """``build.json``: what went in (with checksums) and what came out; no timestamps."""
    manifest = {
        "software": "twentyfive",
        "version": __version__,
        "quads": len(kg),
        "graphs": len(kg.graph_names()),
        "inputs": {str(f.path): f.sha256 for f in sorted(kg.inputs, key=lambda f: str(f.path))},
    }
    path = out / MANIFEST_FILE
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def write_checksums(out: Path) -> Path:
    """``SHA256SUMS`` in the format ``sha256sum -c`` reads, for every file but itself and
    ``provenance.ttl`` (which records the time of the build, and the checksum of every
    output in its own right): so the rest of ``dist/`` is byte-identical for the same input."""
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(out).as_posix()
        mirrored = relative.startswith(("releases/", SITE_DIR + "/"))
        if relative in (CHECKSUMS_FILE, PROVENANCE_FILE) or mirrored:
            continue
        lines.append(f"{sha256_file(path)}  {relative}\n")
    target = out / CHECKSUMS_FILE
    target.write_text("".join(lines), encoding="utf-8")
    return target
