"""The store behind queries and the server: one small interface, two backends.

``EmbeddedStore`` holds the built dataset in an in-memory pyoxigraph store (no Java, no
Docker, no database). Queries see the union of the named graphs as their default graph,
as on most public endpoints, unless the request names graphs. The union is a *set*: a
statement that two passages support is one triple, so ``COUNT`` counts things, not
supporting passages. (pyoxigraph's ``use_default_graph_as_union`` would repeat it once per
graph, so the union is materialised into the default graph when the store is opened.)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from twentyfive.formats import N_QUADS
from twentyfive.graph import KnowledgeGraph
from twentyfive.publish.dumps import dump_name

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
    """An in-memory pyoxigraph store, read-only by convention (nothing here updates it)."""

    def __init__(self, store: ox.Store, *, materialise_union: bool = True):
        self._quads = len(store)
        if materialise_union:
            union = {quad.triple for quad in store if not isinstance(quad.graph_name, ox.DefaultGraph)}
            store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in union)
        self._store = store

    @classmethod
    def from_graph(cls, kg: KnowledgeGraph) -> EmbeddedStore:
        """A store over a copy of ``kg``'s quads (the graph itself is left as it is)."""
        store = ox.Store()
        store.extend(kg.store)
        return cls(store)

    @classmethod
    def from_dist(cls, dist_dir: Path) -> EmbeddedStore:
        """Load the N-Quads dump of a build (named graphs kept)."""
        path = dist_dir / dump_name(N_QUADS)
        store = ox.Store()
        store.bulk_load(path=str(path), format=N_QUADS.oxigraph)
        return cls(store)

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
        kwargs: dict[str, object] = {}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph_uris]
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uris]
        return self._store.query(sparql, **kwargs)

    def __len__(self) -> int:
        """The quads of the dataset (the materialised union not counted twice)."""
        return self._quads
