"""One graph (a list of triples) written as files in every triple format of the format table.

The dataset description (``void.*``) and the ontology (``ontology.*``) are small graphs
published beside the dumps; both go through here so they serialise exactly like the dumps:
sorted, with only the prefixes in use, JSON-LD through the curated writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from twentyfive.formats import JSON_LD, N_TRIPLES, TRIPLE_FORMATS, RdfFormat
from twentyfive.graph import triple_sort_key
from twentyfive.publish import jsonld


def serialize_triples(
    triples: Iterable[ox.Triple], fmt: RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """``triples`` in ``fmt`` (a triple format), sorted, byte-identical for the same input.
    ``prefixes``: the prefixes the triples use, when the caller knows them already."""
    ordered = sorted(set(triples), key=triple_sort_key)
    if prefixes is None:
        prefixes = jsonld.used_prefixes(ordered)
    if fmt is JSON_LD:
        return jsonld.dumps(jsonld.to_jsonld(ordered, prefixes))
    if fmt is N_TRIPLES:
        return ox.serialize(ordered, format=fmt.oxigraph)
    return ox.serialize(ordered, format=fmt.oxigraph, prefixes=prefixes)


def write_triples(triples: Iterable[ox.Triple], out: Path, stem: str) -> list[Path]:
    """Write ``<stem>.<ext>`` for every triple format; return the files written."""
    triples = list(triples)
    written = []
    for fmt in TRIPLE_FORMATS:
        path = out / f"{stem}.{fmt.extension}"
        path.write_bytes(serialize_triples(triples, fmt))
        written.append(path)
    return written
