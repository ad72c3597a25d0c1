"""``dist/provenance.ttl``: the build recorded in PROV-O.

One ``prov:Activity`` (the build) with its start and end, associated with the software and its
version (a ``prov:SoftwareAgent``), that ``prov:used`` every input file and ``prov:generated``
every output file, each file with its SHA-256 (``spdx:checksum``).

This is the one file of ``dist/`` that records a time. When ``SOURCE_DATE_EPOCH`` is set
(the reproducible-builds convention) both times are that instant, and this file too is the
same for the same input; otherwise the real clock is used. It is written after every other
writer (so it can list their files) and before ``build.json`` and ``SHA256SUMS``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from twentyfive import __version__
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import DATASET_IRI, PREFIXES
from twentyfive.project import Project
from twentyfive.publish import PROVENANCE_FILE, sha256_file

BUILD = f"{DATASET_IRI}#build"
SOFTWARE = f"{DATASET_IRI}#software"


@dataclass(frozen=True)
class FileRecord:
    """A file that went in or came out: its path (relative to its folder), role and SHA-256."""

    path: str
    role: str
    sha256: str


def build_time(environ: dict[str, str] | os._Environ = os.environ) -> datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now; always UTC."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01 UTC; "
            "set it to an integer such as $(git log -1 --format=%ct), or unset it"
        ) from None


def file_iri(kind: str, path: str) -> str:
    """``…/dataset/twentyfive#input-data-person-mikhail-sholokhov-trig``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return f"{DATASET_IRI}#{kind}-{slug}"


def provenance_triples(
    inputs: Iterable[FileRecord],
    outputs: Iterable[FileRecord],
    started: datetime,
    ended: datetime,
    version: str = __version__,
) -> list[ox.Triple]:
    rdf, rdfs, prov, spdx, xsd = (PREFIXES[p] for p in ("rdf", "rdfs", "prov", "spdx", "xsd"))
    schema, dcterms = PREFIXES["schema"], PREFIXES["dcterms"]
    triples: list[ox.Triple] = []

    def add(subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        triples.append(ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), obj))

    def moment(when: datetime) -> ox.Literal:
        return ox.Literal(
            when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            datatype=ox.NamedNode(xsd + "dateTime"),
        )

    add(BUILD, rdf + "type", ox.NamedNode(prov + "Activity"))
    add(BUILD, rdfs + "label", ox.Literal("build of the twentyfive dataset", language="en"))
    add(BUILD, prov + "startedAtTime", moment(started))
    add(BUILD, prov + "endedAtTime", moment(ended))
    add(BUILD, prov + "wasAssociatedWith", ox.NamedNode(SOFTWARE))
    add(SOFTWARE, rdf + "type", ox.NamedNode(prov + "SoftwareAgent"))
    add(SOFTWARE, rdfs + "label", ox.Literal(f"twentyfive {version}", language="en"))
    add(SOFTWARE, schema + "name", ox.Literal("twentyfive"))
    add(SOFTWARE, schema + "softwareVersion", ox.Literal(version))
    for kind, relation, records in (("input", "used", inputs), ("output", "generated", outputs)):
        for record in records:
            iri = file_iri(kind, record.path)
            checksum = f"{iri}-sha256"
            add(BUILD, prov + relation, ox.NamedNode(iri))
            add(iri, rdf + "type", ox.NamedNode(prov + "Entity"))
            add(iri, dcterms + "identifier", ox.Literal(record.path))
            add(iri, dcterms + "type", ox.Literal(record.role))
            add(iri, spdx + "checksum", ox.NamedNode(checksum))
            add(checksum, rdf + "type", ox.NamedNode(spdx + "Checksum"))
            add(checksum, spdx + "algorithm", ox.NamedNode(spdx + "checksumAlgorithm_sha256"))
            add(checksum, spdx + "checksumValue", ox.Literal(record.sha256))
            if kind == "output":
                add(iri, prov + "wasGeneratedBy", ox.NamedNode(BUILD))
    type_first = rdf + "type"
    return sorted(
        set(triples),
        key=lambda t: (
            t.subject.value,
            t.predicate.value != type_first,
            t.predicate.value,
            str(t.object),
        ),
    )


def input_records(kg: KnowledgeGraph, project: Project) -> list[FileRecord]:
    """Every file the build read: ontology and data (as read), shapes and checks."""
    records = {str(f.path): FileRecord(str(f.path), f.role, f.sha256) for f in kg.inputs}
    if project.shapes_dir.is_dir():
        for path in sorted(project.shapes_dir.rglob("*")):
            if path.is_file() and path.suffix in (".ttl", ".rq"):
                shown = str(project.relative(path))
                records.setdefault(shown, FileRecord(shown, "shapes", sha256_file(path)))
    return [records[k] for k in sorted(records)]


def output_records(out: Path) -> list[FileRecord]:
    records = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(out).as_posix()
        if relative.startswith("releases/") or relative == PROVENANCE_FILE:
            continue
        records.append(FileRecord(relative, "output", sha256_file(path)))
    return records


def write_provenance(
    kg: KnowledgeGraph, out: Path, project: Project, started: datetime | None = None
) -> Path:
    """Write ``provenance.ttl`` over what is in ``out`` now (call it after the other writers)."""
    now = build_time()
    fixed = bool(os.environ.get("SOURCE_DATE_EPOCH"))
    triples = provenance_triples(
        input_records(kg, project),
        output_records(out),
        now if fixed or started is None else started,
        now,
    )
    used = {n: PREFIXES[n] for n in ("rdf", "rdfs", "xsd", "prov", "spdx", "schema", "dcterms")}
    path = out / PROVENANCE_FILE
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used))
    return path
