"""``twentyfive load``: push the built dataset into a remote triple store, never half-loaded.

Any store that speaks the SPARQL 1.1 Graph Store HTTP Protocol and SPARQL 1.1 Update will do.
A load runs in phases, and a failure in any phase before the switch leaves the live graphs
exactly as they were:

1. **plan** — read ``dist/twentyfive.nq`` (and the description ``dist/void.nt`` into
   ``…/graph/description``); each named graph of the build becomes a live graph
   of the store (or, with ``into``, the union of them becomes one), with its triple count and
   fingerprint; read the registry of what earlier loads put there.
2. **stage** — upload each graph with a ``PUT`` into its own staging graph
   ``urn:twentyfive:staging:<run>:<n>`` (streamed N-Triples).
3. **verify** — one query reads back every staging graph's triple count and fingerprint (a
   sum over the triples of a number taken from the SHA-1 of each, computed in SPARQL by the
   store and in Python here); any difference stops the load.
4. **switch** — ONE SPARQL Update request moves every staging graph onto its live graph,
   drops the graphs an earlier load made that the build no longer has, and rewrites the
   registry graph ``urn:twentyfive:registry``. A store that runs an update request as one
   transaction (Oxigraph, Fuseki/TDB2, GraphDB) shows readers the old dataset or the new one,
   never a mix.

Staging graphs left by a run that died are dropped by the next one; running the same load
again gives the same live graphs (idempotent).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from twentyfive.formats import N_QUADS, N_TRIPLES
from twentyfive.namespaces import DATASET_IRI, GRAPH_DESCRIPTION, PREFIXES
from twentyfive.publish.description import DESCRIPTION_STEM
from twentyfive.publish.dumps import dump_name
from twentyfive.sparql_http import SparqlClient, StoreError
from twentyfive.store import RemoteStore

REGISTRY = "urn:twentyfive:registry"
STAGING = "urn:twentyfive:staging:"
_CHUNK = 10_000  # triples serialised at a time while streaming an upload
_DCT, _VOID, _XSD = PREFIXES["dcterms"], PREFIXES["void"], PREFIXES["xsd"]

#: Called between phases with (phase, graphs done): "staged" after each upload, then
#: "verified", "switched". Tests use it to stop a store at a known point.
Hook = Callable[[str, int], None]


class LoadError(Exception):
    """The load did not happen; the message says what is live now and what to do.

    ``store`` is true when the store failed (unreachable, refused), false for bad input."""

    def __init__(self, message: str, store: bool = False):
        super().__init__(message)
        self.store = store


@dataclass
class GraphLoad:
    """One live graph of the store, and what goes into it."""

    live: str
    staging: str
    triples: list[ox.Triple] = field(repr=False)  # exactly as in the dump
    fingerprint: int = 0
    #: (triples, fingerprint) a store may hold for them: the dump's literals as written, or in
    #: Oxigraph's canonical form (``"+01"^^xsd:int`` is stored as ``"1"^^xsd:integer``).
    accepted: frozenset[tuple[int, int]] = frozenset()

    @property
    def size(self) -> int:
        return len(self.triples)

    def measured(self) -> None:
        """Compute the fingerprint, and the count and fingerprint of the canonical form."""
        self.fingerprint = fingerprint(self.triples)
        canonical = ox.Store()
        canonical.extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.triples)
        canon = [q.triple for q in canonical]
        self.accepted = frozenset({(self.size, self.fingerprint), (len(canon), fingerprint(canon))})


@dataclass
class LoadReport:
    loaded: list[GraphLoad]  # every graph now live as in the build
    changed: list[GraphLoad]  # the ones this run uploaded and switched
    dropped: list[str]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(g.size for g in self.loaded)


# --- fingerprints: the same number computed here and by the store --------------------------

#: A number per triple, from the SHA-1 of its terms (blank nodes as "_:", since stores
#: rename them): the first 8 decimal digits of the hex digest.
_TRIPLE_NUMBER = """
  BIND(CONCAT(IF(isBlank(?s), "_:", STR(?s)), " ", STR(?p), " ",
              IF(isBlank(?o), "_:", STR(?o)), " ",
              IF(isLiteral(?o), CONCAT(LCASE(LANG(?o)), " ", STR(DATATYPE(?o))), "")) AS ?key)
  BIND(<http://www.w3.org/2001/XMLSchema#integer>(
         CONCAT("0", SUBSTR(REPLACE(SHA1(?key), "[a-f]", ""), 1, 8))) AS ?h)
