"""The whole-dataset dumps, one per format of the format table, with gzip copies.

At archive scale (a million quads, a quarter of a gigabyte of N-Quads) what costs is Python
work per statement and copies held in memory. So the dataset is sorted once, as text: each
named graph is dumped by pyoxigraph as N-Triples, its lines sorted as bytes and written
straight to ``twentyfive.nq`` with the graph name added (graph by graph, so TriG has one block
per graph); the same lines, merged and without duplicates, make ``twentyfive.nt`` (the union
of the graphs). Every other format is streamed from one of those two files: through
pyoxigraph's parser into its serialisers, or, for JSON-LD, through :mod:`jsonld`'s writer of
N-Triples lines. Each file is written to disk as it is made, with its gzip copy and the SHA-256
of both computed on the way. Same input, same bytes.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from zlib_ng import zlib_ng

from twentyfive.formats import FORMATS, JSON_LD, N_QUADS, N_TRIPLES, RdfFormat
from twentyfive.forked import parallel_enabled
from twentyfive.graph import TRIPLE_COUNT, KnowledgeGraph
from twentyfive.namespaces import PREFIXES
from twentyfive.publish import checksums, jsonld, statistics

DUMP_STEM = "twentyfive"
CONTEXT_FILE = "context.jsonld"


def dump_name(fmt: RdfFormat) -> str:
    return f"{DUMP_STEM}.{fmt.extension}"


#: gzip level of the dump copies, for zlib-ng's compressor (the deflate format of zlib, written
#: faster): at 5 its copies are within about 2 % of the size of zlib's at 6 (at archive scale:
#: 27.1 MB against 26.5 MB for 735 MB of dumps; 0.8 % larger for the project's own data) in
#: less than half the time (2.9 s against 6.5 s), where they were a quarter of the dumps' time.
GZIP_LEVEL = 5
#: Bytes gathered before a write, where a writer makes many small pieces.
_CHUNK = 1 << 20


def write_sorted_text(kg: KnowledgeGraph, nquads: Path, ntriples: Path) -> dict[str, str]:
    """Write the sorted N-Quads and N-Triples dumps; return the prefixes the statements use.

    The N-Triples dump holds each statement of the union once: its lines are the graph's
    triple count, which ``kg`` remembers (other writers ask for it)."""
    lines = write_sorted_nquads(kg, nquads)
    prefixes, _ = write_union(lines, ntriples, kg)
    return prefixes


def write_sorted_nquads(kg: KnowledgeGraph, nquads: Path) -> list[bytes]:
    """Write the N-Quads dump: the default graph first, then each named graph in the order of
    its name; in each, the lines sorted as bytes. Return the lines of every graph (N-Triples)."""
    store = kg.store
    graphs = sorted(store.named_graphs(), key=lambda g: str(g).encode())
    lines: list[bytes] = []
    with nquads.open("wb") as handle:
        for graph in [ox.DefaultGraph(), *graphs]:
            chunk = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            in_graph = sorted(chunk.splitlines(keepends=True))
            lines += in_graph
            chunk = b"".join(in_graph)
            if not isinstance(graph, ox.DefaultGraph):  # no raw line break inside a line: safe
                chunk = chunk.replace(b" .\n", b" " + str(graph).encode() + b" .\n")
            handle.write(chunk)
    return lines


def write_union(
    lines: list[bytes], ntriples: Path, kg: KnowledgeGraph | None = None
) -> tuple[dict[str, str], int]:
    """Write the N-Triples dump of ``lines`` (every graph's, sorted in place here, each once);
    return the prefixes its IRIs use and how many lines it has. ``kg``, whose quads the lines
    are, remembers what was counted on the way (other writers ask for it): the triples, and
    the statements more than one graph holds."""
    lines.sort()  # runs of sorted lines, merged: much faster than sorting from scratch
    pairs = zip(lines, itertools.islice(lines, 1, None), strict=False)
    distinct = [line for line, after in pairs if line != after] + lines[-1:]
    if kg is not None:
        repeated = [] if len(distinct) == len(lines) else _repeated(lines)
        kg.remember(TRIPLE_COUNT, len(distinct))
        kg.remember(statistics.SORTED_UNION, statistics.sorted_union(distinct, repeated))
    lines.clear()
    with ntriples.open("wb") as handle:
        handle.writelines(distinct)
    return prefixes_in(ntriples.read_bytes()), len(distinct)


def _repeated(lines: list[bytes]) -> list[bytes]:
    """The lines of sorted ``lines`` that stand more than once, once for each extra copy."""
    pairs = zip(lines, itertools.islice(lines, 1, None), strict=False)
    return [line for line, after in pairs if line == after]


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


class DumpFile:
    """A dump being written: the file, its gzip copy, and the SHA-256 of both, in one pass."""

    def __init__(self, path: Path):
        self.plain = checksums.HashingFile(path)
        self.packed = checksums.HashingFile(path.with_name(path.name + ".gz"))
        self._deflate = _gzip_compressor()

    def write(self, data: bytes) -> int:
        self.plain.write(data)
        self.packed.write(self._deflate.compress(data))
        return len(data)

    def flush(self) -> None:
        pass  # pyoxigraph flushes at the end; the files are closed by close()

    def close(self) -> list[tuple[Path, str]]:
        self.packed.write(self._deflate.flush())
        return [(self.plain.path, self.plain.close()), (self.packed.path, self.packed.close())]


def _gzip_compressor() -> zlib_ng._Compress:
    """A deflate stream in a gzip wrapper (``wbits`` 31): a header with no file name and no
    time, so the same input gives the same bytes; zlib-ng keeps the CRC itself."""
    return zlib_ng.compressobj(GZIP_LEVEL, zlib_ng.DEFLATED, 31)


def gzip_copy(path: Path) -> list[tuple[Path, str]]:
    """Hash ``path`` and write its gzip copy (for the dumps written as plain text first)."""
    gz = path.with_name(path.name + ".gz")
    packed = checksums.HashingFile(gz)
    plain = hashlib.sha256()
    deflate = _gzip_compressor()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(_CHUNK), b""):
            plain.update(block)
            packed.write(deflate.compress(block))
    packed.write(deflate.flush())
    return [(path, plain.hexdigest()), (gz, packed.close())]


def write_format(fmt: RdfFormat, out: Path, prefixes: dict[str, str]) -> list[tuple[Path, str]]:
    """Write the dump in ``fmt`` (and its gzip copy) from the sorted N-Quads or N-Triples dump
    already in ``out``; return every file written with its SHA-256."""
    path = out / dump_name(fmt)
    if fmt in (N_QUADS, N_TRIPLES):
        return gzip_copy(path)
    source = out / dump_name(N_QUADS if fmt.named_graphs else N_TRIPLES)
    target = DumpFile(path)
    if fmt is JSON_LD:
        with source.open("rb") as lines:
            _buffered(target.write, lambda write: jsonld.write_ntriples(lines, prefixes, write))
    else:  # text pyoxigraph wrote itself: no need to check every IRI again
        quads = ox.parse(path=str(source), format=source_format(source), lenient=True)
        ox.serialize(quads, output=target, format=fmt.oxigraph, prefixes=prefixes)
    return target.close()


def source_format(path: Path) -> ox.RdfFormat:
    return N_QUADS.oxigraph if path.suffix == "." + N_QUADS.extension else N_TRIPLES.oxigraph


def _buffered(write: Callable[[bytes], object], produce: Callable[[Callable[[bytes], None]], None]) -> None:
    """Run ``produce`` with a ``write`` that gathers small pieces into large writes."""
    pieces: list[bytes] = []
    size = 0

    def gather(piece: bytes) -> None:
        nonlocal size
        pieces.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            write(b"".join(pieces))
            pieces.clear()
            size = 0

    produce(gather)
    if pieces:
        write(b"".join(pieces))


#: What a second process writes meanwhile, where the platform can fork (2 cores: about half
#: the wall time): the gzip copy of the N-Quads as soon as they are written, then, once the
#: N-Triples are written too, these; the first process writes the other formats. The first
#: also sorts the graph meanwhile, so it keeps the smaller share of the formats (at 27,519
#: people: about 11 s of CPU time in the first process, 9 s in the second).
HELPER_FORMATS = ("ntriples", "trig", "jsonld")


def write_dumps(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """Write every dump, its gzip copy and the JSON-LD context into ``out``."""
    written: list[tuple[Path, str]] = []
    with _helper(len(kg)) as helper:
        union = write_sorted_nquads(kg, out / dump_name(N_QUADS))
        jobs = [_start(helper, [N_QUADS.name], out, {})]  # a gzip copy: no prefixes needed
        prefixes, _ = write_union(union, out / dump_name(N_TRIPLES), kg)  # kg remembers counts
        del union
        jobs.append(_start(helper, list(HELPER_FORMATS), out, prefixes))
        mine = [f.name for f in FORMATS if f.name not in HELPER_FORMATS and f is not N_QUADS]
        written += _write_formats(mine, out, prefixes)
        for job in jobs:
            written += job()
    for path, digest in written:
        checksums.record(path, digest)
    context_path = out / CONTEXT_FILE
    context_path.write_bytes(jsonld.dumps({"@context": jsonld.context_for(prefixes)}))
    order = {f: i for i, f in enumerate(FORMATS)}
    paths = sorted((p for p, _ in written), key=lambda p: (order[_format_of(p)], p.name))
    return [*paths, context_path]


@contextmanager
def _helper(quads: int) -> Iterator[ProcessPoolExecutor | None]:
    """A second process (forked: it shares the graph without a copy), or None where the
    platform cannot fork, ``TWENTYFIVE_PARALLEL=off`` or memory forbid (forked.parallel_enabled)."""
    if "fork" not in multiprocessing.get_all_start_methods() or not parallel_enabled(quads):
        yield None
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as helper:
        # forked now, before the sorted lines fill this process: forked later, it would keep
        # its own copy of their pages once they are freed here
        helper.submit(int).result()
        yield helper


def _start(helper: ProcessPoolExecutor | None, names: list[str], out: Path,
           prefixes: dict[str, str]) -> Callable[[], list[tuple[Path, str]]]:
    """Write the formats ``names`` in the helper (meanwhile) or here (now); return a function
    that gives what was written once it is done."""
    if helper is None:
        done = _write_formats(names, out, prefixes)
        return lambda: done
    return helper.submit(_write_formats, names, out, prefixes).result


def _write_formats(names: list[str], out: Path, prefixes: dict[str, str]) -> list[tuple[Path, str]]:
    """``write_format`` for each format named (names: they go to the second process pickled)."""
    return [entry for fmt in FORMATS if fmt.name in names for entry in write_format(fmt, out, prefixes)]


def _format_of(path: Path) -> RdfFormat:
    name = path.name.removesuffix(".gz")
    return next(f for f in FORMATS if dump_name(f) == name)

