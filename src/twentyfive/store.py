"""The store behind queries and the server: one small interface, two backends.

``EmbeddedStore`` holds the built dataset in an embedded pyoxigraph store (no Java, no
Docker, no database server): a build's store on disk, opened read-only
(:mod:`twentyfive.store_disk`), or a store in memory. Queries see the union of the named
graphs as their default graph, as on most public endpoints, unless the request names graphs.
The union is a *set*: a statement that two passages support is one triple, so ``COUNT`` counts
things, not supporting passages. (pyoxigraph's ``use_default_graph_as_union`` would repeat it
once per graph, so the union is in the default graph: the build's N-Triples dump, or computed
when a store is made from a graph.)
``RemoteStore`` asks a SPARQL 1.1 endpoint over HTTP instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from twentyfive.formats import N_QUADS, N_TRIPLES, by_media_type, result_format
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import PREFIXES
from twentyfive.publish.dumps import dump_name
from twentyfive.store_disk import kept_subjects, prepare, quads_built

if TYPE_CHECKING:  # httpx is imported only when a remote store is used
    from twentyfive.sparql_http import SparqlClient

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class GraphStore(Protocol):
    """What the CLI and the server need from a store."""

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult: ...

    def __len__(self) -> int: ...


class EmbeddedStore:
    """A pyoxigraph store of the dataset, read-only (nothing here updates it; a store of a
    build on disk is opened read-only, so nothing can)."""

    def __init__(self, store: ox.Store, *, materialise_union: bool = True, quads: int | None = None,
                 folder: Path | None = None):
        self._quads = len(store) if quads is None else quads
        self.folder = folder  # where the store is on disk (None: in memory)
        if materialise_union:  # a set: a statement in several graphs is there once
            # one update, evaluated in Rust: a third of the time of a Python set of triples
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        self._store = store

    @classmethod
    def from_graph(cls, kg: KnowledgeGraph) -> EmbeddedStore:
        """A store over a copy of ``kg``'s quads (the graph itself is left as it is)."""
        store = ox.Store()
        store.extend(kg.store)
        return cls(store)

    @classmethod
    def from_dist(cls, dist_dir: Path, notice: Callable[[str], None] = lambda _: None,
                  on_disk_from_quads: int | None = None) -> EmbeddedStore:
        """The dataset of a build: its store on disk, opened read-only (made by the first caller
        after the build: :mod:`twentyfive.store_disk`), else its dumps loaded into memory (a
        small build, or no cache)."""
        quads = quads_built(dist_dir) or None
        folder = prepare(dist_dir, notice, on_disk_from_quads)
        if folder is not None:
            return cls(ox.Store.read_only(str(folder)), materialise_union=False, quads=quads, folder=folder)
        store = ox.Store()  # the build's own dumps, written by pyoxigraph: no IRI to check again
        store.load(path=str(dist_dir / dump_name(N_QUADS)), format=N_QUADS.oxigraph, lenient=True)
        quads = len(store) if quads is None else quads
        union = dist_dir / dump_name(N_TRIPLES)  # the union of the graphs, each statement once
        if union.is_file():  # loaded as it is: faster than the update that computes it
            store.load(path=str(union), format=N_TRIPLES.oxigraph, lenient=True)
        return cls(store, materialise_union=not union.is_file(), quads=quads)

    def subject_lines(self) -> list[bytes] | None:
        """The distinct subjects of the build, sorted, one ``<iri>`` a line, where a store on
        disk keeps them beside it (:data:`twentyfive.store_disk.SUBJECTS_FILE`); else None."""
        kept = None if self.folder is None else kept_subjects(self.folder)
        return None if kept is None else kept.split(b"\n")

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult:
        # our prefix table is predefined (as on Virtuoso or Wikidata); PREFIX lines override it
        kwargs: dict[str, object] = {"prefixes": PREFIXES}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph_uris]
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uris]
        return self._store.query(sparql, **kwargs)

    def __len__(self) -> int:
        """The quads of the dataset (the union in the default graph not counted twice)."""
        return self._quads



#: What a remote endpoint may answer with, best first: results for SELECT/ASK, a graph otherwise.
_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7"
)


class RemoteStore:
    """A remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, QLever, Virtuoso …).

    Queries go over the SPARQL 1.1 Protocol; answers are parsed with pyoxigraph, so callers
    get the same result objects as from :class:`EmbeddedStore`. When a query names no
    graphs, ``default_graph_uris`` (if given) become its default graph: pass the graphs that
    ``twentyfive load`` put there (``twentyfive.load.live_graphs``) to query their union on a
    store whose default graph is not the union (they are then its named graphs too). The
    Oxigraph server then repeats a statement once per graph that holds it (measured: 2,557
    solutions for 2,378 distinct triples of our build), unlike ``EmbeddedStore``'s set union:
    count with ``DISTINCT`` there.
    """

    def __init__(self, client: SparqlClient, default_graph_uris: Sequence[str] | None = None):
        self._client = client
        self._default_graph_uris = list(default_graph_uris or [])

    @property
    def client(self) -> SparqlClient:
        return self._client

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult:
        if not default_graph_uris and not named_graph_uris:
            default_graph_uris = named_graph_uris = self._default_graph_uris
        return self.ask(sparql, default_graph_uris, named_graph_uris)

    def ask(
        self,
        sparql: str,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
    ) -> QueryResult:
        """The query over exactly the dataset given (none: the endpoint's own default)."""
        response = self._client.query(
            sparql,
            _ACCEPT,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
        )
        media_type = response.headers.get("content-type", "")
        try:
            return ox.parse_query_results(response.content, result_format(media_type).oxigraph)
        except KeyError:
            pass
        try:
            rdf = by_media_type(media_type)
        except KeyError:
            from twentyfive.sparql_http import StoreError

            raise StoreError(f"the endpoint answered with {media_type or 'no media type'}, "
                             "neither SPARQL results nor RDF") from None
        # a graph: hand it back as pyoxigraph's own result type, like the embedded store
        answer = ox.Store()
        answer.load(response.content, format=rdf.oxigraph)
        return answer.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def __len__(self) -> int:
        """The number of quads in named graphs (the default graph may be a union view)."""
        solutions = self.ask("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", None, None)
        return int(next(iter(solutions))["n"].value)
