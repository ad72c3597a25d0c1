"""A query worker: a separate process holding the store, so a runaway query can be killed.

pyoxigraph has no way to cancel a running query, and a thread cannot be stopped; a process
can. The server keeps a few of these (:mod:`twentyfive.serve.pool`) and kills one whose query
passes the time limit. Protocol on stdin/stdout, one message each way per query:

- request: 4-byte big-endian length, then JSON
  ``{"query", "default_graphs", "named_graphs", "accept"}``;
- reply: :data:`REPLY` = body length, HTTP status, index of the content type in
  :data:`CONTENT_TYPES`; then the body (the serialised result, or an error message).

The first reply a worker sends has status 0 and no body: it has loaded the build.

A request ``{"document": IRI}`` asks for the files of an entity's document that the build
did not prebuild (roster entities): the reply's body is :func:`pack_files` of every format and
page, rendered from the build's own store exactly as the build renders the others.

With a remote store (``twentyfive serve --store URL``) the worker holds a
:class:`~twentyfive.store.RemoteStore` instead: the query goes to the store over the SPARQL
1.1 Protocol with the same time limit as an HTTP timeout, and comes back here to be
serialised in the negotiated format, exactly as from the embedded store.
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
from twentyfive.sparql_http import Endpoints, SparqlClient, StoreError
from twentyfive.store import EmbeddedStore, GraphStore, RemoteStore

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


def answer(store: GraphStore, request: dict) -> tuple[int, str, bytes]:
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
    except StoreError as error:  # the remote store refused the query, or did not answer
        status = 400 if error.status == 400 else 502
        return status, PLAIN, f"the triple store answered: {error}".encode()
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


class DocumentRenderer:
    """Renders the documents of one store; finds every entity's subjects (itself and its parts
    ``…#part``) once, on the first request, as the build does — or, where the store on disk
    keeps the list of subjects beside it, looks each entity's up in that list."""

    def __init__(self, store: ox.Store, subject_lines: list[bytes] | None = None):
        self.store = store
        self._subject_lines = subject_lines
        self._subjects: dict[str, list[str]] | None = None

    def render(self, iri: str) -> tuple[int, str, bytes]:
        """The files of the document of ``iri`` (404 when the store says nothing about it)."""
        from twentyfive.documents import build_document, entities, subjects_of
        from twentyfive.publish.documents import document_files

        if self._subject_lines is not None:
            subjects = subjects_of(self._subject_lines, iri)
        else:
            if self._subjects is None:
                self._subjects = entities(self.store)
            subjects = self._subjects.get(iri, [])
        if not subjects:
            return 404, PLAIN, f"nothing is said about <{iri}>".encode()
        return 200, PLAIN, pack_files(document_files(build_document(self.store, iri, subjects)))


def pack_files(files: list[tuple[str, bytes]]) -> bytes:
    """Named files as one body: a 4-byte length, a JSON list of ``[name, size]``, the bytes."""
    head = json.dumps([[name, len(data)] for name, data in files]).encode("utf-8")
    return struct.pack(">I", len(head)) + head + b"".join(data for _, data in files)


def unpack_files(body: bytes) -> list[tuple[str, bytes]]:
    (size,) = struct.unpack(">I", body[:4])
    files, offset = [], 4 + size
    for name, length in json.loads(body[4 : 4 + size]):
        files.append((name, body[offset : offset + length]))
        offset += length
    return files


def _not_acceptable(variants: tuple[negotiation.Variant, ...]) -> tuple[int, str, bytes]:
    offered = ", ".join(v.media_type for v in variants)
    return 406, PLAIN, f"this result is available as {offered}".encode()


def remote_store(url: str, layout: str, timeout: float) -> RemoteStore:
    """The store behind ``--store``: one try per query (a retry would outlast the limit).

    A query that names no graphs runs over the graphs ``twentyfive load`` put there (read
    from its registry when the worker starts), as both default and named graphs — not over
    the registry or the dataset description, which the embedded store does not hold either.
    A store without that registry is queried over its own default graph (configure it as
    the union of its graphs: ``oxigraph serve --union-default-graph``). Either way Oxigraph
    repeats a statement held by several graphs (its merge is a bag, not a set): see
    :class:`~twentyfive.store.RemoteStore`.
    """
    from twentyfive.load import live_graphs
    from twentyfive.namespaces import GRAPH_DESCRIPTION

    client = SparqlClient(Endpoints.of(url, layout=layout), timeout=timeout, retries=0)
    client.__enter__()  # held for the life of the worker process
    graphs = [g for g in live_graphs(RemoteStore(client)) if g != GRAPH_DESCRIPTION]
    return RemoteStore(client, graphs)


def main(dist: str, store_url: str = "", layout: str = "oxigraph", timeout: str = "10") -> None:
    reader, writer = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the real stdout
    store: GraphStore
    if store_url:
        store = remote_store(store_url, layout, float(timeout))
    else:
        store = EmbeddedStore.from_dist(Path(dist), lambda text: print(text, file=sys.stderr))
    renderer = None
    if isinstance(store, EmbeddedStore):  # roster pages come from the build's own store
        renderer = DocumentRenderer(store.oxigraph, store.subject_lines())
    write_reply(writer, 0, PLAIN, b"")
    while (request := read_request(reader)) is not None:
        if "document" in request and renderer is not None:
            write_reply(writer, *renderer.render(request["document"]))
        else:
            write_reply(writer, *answer(store, request))


if __name__ == "__main__":  # pragma: no cover - run by the pool
    main(*sys.argv[1:])
