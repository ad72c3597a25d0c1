"""The one in-memory representation that passes between the stages.

A :class:`KnowledgeGraph` is an in-memory pyoxigraph store of quads (fast to query and to
serialise at archive scale), plus where each entity was written (file and line) so that
every error can point a curator at the place to fix. ``to_rdflib()`` gives the rdflib view
for users and for pyshacl.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib



@dataclass(frozen=True)
class Origin:
    """Where a thing is written: a file, and the line on which it first stands as subject."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class InputFile:
    """One file that went into the graph, with its checksum (for provenance and rebuilds)."""

    path: Path
    sha256: str
    role: str  # "ontology", "data", "source", "roster", "shapes", "query"


#: The name under which :meth:`KnowledgeGraph.triple_count` is remembered.
TRIPLE_COUNT = "triple count"


@dataclass
class KnowledgeGraph:
    """The dataset: quads in named graphs, and the origin of each entity."""

    store: ox.Store = field(default_factory=ox.Store)
    origins: dict[str, Origin] = field(default_factory=dict)
    inputs: list[InputFile] = field(default_factory=list)
    #: what a writer found out while going through the whole graph anyway, by name, with the
    #: number of quads then: see :meth:`remember`
    _found: dict[str, tuple[int, object]] = field(default_factory=dict, repr=False, compare=False)
    #: the number of quads while the graph is only read (:meth:`unchanging`), else None
    _quads_while_unchanging: int | None = field(default=None, repr=False, compare=False)

    # --- reading ---------------------------------------------------------------------------

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self.store.extend(quads)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (of one named graph when ``graph`` is given)."""
        graph_node = ox.NamedNode(graph) if graph else None
        return iter(self.store.quads_for_pattern(None, None, None, graph_node))

    def triple_count(self) -> int:
        """Distinct statements in the union of the graphs (one supported twice counts once).

        Counted by SPARQL (in Rust) and remembered while the number of quads stays the same:
        several writers ask, and at a million quads each count takes seconds (the dumps, which
        find the distinct statements anyway, remember the count as ``TRIPLE_COUNT``)."""
        counted = self.remembered(TRIPLE_COUNT)
        if isinstance(counted, int):
            return counted
        query = (
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {"
            " { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }"
        )
        rows = self.store.query(query, use_default_graph_as_union=False)
        triples = int(next(iter(rows))[0].value)
        self.remember(TRIPLE_COUNT, triples)
        return triples

    def remember(self, name: str, value: object) -> None:
        """``value`` was found out about the graph as it is now (by a writer that went through
        all of it anyway), for whoever asks for ``name`` later."""
        self._found[name] = (len(self), value)

    def remembered(self, name: str) -> object | None:
        """What was remembered as ``name``; None if nothing was, or if it was for another
        graph (another number of quads)."""
        found = self._found.get(name)
        return found[1] if found is not None and found[0] == len(self) else None

    @contextmanager
    def unchanging(self) -> Iterator[None]:
        """While this lasts, the graph is only read (the publish stage): its number of quads is
        counted once, not at each ``len`` — pyoxigraph counts a store by going through every quad
        (0.1 s a million, and a build asks a dozen times). Checked when it ends: a change
        meanwhile raises ``RuntimeError`` (what was remembered about the graph may be stale)."""
        if self._quads_while_unchanging is not None:  # already: the outer one counts and checks
            yield
            return
        counted = self._quads_while_unchanging = len(self.store)
        try:
            yield
        finally:
            self._quads_while_unchanging = None
        if len(self.store) != counted:
            raise RuntimeError(f"the graph changed while it was only to be read: {counted} quads "
                               f"before, {len(self.store)} after")

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        counted = self._quads_while_unchanging
        return len(self.store) if counted is None else counted

    def query(self, sparql: str, **kwargs: object) -> object:
        """SPARQL over the union of all named graphs (the view users query)."""
        kwargs.setdefault("use_default_graph_as_union", True)
        return self.store.query(sparql, **kwargs)

    # --- other views -----------------------------------------------------------------------

    def to_rdflib(self, graphs: Iterable[str] | None = None) -> rdflib.Graph:
        """The union of the named graphs (or of ``graphs``) as an rdflib ``Graph``."""
        wanted = None if graphs is None else {ox.NamedNode(g) for g in graphs}
        result = rdflib.Graph()
        for quad in self.store:
            if wanted is None or quad.graph_name in wanted:
                result.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return result

    def to_rdflib_dataset(self) -> rdflib.Dataset:
        """Every named graph kept, as an rdflib ``Dataset``."""
        dataset = rdflib.Dataset()
        for quad in self.store:
            context = dataset.graph(to_rdflib(quad.graph_name))
            context.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return dataset

    def origin(self, iri: str) -> Origin | None:
        """Where ``iri`` (or the entity it is a part of) is written."""
        if iri in self.origins:
            return self.origins[iri]
        return self.origins.get(iri.split("#", 1)[0])


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"



def to_rdflib(term: object) -> rdflib.term.Node:
    """One pyoxigraph term as the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return rdflib.URIRef("urn:x-rdflib:default")
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib(term: rdflib.term.Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """One rdflib term as the equal pyoxigraph term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def _term_key(term: object) -> tuple[int, str, str]:
    if isinstance(term, ox.NamedNode):
        return (0, term.value, "")
    if isinstance(term, ox.BlankNode):
        return (1, term.value, "")
    if isinstance(term, ox.Literal):
        return (2, term.value, term.language or term.datatype.value)
    return (3, "", "")  # the default graph


def triple_sort_key(triple: ox.Triple) -> tuple:
    predicate = triple.predicate.value
    # rdf:type first in each subject, as people expect to read it
    rank = 0 if predicate == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" else 1
    return (_term_key(triple.subject), rank, predicate, _term_key(triple.object))


def quad_sort_key(quad: ox.Quad) -> tuple:
    return (_term_key(quad.graph_name), *triple_sort_key(quad.triple))
