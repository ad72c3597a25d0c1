"""SELECT results read as TSV text: the cheap way to read many rows from pyoxigraph.

pyoxigraph writes all rows at once and Python splits them in C: much cheaper than a term
object per value at archive scale. Each term is as SPARQL's TSV writes it: IRIs in ``<>``,
literals quoted with N-Triples escapes and a ``@language`` or ``^^<datatype>`` tail, numbers
and booleans bare, blank nodes ``_:…``. (Not CSV: pyoxigraph leaves IRIs with commas unquoted
there.)
"""

from __future__ import annotations

import json

import pyoxigraph as ox


def lines(store: ox.Store, query: str, *, union: bool = False) -> list[str]:
    """The rows of a SELECT, one TSV line each (terms separated by tabs); ``union`` reads
    the default graph as the union of the named graphs."""
    text = store.query(query, use_default_graph_as_union=union).serialize(
        format=ox.QueryResultsFormat.TSV
    )
    return text.decode("utf-8").split("\n")[1:-1]  # the header, and the last row's newline


def is_iri(term: str) -> bool:
    return term[:1] == "<" and term[:2] != "<<"  # ``<<( … )>>`` is a triple term


def text(term: str) -> tuple[str, str]:
    """The lexical form and language of a literal (the IRI of an IRI)."""
    if term[:1] == "<":
        return term[1:-1], ""
    if term[:1] != '"':
        return term, ""  # a number or a boolean, written bare
    end = term.rindex('"')
    quoted, tail = term[: end + 1], term[end + 1 :]
    # TSV escapes \t \n \r \" \\ as N-Triples and JSON do; other control characters stay raw
    lexical = json.loads(quoted, strict=False) if "\\" in quoted else quoted[1:-1]
    return lexical, tail[1:] if tail[:1] == "@" else ""
