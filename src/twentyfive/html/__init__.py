"""HTML pages: entity documents, the home page, the query page, errors (the ontology's page
is :mod:`twentyfive.publish.ontology`).

Jinja2 with autoescape on for every template: every label and literal is escaped, and the
embedded JSON-LD has ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so no data can close
the ``<script>`` element. Pages need no JavaScript. Links to our own IRIs are written as
root-relative paths (``/id/…``), so a deployment on any host links to itself.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import jinja2
import pyoxigraph as ox
from markupsafe import Markup, escape

from twentyfive import __version__
from twentyfive.documents import LICENSE, VALUES_PAGE, EntityDocument, incoming_query, values_query
from twentyfive.html.words import WORDS
from twentyfive.namespaces import BASE, PREFIXES
from twentyfive.negotiation import DOCUMENT_VARIANTS, LANGUAGES, language_link
from twentyfive.publish import jsonld

DATASET_TITLE = {"en": "The Twenty-five-thousanders", "ru": "Двадцатипятитысячники"}


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment (autoescape on, undefined names are errors; ``show`` for
    cells)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("twentyfive.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["show"] = show
    return env


@dataclass(frozen=True)
class Cell:
    """A term as shown: text, an optional link, an optional small note (language, datatype)."""

    text: str
    href: str | None = None
    note: str | None = None
    language: str | None = None


def show(cell: Cell) -> Markup:
    """A cell in a page: a link, else the text in its language, else the text; then its note.
    Every part escaped. (A Python function, not a template macro: a hub's page shows a few
    thousand cells, and a macro call costs ten times as much.)"""
    if cell.href:
        shown = f'<a href="{escape(cell.href)}">{escape(cell.text)}</a>'
    elif cell.language:
        shown = f'<span lang="{escape(cell.language)}">{escape(cell.text)}</span>'
    else:
        shown = str(escape(cell.text))
    if cell.note:
        shown += f' <span class="note">{escape(cell.note)}</span>'
    return Markup(shown)


def href(iri: str) -> str | None:
    """Where a link to ``iri`` points: our IRIs by path, other http(s) IRIs as they are;
    nothing else is a link (no ``javascript:`` from data)."""
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def quote_plain(text: str) -> str:
    """``text`` for a query string (every reserved character escaped)."""
    return quote(text, safe="")


@functools.lru_cache(maxsize=1 << 16)
def compact(iri: str) -> str:
    return jsonld.compact_iri(iri, PREFIXES)


def cell(term: object, labels: dict[str, dict[str, str]], language: str) -> Cell:
    if isinstance(term, ox.NamedNode):
        names = labels.get(term.value, {})
        text = names.get(language) or names.get("en") or compact(term.value)
        return Cell(
            text, href(term.value), None if text == compact(term.value) else compact(term.value)
        )
    if isinstance(term, ox.Literal):
        if term.language:
            return Cell(term.value, note=term.language, language=term.language)
        datatype = compact(term.datatype.value)
        return Cell(term.value, note=None if datatype == "xsd:string" else datatype)
    return Cell(str(term))


def embedded_jsonld(document: dict[str, object]) -> str:
    """A JSON-LD document made safe inside ``<script type="application/ld+json">``: no
    ``</script>``, no ``<!--`` (``<``, ``>`` and ``&`` are written as JSON escapes)."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(template: str, language: str, alternates_path: str | None, **context) -> bytes:
    words = WORDS[language]
    other_languages = [
        (lang, WORDS[lang]["language_name"], language_link(alternates_path, lang))
        for lang in LANGUAGES
        if alternates_path is not None and lang != language
    ]
    page = (
        environment()
        .get_template(template)
        .render(
            lang=language,
            w=words,
            version=__version__,
            dataset_title=DATASET_TITLE[language],
            other_languages=other_languages,
            license=LICENSE,
            **context,
        )
    )
    return page.encode("utf-8")


