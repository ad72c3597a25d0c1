"""The one table of RDF formats: the build, the CLI, the server and content negotiation use it.

>>> by_name("turtle").media_type
'text/turtle'
>>> by_media_type("application/n-triples; charset=utf-8").extension
'nt'
>>> by_extension("jsonld").name
'jsonld'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    """One serialisation of RDF, and everything each part of the program needs to know about it."""

    name: str
    label: str
    media_type: str
    extension: str
    named_graphs: bool
    oxigraph: ox.RdfFormat
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (text types carry the charset)."""
        if self.media_type.startswith("text/") or self.media_type.endswith("json"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


TURTLE = RdfFormat("turtle", "Turtle", "text/turtle", "ttl", False, ox.RdfFormat.TURTLE, ("ttl",))
JSON_LD = RdfFormat(
    "jsonld", "JSON-LD", "application/ld+json", "jsonld", False, ox.RdfFormat.JSON_LD, ("json-ld",)
)
N_TRIPLES = RdfFormat(
    "ntriples", "N-Triples", "application/n-triples", "nt", False, ox.RdfFormat.N_TRIPLES, ("nt",)
)
RDF_XML = RdfFormat(
    "rdfxml", "RDF/XML", "application/rdf+xml", "rdf", False, ox.RdfFormat.RDF_XML, ("xml", "rdf")
)
N_QUADS = RdfFormat(
    "nquads", "N-Quads", "application/n-quads", "nq", True, ox.RdfFormat.N_QUADS, ("nq",)
)
TRIG = RdfFormat("trig", "TriG", "application/trig", "trig", True, ox.RdfFormat.TRIG)

#: Every format, in the order they are offered (the first is the default).
FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML, N_QUADS, TRIG)
#: Formats for one graph (an entity's document); quad formats are for whole-dataset dumps.
TRIPLE_FORMATS: tuple[RdfFormat, ...] = tuple(f for f in FORMATS if not f.named_graphs)
QUAD_FORMATS: tuple[RdfFormat, ...] = tuple(f for f in FORMATS if f.named_graphs)

#: Media types that mean the same format (older or informal registrations).
_MEDIA_TYPE_ALIASES = {
    "application/x-turtle": TURTLE,
    "application/json": JSON_LD,
    "text/plain": N_TRIPLES,
    "application/xml": RDF_XML,
    "text/xml": RDF_XML,
    "text/x-nquads": N_QUADS,
    "application/x-trig": TRIG,
}


def by_name(name: str) -> RdfFormat:
    """The format called ``name`` (its name, extension or an alias); ``KeyError`` otherwise."""
    key = name.strip().lower()
    for fmt in FORMATS:
        if key in (fmt.name, fmt.extension, *fmt.aliases):
            return fmt
    known = ", ".join(f.name for f in FORMATS)
    raise KeyError(f"unknown RDF format {name!r}; known formats: {known}")


def by_extension(extension: str) -> RdfFormat:
    """The format whose file extension is ``extension`` (with or without the dot)."""
    key = extension.lstrip(".").lower()
    for fmt in FORMATS:
        if fmt.extension == key:
            return fmt
    raise KeyError(f"no RDF format has the extension {extension!r}")


def media_types(fmt: RdfFormat) -> tuple[str, ...]:
    """Every media type that names ``fmt``: the registered one first, then the aliases."""
    return (fmt.media_type, *(alias for alias, f in _MEDIA_TYPE_ALIASES.items() if f is fmt))


def by_media_type(media_type: str) -> RdfFormat:
    """The format of a media type; parameters such as ``charset`` are ignored."""
    key = media_type.split(";", 1)[0].strip().lower()
    for fmt in FORMATS:
        if fmt.media_type == key:
            return fmt
    if key in _MEDIA_TYPE_ALIASES:
        return _MEDIA_TYPE_ALIASES[key]
    raise KeyError(f"no RDF format has the media type {media_type!r}")


@dataclass(frozen=True)
class ResultFormat:
    """A SPARQL query results format."""

    name: str
    media_type: str
    extension: str
    oxigraph: ox.QueryResultsFormat


RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "json", "application/sparql-results+json", "srj", ox.QueryResultsFormat.JSON
    ),
    ResultFormat("xml", "application/sparql-results+xml", "srx", ox.QueryResultsFormat.XML),
    ResultFormat("csv", "text/csv", "csv", ox.QueryResultsFormat.CSV),
    ResultFormat("tsv", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV),
)


def result_format(name: str) -> ResultFormat:
    """The SPARQL results format called ``name`` or with that media type."""
    key = name.split(";", 1)[0].strip().lower()
    for fmt in RESULT_FORMATS:
        if key in (fmt.name, fmt.media_type, fmt.extension):
            return fmt
    known = ", ".join(f.name for f in RESULT_FORMATS)
    raise KeyError(f"unknown SPARQL results format {name!r}; known formats: {known}")
