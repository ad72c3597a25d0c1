"""An RDFC-1.0 fingerprint of a dataset: the same graph gives the same hash in any format.

The quads are canonicalised with pyoxigraph's RDFC-1.0 implementation (W3C RDF Dataset
Canonicalization; it relabels blank nodes, of which our data has none), written as
canonical N-Quads one per line, sorted by code point, and hashed with SHA-256 — the
"hash of the canonical N-Quads document" that RDFC-1.0 section 4.1 describes. For
blank-node-free data, canonical N-Quads is simply every quad in canonical N-Quads form.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from twentyfive import formats

ALGORITHM = "RDFC-1.0 + SHA-256"


_BLANK = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isBlank(?s) || isBlank(?o)) }"


def canonical_nquads(
    quads: ox.Store | Iterable[ox.Quad], relabel: bool | None = None
) -> list[bytes]:
    """The canonical N-Quads lines of ``quads`` (UTF-8; byte order is code-point order), sorted,
    without duplicates, each ending in a newline.

    Blank nodes are relabelled by RDFC-1.0 (``relabel=None``: only when there are any; without
    blank nodes the canonical form of a quad is its N-Quads line, and skipping the relabelling
    pass makes the fingerprint ten times faster at archive scale).
    """
    if isinstance(quads, ox.Store):
        if relabel is None:
            relabel = bool(quads.query(_BLANK))
        quads = list(quads) if relabel else quads.dump(format=ox.RdfFormat.N_QUADS)
    else:
        quads = list(quads)
        if relabel is None:
            relabel = any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    if relabel:
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    data = quads if isinstance(quads, bytes) else ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    lines = sorted(data.splitlines(keepends=True))  # from runs of sorted lines: faster than a set
    return [line for line, _ in itertools.groupby(lines)]


def fingerprint(quads: ox.Store | Iterable[ox.Quad]) -> str:
    """``sha256:<hex>`` of the sorted canonical N-Quads."""
    digest = hashlib.sha256()
    for line in canonical_nquads(quads):
        digest.update(line)
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
