"""``twentyfive release VERSION``: an immutable, citable copy of the build in ``dist/releases/V/``.

A release validates the data, writes every file the build writes into a staging folder
next to the releases, adds what makes it citable and comparable, and renames the folder
into place (all or nothing). It is never overwritten: asking for a version that exists is
an error that changes nothing. Then ``dist/`` is republished (its description now says it
is this release) and ``dist/latest`` is pointed at the release by replacing the symlink
with a rename, so readers see the old or the new release, never none.

In the release folder, besides the dumps, ``void.*`` (with ``dcat:version``, ``dcterms:issued``
and ``dcat:previousVersion``) and the ontology files:

- ``release.json``: version, date, previous version, fingerprint (:mod:`twentyfive.fingerprint`);
- ``CITATION.cff`` and ``CITATION.bib``;
- ``changes/added.nq``, ``changes/removed.nq``, ``changes/CHANGES.md``: against the last release;
- ``tombstones.json``: every entity that was in an earlier release and is not in this one,
  with the release it was last in and its last description (Turtle), for ``410 Gone``;
- ``redirects.json`` (gone and moved), ``SHA256SUMS``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from twentyfive.changes import diff, entities, entity_of, write_changes
from twentyfive.fingerprint import ALGORITHM, fingerprint, read_quads
from twentyfive.graph import KnowledgeGraph, triple_sort_key
from twentyfive.namespaces import PREFIXES
from twentyfive.pipeline import Outcome, check
from twentyfive.project import Project
from twentyfive.publish import WRITERS, publish, write_checksums, write_manifest
from twentyfive.publish.description import PUBLISHER_NAME, TITLE, write_description
from twentyfive.publish.editions import (
    RELEASE_RECORD,
    RELEASES_DIR,
    SEMVER,
    Edition,
    ReleaseRecord,
    list_releases,
    release_iri,
    semver_key,
)
from twentyfive.publish.redirects import TOMBSTONES_FILE, moved, write_redirects

LATEST_LINK = "latest"
CHANGES_DIR = "changes"


class ReleaseError(Exception):
    """The release cannot be made; the message says why and what to do. Nothing was changed."""


@dataclass
class Released:
    outcome: Outcome
    folder: Path | None = None
    record: ReleaseRecord | None = None


def release_date(given: str | None = None) -> str:
    """``given`` (YYYY-MM-DD), else the day of ``SOURCE_DATE_EPOCH`` (UTC), else today (UTC)."""
    if given:
        try:
            return dt.date.fromisoformat(given).isoformat()
        except ValueError:
            raise ReleaseError(f"the date {given!r} is not a date such as 2026-11-27") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


def refuse_existing(project: Project, version: str) -> list[ReleaseRecord]:
    """Check ``version`` can be released; return the releases so far."""
    if not SEMVER.match(version):
        raise ReleaseError(
            f"{version!r} is not a semantic version: use MAJOR.MINOR.PATCH such as 1.0.0"
        )
    folder = project.dist_dir / RELEASES_DIR / version
    if folder.exists():
        raise ReleaseError(
            f"release {version} already exists in {folder}: releases are immutable and never "
            "overwritten; release the changes under a new version"
        )
    releases = list_releases(project.dist_dir)
    if releases and semver_key(version) <= semver_key(releases[-1].version):
        raise ReleaseError(
            f"version {version} is not after the latest release {releases[-1].version}: "
            "choose a higher version"
        )
    return releases


def make_release(
    project: Project,
    version: str,
    date: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Released:
    """Validate, write ``dist/releases/VERSION/``, republish ``dist/``, point ``dist/latest``."""
    releases = refuse_existing(project, version)
    issued = release_date(date)
    outcome = check(project)
    if not outcome.conforms:
        return Released(outcome)
    previous = releases[-1] if releases else None
    kg = outcome.kg
    root = project.dist_dir / RELEASES_DIR
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.staging-", dir=root))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a release is for everyone to read
    try:
        record = _write_release(kg, project, staging, version, issued, previous, progress)
        target = root / version
        if target.exists():  # made by someone else since we checked
            raise ReleaseError(f"release {version} appeared in {target} meanwhile; nothing changed")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if progress:
        progress("dist/ (now this release)")
    publish(kg, project)
    point_latest(project.dist_dir, version)
    return Released(outcome, target, record)


def _write_release(
    kg: KnowledgeGraph,
    project: Project,
    out: Path,
    version: str,
    issued: str,
    previous: ReleaseRecord | None,
    progress: Callable[[str], None] | None,
) -> ReleaseRecord:
    for name, writer in WRITERS:
        if progress:
            progress(name)
        list(writer(kg, out, project))
    print_ = fingerprint(kg.store)
    iri = release_iri(version)
    edition = Edition(
        iri, iri + "/", version, issued, previous.version if previous else None, print_
    )
    write_description(kg, out, edition)  # the release's own description replaces the build's
    old = read_quads(previous.folder) if previous else []
    changes = diff(old, kg.store)
    write_changes(changes, out / CHANGES_DIR, previous.version if previous else "nothing", version)
    tombstones = _tombstones(kg, old, previous, version)
    (out / TOMBSTONES_FILE).write_text(_json(tombstones), encoding="utf-8")
    write_redirects({"gone": tombstones, "moved": moved(kg)}, out)
    record = {
        "version": version,
        "issued": issued,
        "previous": previous.version if previous else None,
        "fingerprint": print_,
        "fingerprint_algorithm": ALGORITHM,
        "added": len(changes.added),
        "removed": len(changes.removed),
    }
    (out / RELEASE_RECORD).write_text(_json(record), encoding="utf-8")
    (out / "CITATION.cff").write_text(citation_cff(version, issued, print_), encoding="utf-8")
    (out / "CITATION.bib").write_text(bibtex(version, issued, print_), encoding="utf-8")
    write_manifest(kg, out)
    write_checksums(out)
    return ReleaseRecord(version, issued, record["previous"], print_, out)


def _tombstones(
    kg: KnowledgeGraph, old: list[ox.Quad], previous: ReleaseRecord | None, version: str
) -> dict:
    """The previous release's tombstones still dead, and a new one for each entity gone now."""
    now = entities(kg.store)
    carried = {}
    if previous and (previous.folder / TOMBSTONES_FILE).is_file():
        carried = json.loads((previous.folder / TOMBSTONES_FILE).read_text(encoding="utf-8"))
    tombstones = {iri: stone for iri, stone in carried.items() if iri not in now}
    for entity in sorted(entities(old) - now):
        triples = sorted({q.triple for q in old if entity_of(q) == entity}, key=triple_sort_key)
        tombstones[entity] = {
            "removed_in": version,
            "last_release": previous.version if previous else None,
            "last_description": ox.serialize(
                triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
            ).decode("utf-8"),
        }
    return dict(sorted(tombstones.items()))


