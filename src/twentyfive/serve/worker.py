"""A query worker: a separate process holding the store, so a runaway query can be killed.

pyoxigraph has no way to cancel a running query, and a thread cannot be stopped; a process
can. The server keeps a few of these (:mod:`twentyfive.serve.pool`) and kills one whose query
passes the time limit. Protocol on stdin/stdout, one frame each way per query::

    frame = 4-byte big-endian length of a JSON header, the header, then ``header["length"]``
            bytes of body

Request header: ``{"query", "default_graphs", "named_graphs", "accept", "length": 0}``.
Reply header: ``{"status", "content_type", "length"}`` and the body (the serialised result,
or an error message). The first frame a worker sends is ``{"status": 0}``: ready.
"""

from __future__ import annotations

import io
import json
import struct
import sys
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from twentyfive import formats, negotiation
from twentyfive.query import describe_syntax_error
from twentyfive.store import EmbeddedStore


def write_frame(stream: BinaryIO, header: dict, body: bytes = b"") -> None:
    header = {**header, "length": len(body)}
    data = json.dumps(header).encode("utf-8")
    stream.write(struct.pack(">I", len(data)) + data + body)
    stream.flush()


def read_frame(stream: BinaryIO) -> tuple[dict, bytes] | None:
    size = stream.read(4)
    if len(size) < 4:
        return None
    header = json.loads(stream.read(struct.unpack(">I", size)[0]))
    body = stream.read(header.get("length", 0))
    return header, body


def answer(store: EmbeddedStore, request: dict) -> tuple[int, str, bytes]:
    """Run one query; ``(status, content type, body)``."""
    text = request["query"]
    try:
        result = store.query(
            text,
            default_graph_uris=request.get("default_graphs") or None,
            named_graph_uris=request.get("named_graphs") or None,
        )
    except SyntaxError as error:
        return 400, "text/plain; charset=utf-8", describe_syntax_error(text, str(error)).encode()
    except OSError as error:
        return 500, "text/plain; charset=utf-8", f"the query failed: {error}".encode()
    accept = request.get("accept")
    if isinstance(result, ox.QueryTriples):
        variant = negotiation.graph_variant(accept)
        if variant is None:
            return _not_acceptable(negotiation.RDF_VARIANTS)
        from twentyfive.documents import serialize

        return 200, variant.content_type, serialize(list(result), formats.by_name(variant.name))
    variant = negotiation.result_variant(accept)
    if variant is None:
        return _not_acceptable(negotiation.RESULT_VARIANTS)
    buffer = io.BytesIO()
    try:
        result.serialize(buffer, formats.result_format(variant.name).oxigraph)
    except OSError as error:
        return 500, "text/plain; charset=utf-8", f"the query failed: {error}".encode()
    return 200, variant.content_type, buffer.getvalue()


def _not_acceptable(variants: tuple[negotiation.Variant, ...]) -> tuple[int, str, bytes]:
    offered = ", ".join(v.media_type for v in variants)
    return 406, "text/plain; charset=utf-8", f"this result is available as {offered}".encode()


def main(dist: str) -> None:
    reader, writer = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the real stdout
    store = EmbeddedStore.from_dist(Path(dist))
    write_frame(writer, {"status": 0})
    while (frame := read_frame(reader)) is not None:
        status, content_type, body = answer(store, frame[0])
        write_frame(writer, {"status": status, "content_type": content_type}, body)


if __name__ == "__main__":  # pragma: no cover - run by the pool
    main(sys.argv[1])
