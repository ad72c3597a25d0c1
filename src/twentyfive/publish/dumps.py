"""The whole-dataset dumps, one per format of the format table, with gzip copies."""

from __future__ import annotations

import gzip
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from twentyfive.formats import FORMATS, JSON_LD, RdfFormat
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import PREFIXES
from twentyfive.publish import jsonld

DUMP_STEM = "twentyfive"
CONTEXT_FILE = "context.jsonld"


def dump_name(fmt: RdfFormat) -> str:
    return f"{DUMP_STEM}.{fmt.extension}"


#: gzip level of the dump copies: 6 compresses within a few per cent of 9, several times faster.
GZIP_LEVEL = 6


@dataclass
class Sorted:
    """The dataset as sorted N-Quads and N-Triples text, made once for all the dumps.

    At archive scale (a million quads) Python objects per statement are what costs: sorting
    them with a key, hashing them to drop duplicates. Here pyoxigraph writes the statements as
    text, the lines are sorted as bytes (N-Quads by graph first, so TriG has one block per
    graph; N-Triples of the union without duplicates), and the other formats are streamed
    from that text through pyoxigraph's parser into its serialisers. Same input, same bytes.
    """

    nquads: bytes
    ntriples: bytes
    prefixes: dict[str, str]

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> Sorted:
        default = set(_lines(kg.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())))
        named = [line for line in _lines(kg.store.dump(format=ox.RdfFormat.N_QUADS)) if line not in default]
        named.sort(key=_graph_first)
        nquads = b"".join(line + b"\n" for line in [*sorted(default), *named])
        union = {line[: line.rfind(b" <")] + b" ." for line in named}
        union.update(default)
        ntriples = b"".join(line + b"\n" for line in sorted(union))
        del union
        del named
        return cls(nquads, ntriples, prefixes_in(ntriples))

    def quads(self) -> Iterator[ox.Quad]:
        return ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS)

    def triples(self) -> Iterator[ox.Triple]:
        return ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES)


def serialize(kg: KnowledgeGraph, fmt: RdfFormat, prepared: Sorted | None = None) -> bytes:
    """The dataset in ``fmt``: quads where the format keeps named graphs, else the union."""
    prepared = prepared or Sorted.of(kg)
    prefixes = prepared.prefixes
    if fmt.oxigraph == ox.RdfFormat.N_QUADS:
        return prepared.nquads
    if fmt.oxigraph == ox.RdfFormat.N_TRIPLES:
        return prepared.ntriples
    if fmt.named_graphs:
        return ox.serialize(prepared.quads(), format=fmt.oxigraph, prefixes=prefixes)
    if fmt is JSON_LD:
        return jsonld.stream_document(prepared.triples(), prefixes)
    return ox.serialize(prepared.triples(), format=fmt.oxigraph, prefixes=prefixes)


def prefixes_in(ntriples: bytes, prefixes: dict[str, str] = PREFIXES) -> dict[str, str]:
    """The prefixes some IRI of an N-Triples text falls under (longest match, as ``used_prefixes``).

    A substring search per namespace in the text, instead of a look at every term.
    """
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    used = set()
    for name, namespace in namespaces:
        longer = [ns.encode() for _, ns in namespaces if len(ns) > len(namespace) and ns.startswith(namespace)]
        encoded = namespace.encode()
        position = ntriples.find(b"<" + encoded)
        while position != -1:
            start = position + 1  # where the IRI begins
            if not _ends(ntriples, start + len(encoded)) and not any(
                ntriples.startswith(n, start) and not _ends(ntriples, start + len(n)) for n in longer
            ):
                used.add(name)
                break
            position = ntriples.find(b"<" + encoded, start)
    return {name: prefixes[name] for name in prefixes if name in used}


def _ends(data: bytes, at: int) -> bool:
    """True when the IRI ends at ``at`` (nothing follows the namespace)."""
    return data[at : at + 1] == b">"


def _lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def _graph_first(line: bytes) -> tuple[bytes, bytes]:
    """An N-Quads line's sort key: its graph name (the last IRI on the line), then the line."""
    return (line[line.rfind(b" <") :], line)


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no name and no timestamp, so the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


#: Formats written by a second process (forked, so it shares the sorted text without copying).
SECOND_PROCESS = ("jsonld", "trig")


def write_dumps(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """Write every dump, its gzip copy and the JSON-LD context into ``out``.

    The graph is sorted once for all formats. Where the platform can fork, the slowest formats
    are written by a second process meanwhile (2 cores: about half the wall time at scale).
    """
    prepared = Sorted.of(kg)
    prefixes = prepared.prefixes
    second = [f for f in FORMATS if f.name in SECOND_PROCESS] if _can_fork() else []
    helper = None
    if second:
        helper = multiprocessing.get_context("fork").Process(target=_write_formats, args=(kg, second, out, prepared))
        helper.start()
    written = _write_formats(kg, [f for f in FORMATS if f not in second], out, prepared)
    if helper is not None:
        helper.join()
        if helper.exitcode != 0:
            raise RuntimeError(f"writing the {', '.join(f.label for f in second)} dumps failed (exit code {helper.exitcode})")
        written += [p for f in second for p in (out / dump_name(f), out / (dump_name(f) + ".gz"))]
    del prepared
    context = {"@context": jsonld.context_for(prefixes)}
    (out / CONTEXT_FILE).write_bytes(jsonld.dumps(context))
    written.append(out / CONTEXT_FILE)
    return written


def _write_formats(kg: KnowledgeGraph, formats: list[RdfFormat], out: Path, prepared: Sorted) -> list[Path]:
    written = []
    for fmt in formats:
        data = serialize(kg, fmt, prepared)
        path = out / dump_name(fmt)
        path.write_bytes(data)
        gz = path.with_name(path.name + ".gz")
        gz.write_bytes(gzip_bytes(data))
        written += [path, gz]
    return written


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