"""


_NO_HEX_LETTERS = str.maketrans("", "", "abcdef")


def triple_number(triple: ox.Triple) -> int:
    """The number that the query above computes for ``triple``."""
    s, p, o = triple.subject, triple.predicate, triple.object
    key = f"{'_:' if isinstance(s, ox.BlankNode) else s.value} {p.value} "
    key += "_:" if isinstance(o, ox.BlankNode) else o.value
    key += f" {(o.language or '').lower()} {o.datatype.value}" if isinstance(o, ox.Literal) else " "
    digits = hashlib.sha1(key.encode("utf-8")).hexdigest().translate(_NO_HEX_LETTERS)[:8]
    return int("0" + digits)


def fingerprint(triples: Sequence[ox.Triple]) -> int:
    return sum(triple_number(t) for t in triples)


def measure(
    store: RemoteStore, graphs: Sequence[str], fingerprints: bool = True
) -> dict[str, tuple[int, int]]:
    """(triples, fingerprint) of each of ``graphs`` in the store, in one query (the
    fingerprint is 0 when not asked for: counting alone is much cheaper)."""
    if not graphs:
        return {}
    values = " ".join(str(ox.NamedNode(g)) for g in graphs)
    number, total = (_TRIPLE_NUMBER, "(SUM(?h) AS ?f)") if fingerprints else ("", "")
    sparql = (
        f"SELECT ?g (COUNT(*) AS ?n) {total} WHERE {{ VALUES ?g {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} {number} }} GROUP BY ?g"
    )
    found = {}
    for row in store.ask(sparql, None, None):
        found[row["g"].value] = (int(row["n"].value), int(row["f"].value) if fingerprints else 0)
    return found


# --- plan ----------------------------------------------------------------------------------


def read_build(dist: Path) -> dict[str, list[ox.Triple]]:
    """The triples of each graph of the N-Quads dump, literals exactly as written (a store
    would normalise them), and the dataset's description (``void.nt``, not in the dumps) in
    its graph ``…/graph/description``, as the publish stage asks of a store."""
    path = dist / dump_name(N_QUADS)
    if not path.is_file():
        raise LoadError(f"no build at {path}: run 'twentyfive build' first (or pass --dist)")
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(path), format=N_QUADS.oxigraph):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise LoadError(f"{path} has triples outside any named graph, which twentyfive "
                            "never writes: rebuild it with 'twentyfive build'")  # fmt: skip
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    description = dist / f"{DESCRIPTION_STEM}.{N_TRIPLES.extension}"
    if description.is_file() and GRAPH_DESCRIPTION not in graphs:
        graphs[GRAPH_DESCRIPTION] = list(ox.parse(path=str(description), format=N_TRIPLES.oxigraph))
    return graphs


def plan(
    dataset: dict[str, list[ox.Triple]],
    run: str,
    graphs: Sequence[str] = (),
    into: str | None = None,
) -> list[GraphLoad]:
    """What goes where: each named graph of the build (or only ``graphs``) onto the live graph
    of the same name, or the union of them onto ``into``."""
    names = sorted(dataset)
    if graphs:
        unknown = sorted(set(graphs) - set(names))
        if unknown:
            raise LoadError(
                f"the build has no graph {unknown[0]}; it has {len(names)} graphs, e.g. "
                + ", ".join(names[:3])
            )
        names = sorted(set(graphs))
    for iri in [*names, *([into] if into else [])]:
        _check_iri(iri)
    if into:
        union = list(dict.fromkeys(t for name in names for t in dataset[name]))
        loads = [GraphLoad(into, f"{STAGING}{run}:0", union)]
    else:
        loads = [
            GraphLoad(name, f"{STAGING}{run}:{i}", dataset[name]) for i, name in enumerate(names)
        ]
    for load in loads:
        load.measured()
    return loads


def _check_iri(iri: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise LoadError(f"{iri!r} is not an IRI: {error}") from None
    if iri.startswith((STAGING, REGISTRY)):
        raise LoadError(f"{iri} is a graph name that twentyfive keeps for itself: choose another")


def live_graphs(store: RemoteStore) -> list[str]:
    """The graphs that earlier loads put into the store, from its registry graph."""
    sparql = f"SELECT ?g WHERE {{ GRAPH <{REGISTRY}> {{ ?g <{_DCT}isPartOf> <{REGISTRY}> }} }}"
    return sorted(row["g"].value for row in store.ask(sparql, None, None))


def leftover_staging(store: RemoteStore) -> list[str]:
    sparql = (
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
    )
    return sorted(row["g"].value for row in store.ask(sparql, None, None))


# --- stage, verify, switch -----------------------------------------------------------------


def ntriples(
    triples: list[ox.Triple], sent: Callable[[int], None] = lambda n: None
) -> Callable[[], Iterator[bytes]]:
    """A streamed N-Triples body (a new stream on each call, for retries); ``sent(n)`` is
    told after each chunk of ``n`` triples has gone."""

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(triples), _CHUNK):
            part = triples[start : start + _CHUNK]
            yield ox.serialize(part, format=N_TRIPLES.oxigraph)
            sent(len(part))

    return chunks


class Progress:
    """Upload progress: a line every ``every`` seconds and at the end of each tenth of graphs."""

    def __init__(self, say: Callable[[str], None], graphs: int, triples: int, every: float = 2.0):
        self.say, self.graphs, self.triples, self.every = say, graphs, triples, every
        self.done_graphs = self.done_triples = self.finished = 0
        self.last = time.perf_counter()

    def chunk(self, triples: int) -> None:
        self.done_triples += triples
        if time.perf_counter() - self.last >= self.every:
            self._line()

    def graph(self, size: int) -> None:
        self.done_graphs += 1
        self.finished += size
        self.done_triples = self.finished  # exact again, even after a retried upload
        if self.done_graphs == self.graphs or self.done_graphs % max(1, self.graphs // 10) == 0:
            self._line()

    def _line(self) -> None:
        self.last = time.perf_counter()
        self.say(f"staged {self.done_graphs}/{self.graphs} graphs, "
                 f"{self.done_triples:,}/{self.triples:,} triples")  # fmt: skip


def switch_request(
    changed: Sequence[GraphLoad],
    loads: Sequence[GraphLoad],
    stale: Sequence[str],
    whole_build: bool,
) -> str:
    """The ONE update that makes the staged (``changed``) graphs live, drops stale ones and
    records every graph of ``loads`` as ours."""
    ops = []
    for load in changed:
        ops.append(f"DROP SILENT GRAPH <{load.live}>")
        ops.append(f"MOVE <{load.staging}> TO <{load.live}>")
    ops += [f"DROP SILENT GRAPH <{g}>" for g in stale]
    if whole_build:
        ops.append(f"DROP SILENT GRAPH <{REGISTRY}>")
    else:  # a partial load keeps the registry's other entries
        forget = " ".join(f"<{g}>" for g in [*(load.live for load in loads), *stale])
        ops.append(
            f"DELETE {{ GRAPH <{REGISTRY}> {{ ?g ?p ?o }} }} WHERE {{ VALUES ?g {{ {forget} }} "
            f"GRAPH <{REGISTRY}> {{ ?g ?p ?o }} }}"
        )
        ops.append(
            f"DELETE WHERE {{ GRAPH <{REGISTRY}> {{ <{REGISTRY}> <{_DCT}modified> ?when }} }}"
        )
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    facts = [
        f'<{REGISTRY}> <{_DCT}modified> "{now}"^^<{_XSD}dateTime> ; '
        f"<{_DCT}source> <{DATASET_IRI}> ."
    ]
    for load in loads:
        facts.append(
            f"<{load.live}> <{_DCT}isPartOf> <{REGISTRY}> ; <{_VOID}triples> {load.size} ; "
            f'<{_DCT}identifier> "fingerprint:{load.fingerprint}" .'
        )
    ops.append(f"INSERT DATA {{ GRAPH <{REGISTRY}> {{\n  " + "\n  ".join(facts) + "\n} }")
    return " ;\n".join(ops)


def load_build(
    dist: Path,
    client: SparqlClient,
    *,
    graphs: Sequence[str] = (),
    into: str | None = None,
    fingerprints: bool = True,
    progress: Callable[[str], None] = lambda _: None,
    hook: Hook = lambda phase, done: None,
) -> LoadReport:
    """Load the build in ``dist`` into the store behind ``client``; see the module's phases.

    A live graph that already holds exactly the build's triples (same count and fingerprint,
    measured in the store) is neither uploaded nor moved. Without ``fingerprints`` (for stores
    that rewrite literals) only counts are compared and every graph is uploaded."""
    started = time.perf_counter()
    store = RemoteStore(client)
    loads = plan(read_build(dist), secrets.token_hex(6), graphs, into)
    try:
        owned = live_graphs(store)
        for leftover in leftover_staging(store):  # from a run that died
            client.update(f"DROP SILENT GRAPH <{leftover}>", repeatable=True)
        current = measure(store, [load.live for load in loads]) if fingerprints else {}
    except StoreError as error:
        raise LoadError(
            f"{error}\nnothing was loaded; the store is unchanged", store=True
        ) from None
    changed = [load for load in loads if current.get(load.live) not in load.accepted]
    stale = [g for g in owned if g not in {load.live for load in loads}] if not graphs else []
    total = sum(load.size for load in changed)
    progress(
        f"{len(loads) - len(changed)} of {len(loads)} graph(s) already up to date; loading "
        f"{total:,} triples in {len(changed)} graph(s) into {client.endpoints.gsp}"
    )
    switched = False
    try:
        uploads = Progress(progress, len(changed), total)
        for done, load in enumerate(changed, 1):
            body = ntriples(load.triples, uploads.chunk)
            client.put_graph(load.staging, body, N_TRIPLES.media_type)
            uploads.graph(load.size)
            hook("staged", done)
        _verify(store, changed, "staging", fingerprints)
        hook("verified", len(changed))
        try:
            client.update(switch_request(changed, loads, stale, not graphs), repeatable=False)
        except StoreError as error:
            if error.sent:
                raise LoadError(
                    f"{error}\nthe switch to the new graphs was sent but did not finish: "
                    "a store that runs an update as one transaction kept the old or "
                    "made the new graphs live, not a mix; run the same load again "
                    "to be sure",
                    store=True,
                ) from None
            raise
        switched = True
        hook("switched", len(changed))
        _verify(store, changed, "live", fingerprints=False)
    except StoreError as error:
        if switched:
            raise LoadError(
                f"{error}\nthe new graphs are live, but reading them back failed", store=True
            ) from None
        _drop_quietly(client, [load.staging for load in changed])
        raise LoadError(
            f"{error}\nnothing was switched: the live graphs are as before (staging "
            "graphs left behind are dropped by the next run); run the same load "
            "again when the store is back",
            store=True,
        ) from None
    progress(
        f"dropped {len(stale)} graph(s) no longer in the build" if stale else "no stale graphs"
    )
    return LoadReport(loads, changed, stale, time.perf_counter() - started)


def _verify(
    store: RemoteStore, loads: Sequence[GraphLoad], which: str, fingerprints: bool = True
) -> None:
    names = [getattr(load, which) for load in loads]
    found = measure(store, names, fingerprints)
    for load, name in zip(loads, names, strict=True):
        got = found.get(name, (0, 0))
        accepted = load.accepted if fingerprints else {(n, 0) for n, _ in load.accepted}
        if got not in accepted:
            expected = " or ".join(
                f"{n} with {f if fingerprints else '-'}" for n, f in sorted(accepted)
            )
            raise StoreError(
                f"the {which} graph {name} (for {load.live}) holds {got[0]} triples with "
                f"fingerprint {got[1] if fingerprints else '-'}, but the build has {expected}: "
                "the store changed or rejected some triples (a store that rewrites literals "
                "other than Oxigraph does makes fingerprints differ: try --verify count)"
            )


def _drop_quietly(client: SparqlClient, graphs: Sequence[str]) -> None:
    """Best effort: the store may be gone; the next run drops what is left."""
    if not graphs:
        return
    previous, client.retries = client.retries, 0
    try:
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs), repeatable=True)
    except StoreError:
        pass
    finally:
        client.retries = previous
