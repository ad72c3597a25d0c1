"""The whole-dataset dumps, one per format of the format table, with gzip copies."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pyoxigraph as ox

from twentyfive.formats import FORMATS, JSON_LD, RdfFormat
from twentyfive.graph import KnowledgeGraph
from twentyfive.publish import jsonld

DUMP_STEM = "twentyfive"
CONTEXT_FILE = "context.jsonld"


def dump_name(fmt: RdfFormat) -> str:
    return f"{DUMP_STEM}.{fmt.extension}"


def serialize(kg: KnowledgeGraph, fmt: RdfFormat) -> bytes:
    """The dataset in ``fmt``: quads where the format keeps named graphs, else the union."""
    if fmt.named_graphs:
        quads = kg.sorted_quads()
        prefixes = jsonld.used_prefixes(q.triple for q in quads)
        return ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes)
    triples = kg.sorted_triples()
    prefixes = jsonld.used_prefixes(triples)
    if fmt is JSON_LD:
        return jsonld.dumps(jsonld.to_jsonld(triples, prefixes))
    if fmt.oxigraph == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt.oxigraph)
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no name and no timestamp, so the same input gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(data)
    return buffer.getvalue()


def write_dumps(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """Write every dump, its gzip copy and the JSON-LD context into ``out``."""
    written = []
    for fmt in FORMATS:
        data = serialize(kg, fmt)
        path = out / dump_name(fmt)
        path.write_bytes(data)
        gz = path.with_name(path.name + ".gz")
        gz.write_bytes(gzip_bytes(data))
        written += [path, gz]
    context = {"@context": jsonld.context_for(jsonld.used_prefixes(kg.sorted_triples()))}
    (out / CONTEXT_FILE).write_bytes(jsonld.dumps(context))
    written.append(out / CONTEXT_FILE)
    return written
