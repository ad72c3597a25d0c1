"""The whole-dataset dumps, one per format of the format table, with gzip copies."""

from __future__ import annotations

import gzip
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from twentyfive.formats import FORMATS, JSON_LD, RdfFormat
from twentyfive.graph import KnowledgeGraph
from twentyfive.publish import jsonld

DUMP_STEM = "twentyfive"
CONTEXT_FILE = "context.jsonld"


def dump_name(fmt: RdfFormat) -> str:
    return f"{DUMP_STEM}.{fmt.extension}"


#: gzip level of the dump copies: 6 compresses within a few per cent of 9, several times faster.
GZIP_LEVEL = 6


@dataclass
class Sorted:
    """What every dump needs, computed once per build: sorting is the costly part at scale."""

    quads: list[ox.Quad]
    triples: list[ox.Triple]
    prefixes: dict[str, str]

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> Sorted:
        triples = kg.sorted_triples()
        return cls(kg.sorted_quads(), triples, jsonld.used_prefixes(triples))


def serialize(kg: KnowledgeGraph, fmt: RdfFormat, prepared: Sorted | None = None) -> bytes:
    """The dataset in ``fmt``: quads where the format keeps named graphs, else the union."""
    prepared = prepared or Sorted.of(kg)
    prefixes = prepared.prefixes
    if fmt.named_graphs:
        return ox.serialize(prepared.quads, format=fmt.oxigraph, prefixes=prefixes)
    if fmt is JSON_LD:
        return jsonld.dumps(jsonld.to_jsonld(prepared.triples, prefixes, presorted=True))
    if fmt.oxigraph == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(prepared.triples, format=fmt.oxigraph)
    return ox.serialize(prepared.triples, format=fmt.oxigraph, prefixes=prefixes)


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no name and no timestamp, so the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def write_dumps(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """Write every dump, its gzip copy and the JSON-LD context into ``out``.

    The graph is sorted once for all formats; each gzip copy is compressed in a second thread
    (zlib releases the GIL) while the next format is serialised.
    """
    prepared = Sorted.of(kg)
    written = []
    with ThreadPoolExecutor(max_workers=1) as compressor:
        pending = []
        for fmt in FORMATS:
            data = serialize(kg, fmt, prepared)
            path = out / dump_name(fmt)
            path.write_bytes(data)
            gz = path.with_name(path.name + ".gz")
            pending.append(compressor.submit(lambda data=data, gz=gz: gz.write_bytes(gzip_bytes(data))))
            written += [path, gz]
        for job in pending:
            job.result()
    context = {"@context": jsonld.context_for(prepared.prefixes)}
    (out / CONTEXT_FILE).write_bytes(jsonld.dumps(context))
    written.append(out / CONTEXT_FILE)
    return written
