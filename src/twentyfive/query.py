"""``twentyfive query``: SPARQL over the built graph in an embedded pyoxigraph store."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pyoxigraph as ox

from twentyfive import formats
from twentyfive.namespaces import PREFIXES
from twentyfive.project import Project
from twentyfive.publish.dumps import dump_name
from twentyfive.graph import triple_sort_key
from twentyfive.publish.jsonld import compact_iri, dumps, to_jsonld, used_prefixes
from twentyfive.store import EmbeddedStore, QueryResult


class QueryFailed(Exception):
    """The query cannot be run; the message says where and why."""


def open_store(project: Project, notice: Callable[[str], None] = lambda _: None) -> EmbeddedStore:
    """The built dataset, or (when nothing is built yet) the graph assembled in memory."""
    if (project.dist_dir / dump_name(formats.N_QUADS)).is_file():
        return EmbeddedStore.from_dist(project.dist_dir, notice)
    from twentyfive.pipeline import load

    notice(f"{project.dist_dir} has no build yet: querying data/ as read (not validated); "
           "run 'twentyfive build' to publish it")
    return EmbeddedStore.from_graph(load(project).kg)


def execute(store: EmbeddedStore, text: str) -> QueryResult:
    """Run ``text``; a syntax error becomes :class:`QueryFailed` with line, column and a caret."""
    try:
        return store.query(text)
    except SyntaxError as error:
        raise QueryFailed(describe_syntax_error(text, str(error))) from None
    except OSError as error:  # pyoxigraph reports evaluation errors (e.g. SERVICE) as OSError
        raise QueryFailed(str(error)) from None


def describe_syntax_error(text: str, message: str) -> str:
    """``syntax error at line 3, column 7: expected …`` with the line and a caret under it."""
    match = re.search(r"(\d+):(\d+)", message)
    if not match:
        return f"the query has a syntax error: {message}"
    line, column = int(match.group(1)), int(match.group(2))
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    detail = message.split(": ", 1)[-1]
    return (
        f"syntax error in the query at line {line}, column {column}: {detail}\n"
        f"    {shown}\n    {' ' * max(column - 1, 0)}^"
    )


def run_query(
    project: Project, text: str, fmt: str | None, notice: Callable[[str], None] = lambda _: None
) -> bytes:
    """Run the query and render the result in ``fmt`` (see ``twentyfive query --help``)."""
    result = execute(open_store(project, notice), text)
    return render(result, fmt)


def render(result: QueryResult, fmt: str | None) -> bytes:
    if isinstance(result, ox.QueryTriples):
        rdf = formats.by_name(fmt or "turtle") if fmt != "table" else formats.TURTLE
        triples = sorted(set(result), key=triple_sort_key)
        if rdf.named_graphs:
            raise QueryFailed(f"{rdf.label} is for datasets; CONSTRUCT gives a graph: use turtle")
        if rdf is formats.JSON_LD:
            return dumps(to_jsonld(triples))
        prefixes = used_prefixes(triples) if rdf.oxigraph != ox.RdfFormat.N_TRIPLES else None
        return ox.serialize(triples, format=rdf.oxigraph, prefixes=prefixes)
    if isinstance(result, ox.QueryBoolean):
        if fmt in (None, "table"):
            return b"true\n" if bool(result) else b"false\n"
        return _serialize_results(result, fmt)
    if fmt in (None, "table"):
        return table(result).encode("utf-8")
    return _serialize_results(result, fmt)


def _serialize_results(result: QueryResult, fmt: str) -> bytes:
    try:
        results_format = formats.result_format(fmt)
    except KeyError as error:
        raise QueryFailed(str(error.args[0])) from None
    buffer = io.BytesIO()
    result.serialize(buffer, results_format.oxigraph)
    return buffer.getvalue()


def table(solutions: ox.QuerySolutions) -> str:
    """A plain-text table; IRIs shortened with the project's prefixes."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[name]) for name in names] for row in solutions]
    return text_table(names, rows)


def text_table(names: list[str], rows: list[list[str]]) -> str:
    """Rows of text cells as a bordered plain-text table, with a row count."""
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [rule, "| " + " | ".join(n.ljust(w) for n, w in zip(names, widths)) + " |", rule]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    out += [rule, f"{len(rows)} row{'s' if len(rows) != 1 else ''}"]
    return "\n".join(out) + "\n"


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value, PREFIXES)
    if isinstance(term, ox.Literal):
        text = term.value.replace("\n", " ")
        return text if len(text) <= 80 else text[:77] + "..."
    return str(term)
