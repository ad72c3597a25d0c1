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

import json
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
from twentyfive.publish import PROVENANCE_FILE
from twentyfive.publish import checksums
from twentyfive.publish.checksums import sha256_file

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


def provenance_ntriples(
    inputs: Iterable[FileRecord],
    outputs: Iterable[FileRecord],
    started: datetime,
    ended: datetime,
    version: str = __version__,
) -> bytes:
    """The record of the build as N-Triples: the build and the software, then one block of
    statements per file (in the order of its IRI). Written as text, a few lines per file: a
    build writes tens of thousands of files, and a term object per statement cost seconds."""
    rdf, rdfs, prov, spdx, xsd = (PREFIXES[p] for p in ("rdf", "rdfs", "prov", "spdx", "xsd"))
    schema, dcterms = PREFIXES["schema"], PREFIXES["dcterms"]
    a = f"<{rdf}type>"

    def text(value: str, language: str | None = None) -> str:
        plain = value.isprintable() and '"' not in value and "\\" not in value
        quoted = f'"{value}"' if plain else json.dumps(value, ensure_ascii=False)  # JSON's escapes are N-Triples'

        return f"{quoted}@{language}" if language else quoted

    def moment(when: datetime) -> str:
        return f'"{when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}"^^<{xsd}dateTime>'

    build, software = f"<{BUILD}>", f"<{SOFTWARE}>"
    head = [
        (BUILD, [
            f"{build} {a} <{prov}Activity> .",
            f"{build} <{prov}endedAtTime> {moment(ended)} .",
            f"{build} <{prov}startedAtTime> {moment(started)} .",
            f"{build} <{prov}wasAssociatedWith> {software} .",
            f"{build} <{rdfs}label> {text('build of the twentyfive dataset', 'en')} .",
        ]),
        (SOFTWARE, [
            f"{software} {a} <{prov}SoftwareAgent> .",
            f"{software} <{schema}name> {text('twentyfive')} .",
            f"{software} <{schema}softwareVersion> {text(version)} .",
            f"{software} <{rdfs}label> {text(f'twentyfive {version}', 'en')} .",
        ]),
    ]
    files = []
    for kind, relation, records in (("input", "used", inputs), ("output", "generated", outputs)):
        for record in records:
            iri = file_iri(kind, record.path)
            node, checksum = f"<{iri}>", f"<{iri}-sha256>"
            head[0][1].append(f"{build} <{prov}{relation}> {node} .")
            block = [
                f"{node} {a} <{prov}Entity> .",
                f"{node} <{dcterms}identifier> {text(record.path)} .",
                f"{node} <{dcterms}type> {text(record.role)} .",
                f"{node} <{spdx}checksum> {checksum} .",
            ]
            if kind == "output":
                block.append(f"{node} <{prov}wasGeneratedBy> {build} .")
            block += [
                f"{checksum} {a} <{spdx}Checksum> .",
                f"{checksum} <{spdx}algorithm> <{spdx}checksumAlgorithm_sha256> .",
                f"{checksum} <{spdx}checksumValue> {text(record.sha256)} .",
            ]
            files.append((iri, block))
    lines = [line for _, block in [*head, *sorted(files, key=lambda f: f[0])] for line in block]
    return ("\n".join(dict.fromkeys(lines)) + "\n").encode("utf-8")


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
        digest = sha256_file(path)
        checksums.record(path, digest)  # SHA256SUMS, written next, need not read the file again
        records.append(FileRecord(relative, "output", digest))
    return records


def write_provenance(
    kg: KnowledgeGraph, out: Path, project: Project, started: datetime | None = None
) -> Path:
    """Write ``provenance.ttl`` over what is in ``out`` now (call it after the other writers)."""
    now = build_time()
    fixed = bool(os.environ.get("SOURCE_DATE_EPOCH"))
    statements = provenance_ntriples(
        input_records(kg, project),
        output_records(out),
        now if fixed or started is None else started,
        now,
    )
    used = {n: PREFIXES[n] for n in ("rdf", "rdfs", "xsd", "prov", "spdx", "schema", "dcterms")}
    path = out / PROVENANCE_FILE
    triples = ox.parse(statements, format=ox.RdfFormat.N_TRIPLES, lenient=True)  # IRIs made here
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used))
    return path