def point_latest(dist_dir: Path, version: str) -> Path:
    """Make ``dist/latest`` a symlink to ``releases/VERSION``, replaced by one atomic rename."""
    link = dist_dir / LATEST_LINK
    temporary = dist_dir / f".{LATEST_LINK}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(f"{RELEASES_DIR}/{version}", temporary)
    os.replace(temporary, link)
    return link


def citation_cff(version: str, issued: str, print_: str) -> str:
    iri = release_iri(version)
    return (
        "cff-version: 1.2.0\n"
        'message: "If you use this dataset, please cite this release as below."\n'
        "type: dataset\n"
        f'title: "{TITLE["en"]} ({TITLE["ru"]}): a knowledge graph"\n'
        f'version: "{version}"\n'
        f"date-released: {issued}\n"
        "license: CC-BY-SA-4.0\n"
        f'url: "{iri}"\n'
        "authors:\n"
        f'  - name: "{PUBLISHER_NAME}"\n'
        "identifiers:\n"
        "  - type: url\n"
        f'    value: "{iri}"\n'
        '    description: "This release"\n'
        "  - type: other\n"
        f'    value: "{print_}"\n'
        f'    description: "Graph fingerprint ({ALGORITHM} over the sorted canonical N-Quads)"\n'
    )


def bibtex(version: str, issued: str, print_: str) -> str:
    key = "twentyfive_" + version.replace(".", "_").replace("-", "_")
    return (
        f"@misc{{{key},\n"
        f"  title = {{{{{TITLE['en']}}}: a knowledge graph, release {version}}},\n"
        f"  author = {{{{{PUBLISHER_NAME}}}}},\n"
        f"  year = {{{issued[:4]}}},\n"
        f"  date = {{{issued}}},\n"
        f"  version = {{{version}}},\n"
        f"  url = {{{release_iri(version)}}},\n"
        f"  note = {{Dataset (RDF), licence CC BY-SA 4.0; graph fingerprint {print_}}},\n"
        "}\n"
    )


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
