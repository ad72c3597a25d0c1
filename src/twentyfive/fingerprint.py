"""An RDFC-1.0 fingerprint of a dataset: the same graph gives the same hash in any format.

The quads are canonicalised with pyoxigraph's RDFC-1.0 implementation (W3C RDF Dataset
Canonicalization; it relabels blank nodes, of which our data has none), written as
canonical N-Quads one per line, sorted by code point, and hashed with SHA-256 — the
"hash of the canonical N-Quads document" that RDFC-1.0 section 4.1 describes. For
blank-node-free data, canonical N-Quads is simply every quad in canonical N-Quads form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from twentyfive import formats

ALGORITHM = "RDFC-1.0 + SHA-256"


def canonical_nquads(quads: Iterable[ox.Quad]) -> list[str]:
    """The canonical N-Quads lines of ``quads``, sorted (each ends with a newline)."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = {f"{quad} .\n" for quad in dataset}
    return sorted(lines)


def fingerprint(quads: Iterable[ox.Quad]) -> str:
    """``sha256:<hex>`` of the sorted canonical N-Quads."""
    digest = hashlib.sha256()
    for line in canonical_nquads(quads):
        digest.update(line.encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def read_quads(path: Path) -> list[ox.Quad]:
    """The quads of a dump file (its format from its extension; triples in the default graph).

    A folder means the N-Quads dump in it (a build or a release).
    """
    if path.is_dir():
        path = path / f"twentyfive.{formats.N_QUADS.extension}"
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    fmt = formats.by_extension(name.rsplit(".", 1)[-1])
    if path.name.endswith(".gz"):
        import gzip

        return list(ox.parse(gzip.decompress(path.read_bytes()), format=fmt.oxigraph))
    return list(ox.parse(path=str(path), format=fmt.oxigraph))