def render_entity(document: EntityDocument, language: str, embedded: str | None = None) -> bytes:
    """The HTML page of an entity in ``language`` (``embedded``: its JSON-LD, if made already)."""
    labels = document.labels
    title = document.label(document.iri, language) or document.slug
    shown_terms: dict[object, Markup] = {}

    def shown(term: object) -> Markup:
        """The cell of a term, as HTML: each term once (a hub's page repeats its properties)."""
        found = shown_terms.get(term)
        if found is None:
            found = shown_terms[term] = show(cell(term, labels, language))
        return found

    entity = ox.NamedNode(document.iri)
    described = [t for t in document.statements if t.subject == entity]
    description = _literal_in(described, PREFIXES["schema"] + "description", language)
    parts = [t for t in document.statements if t.subject != entity]
    rows = [(shown(t.predicate), shown(t.object)) for t in described]
    part_rows = [(shown(t.subject), shown(t.predicate), shown(t.object)) for t in parts]
    incoming = [(shown(t.subject), shown(t.predicate)) for t in document.incoming]
    sources = [
        {
            "passage": cell(ox.NamedNode(s.passage), labels, language),
            "source": cell(ox.NamedNode(s.source), labels, language) if s.source else None,
            "quote": s.quote,
            "supports": [(shown(t.predicate), shown(t.object)) for t in s.supports],
        }
        for s in document.sources
    ]
    stem = f"/doc/{document.kind}/{document.slug}"
    formats_ = [(v.label, f"{stem}.{v.extension}", v.media_type) for v in DOCUMENT_VARIANTS]
    more_values = [
        (
            None if subject.value == document.iri else shown(subject),
            shown(predicate),
            count,
            "/query?query="
            + quote_plain(values_query(subject.value, predicate.value, VALUES_PAGE)),
        )
        for (subject, predicate), count in document.paged_values()
    ]
    more = None
    if document.incoming_count > len(document.incoming):
        more = "/query?query=" + quote_plain(incoming_query(document.iri, len(document.incoming)))
    return _page(
        "entity.html",
        language,
        document.slug,
        title=title,
        iri=document.iri,
        kind=document.kind,
        description=description,
        types=[shown(t.object) for t in described if t.predicate.value == PREFIXES["rdf"] + "type"],
        rows=rows,
        part_rows=part_rows,
        incoming=incoming,
        incoming_count=document.incoming_count,
        more_incoming=more,
        sources=sources,
        sources_count=document.sources_count,
        more_values=more_values,
        values_page=VALUES_PAGE,
        formats=formats_,
        jsonld=embedded
        if embedded is not None
        else embedded_jsonld(jsonld.to_jsonld(document.triples())),
    )


def _literal_in(triples: Sequence[ox.Triple], predicate: str, language: str) -> str | None:
    found: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == predicate and isinstance(t.object, ox.Literal):
            found.setdefault(t.object.language or "", t.object.value)
    return found.get(language) or found.get("en") or next(iter(found.values()), None)


def render_home(
    language: str,
    *,
    counts: list[tuple[Cell, int, str]],
    total: int,
    entities: int,
    queries: list[tuple[str, str, str]],
    downloads: list[tuple[str, str]],
    charts: list[tuple[str, str]],
) -> bytes:
    """The home page: what the graph holds, example queries, downloads, statistics."""
    return _page(
        "home.html",
        language,
        "index",
        title=DATASET_TITLE[language],
        counts=counts,
        total=total,
        entities=entities,
        queries=queries,
        downloads=downloads,
        charts=charts,
    )


def render_query_page(
    language: str,
    *,
    queries: list[tuple[str, str, str]],
    query: str,
    table: dict[str, object] | None,
    error: str | None,
    raw_link: str | None,
) -> bytes:
    """The query form, and the result as a table when a query was run."""
    return _page(
        "query.html",
        language,
        None,
        title=WORDS[language]["query_title"],
        queries=queries,
        query=query,
        table=table,
        error=error,
        raw_link=raw_link,
    )


def render_error(status: int, message: str, language: str = "en") -> bytes:
    return _page("error.html", language, None, title=f"{status}", status=status, message=message)


def render_page(template: str, language: str, **context) -> bytes:
    """Any other page on the common layout (``template`` extends ``base.html``)."""
    return _page(template, language, None, **context)
