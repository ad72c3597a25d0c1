"""A query worker: a separate process holding the store, so a runaway query can be killed.

pyoxigraph has no way to cancel a running query, and a thread cannot be stopped; a process
can. The server keeps a few of these (:mod:`twentyfive.serve.pool`) and kills one whose query
passes the time limit. Protocol on stdin/stdout, one message each way per query:

- request: 4-byte big-endian length, then JSON
  ``{"query", "default_graphs", "named_graphs", "accept"}``;
- reply: :data:`REPLY` = body length, HTTP status, index of the content type in
  :data:`CONTENT_TYPES`; then the body (the serialised result, or an error message).

The first reply a worker sends has status 0 and no body: it has loaded the build.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from twentyfive import formats, negotiation
from twentyfive.query import describe_syntax_error
from twentyfive.store import EmbeddedStore

REPLY = struct.Struct(">IHB")
PLAIN = "text/plain; charset=utf-8"
#: Every content type a reply can have; the reply carries its index.
CONTENT_TYPES: tuple[str, ...] = (
    PLAIN,
    *(v.content_type for v in negotiation.RESULT_VARIANTS),
    *(v.content_type for v in negotiation.RDF_VARIANTS),
)


def write_reply(stream: BinaryIO, status: int, content_type: str, body: bytes) -> None:
    stream.write(REPLY.pack(len(body), status, CONTENT_TYPES.index(content_type)) + body)
    stream.flush()


def read_request(stream: BinaryIO) -> dict | None:
    size = stream.read(4)
    if len(size) < 4:
        return None
    return json.loads(stream.read(struct.unpack(">I", size)[0]))


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
        return 400, PLAIN, describe_syntax_error(text, str(error)).encode()
    except OSError as error:
        return 500, PLAIN, f"the query failed: {error}".encode()
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
    try:  # to bytes directly: twice as fast as through a Python file object
        body = result.serialize(format=formats.result_format(variant.name).oxigraph)
    except OSError as error:
        return 500, PLAIN, f"the query failed: {error}".encode()
    return 200, variant.content_type, body


def _not_acceptable(variants: tuple[negotiation.Variant, ...]) -> tuple[int, str, bytes]:
    offered = ", ".join(v.media_type for v in variants)
    return 406, PLAIN, f"this result is available as {offered}".encode()


def main(dist: str) -> None:
    reader, writer = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the real stdout
    store = EmbeddedStore.from_dist(Path(dist))
    write_reply(writer, 0, PLAIN, b"")
    while (request := read_request(reader)) is not None:
        write_reply(writer, *answer(store, request))


if __name__ == "__main__":  # pragma: no cover - run by the pool
    main(sys.argv[1])
