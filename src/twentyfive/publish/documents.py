"""Prebuilt documents: every entity's document in every format and as HTML, the ontology,
the home page, and the index the server reads.

Layout in ``dist/`` (the server answers from these bytes; a static web server can too)::

    doc/<kind>/<slug>.ttl .jsonld .nt .rdf     the entity's document (documents.py)
    doc/<kind>/<slug>.html  <slug>.ru.html     its page in each language
    index.html  index.ru.html                  the home page
    doc/index.json                             every entity: kind, slug, labels, incoming count
    doc/queries.json                           the example queries (name, question, text)

ETags come from ``SHA256SUMS``, which the build writes over all of these.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from twentyfive import documents, formats, html, tsv
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import ID, PREFIXES
from twentyfive.negotiation import LANGUAGES, html_file_name
from twentyfive.project import Project
from twentyfive.publish import checksums, jsonld
from twentyfive.publish.dumps import CONTEXT_FILE, DUMP_STEM
from twentyfive.publish.statistics import class_counts
from twentyfive.roster import read_from_roster

INDEX_FILE = "doc/index.json"
QUERIES_FILE = "doc/queries.json"
_QUESTION = re.compile(r"^#\s*question:\s*(.+?)\s*$", re.MULTILINE)


def write_documents(kg: KnowledgeGraph, out: Path, project: Project) -> list[Path]:
    """Write every prebuilt document into ``out``; return the files written.

    Entities read from a roster file (people and their passages: tens of thousands) are
    listed in the index but rendered by the server on request (``prebuilt: false``), unless
    ``project.all_pages`` asks for every page in ``dist/`` (for a static host).
    """
    index = []
    listed: dict[str, dict[str, str]] | None = None  # the labels of the entities only listed
    with _Writer() as writer:
        for iri, subjects in documents.entities(kg.store).items():
            kind, _, slug = iri[len(ID) :].partition("/")  # an entity IRI: id/<kind>/<slug>
            if not project.all_pages and read_from_roster(kg, iri):
                if listed is None:
                    listed = entity_labels(kg.store)
                index.append(_entry(kind, slug, iri, listed.get(iri, {}), None))
                continue
            document = documents.build_document(kg.store, iri, subjects)
            writer.write(out / "doc" / kind, document_files(document))
            labels = document.labels.get(iri, {})
            index.append(_entry(kind, slug, iri, labels, document.incoming_count))
    written = writer.written
    written.append(_write(out / QUERIES_FILE, _json(example_queries(project.queries_dir))))
    written.append(_write(out / INDEX_FILE, _index_json(index)))
    return written


def write_home_page(kg: KnowledgeGraph, out: Path, project: Project) -> list[Path]:
    """The home page in each language, after the documents' index and the other writers."""
    return write_home(kg, out, index_size(out / INDEX_FILE), example_queries(project.queries_dir))


def index_size(path: Path) -> int:
    """How many entities ``doc/index.json`` lists, counted, not parsed (it is 100 MB at
    275,190 people): :func:`_index_json` writes one a line, each line an object."""
    return path.read_bytes().count(b'\n{"')


def document_files(document: documents.EntityDocument) -> list[tuple[str, bytes]]:
    """The files of one entity's document, named as in ``doc/<kind>/``: every triple format
    and a page per language. The build writes them; the server renders them on request for
    the entities the build did not prebuild."""
    triples = document.triples()
    prefixes = documents.prefixes_of(triples)
    as_jsonld = jsonld.to_jsonld(triples, prefixes)
    files = [
        (
            f"{document.slug}.{fmt.extension}",
            jsonld.dumps(as_jsonld)
            if fmt is formats.JSON_LD
            else documents.serialize(triples, fmt, prefixes),
        )
        for fmt in formats.TRIPLE_FORMATS
    ]
    embedded = html.embedded_jsonld(as_jsonld)
    files += [
        (html_file_name(document.slug, language), html.render_entity(document, language, embedded))
        for language in LANGUAGES
    ]
    return files


def entity_labels(store: ox.Store) -> dict[str, dict[str, str]]:
    """The label (``rdfs:label``) of every IRI in each page language, as a document gives
    it (:func:`_labels`), read by one query for all: a thing with two labels in one language
    (validation allows that for no entity) is read again by itself, for the one the store
    lists first."""
    languages = ", ".join(f'"{language}"' for language in LANGUAGES)
    query = (
        f"SELECT ?s ?o WHERE {{ ?s <{documents.LABEL.value}> ?o "
        f"FILTER(isIRI(?s) && LANG(?o) IN ({languages})) }}"
    )
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    twice = set()
    for row in tsv.lines(store, query, union=True):
        subject, label = row.split("\t")
        text, language = tsv.text(label)
        found = labels[subject[1:-1]]
        if found.setdefault(language, text) != text:
            twice.add(subject[1:-1])
    for iri in twice:
        labels[iri] = _labels(store, iri)
    return labels


def _labels(store: ox.Store, iri: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for quad in store.quads_for_pattern(ox.NamedNode(iri), documents.LABEL, None, None):
        literal = quad.object
        if isinstance(literal, ox.Literal) and literal.language in LANGUAGES:
            labels.setdefault(literal.language, literal.value)
    return labels


def _entry(kind: str, slug: str, iri: str, labels: dict[str, str], incoming: int | None) -> dict:
    """One line of ``doc/index.json``; ``prebuilt`` says whether ``doc/`` holds its files."""
    entry = {"kind": kind, "slug": slug, "iri": iri, "labels": labels}
    if incoming is None:
        entry["prebuilt"] = False
    else:
        entry.update(prebuilt=True, incoming=incoming)
    return entry


class _Writer:
    """Writes each document's files on another thread: creating many small files is bound by
    the file system's latency, not the CPU, so the next documents are rendered while earlier
    ones are written. One thread, handed a whole document at a time: more threads, or a task
    per file, cost more CPU in handing over than the writing itself (0.5 s against 0.1 s for
    the 1,100 files of the curated documents)."""

    PENDING = 64  # documents

    def __init__(self) -> None:
        self.written: list[Path] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write-documents")
        self._pending: deque[Future[list[Path]]] = deque()

    def write(self, folder: Path, files: list[tuple[str, bytes]]) -> None:
        """Write ``files`` (name, bytes) into ``folder``."""
        self._pending.append(self._pool.submit(_write_files, folder, files))
        while len(self._pending) > self.PENDING:
            self.written += self._pending.popleft().result()

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            while self._pending:
                self.written += self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _write_files(folder: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files:
        written.append(checksums.write_bytes(folder / name, data))
    return written


def example_queries(folder: Path) -> list[dict[str, str]]:
    """Each ``queries/*.rq``: its name, its ``# question:`` line (else its name), its text."""
    found = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        match = _QUESTION.search(text)
        found.append(
            {"name": path.stem, "question": match.group(1) if match else path.stem, "text": text}
        )
    return found


def query_links(queries: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    """``(name, question, link to the query page with the query filled in)``."""
    return [
        (q["name"], q["question"], "/query?query=" + quote(q["text"], safe="")) for q in queries
    ]


def instances_link(class_iri: str) -> str:
    """The query page listing the things of a class, with their English labels."""
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?thing ?label WHERE {{\n  ?thing a <{class_iri}> .\n"
        '  OPTIONAL { ?thing rdfs:label ?label FILTER(lang(?label) = "en") }\n'
        "} ORDER BY ?thing LIMIT 1000"
    )
    return "/query?query=" + quote(query, safe="")


def write_home(
    kg: KnowledgeGraph, out: Path, entities: int, queries: list[dict[str, str]]
) -> list[Path]:
    """The home page; statistics charts appear when a writer before this one made
    ``stats/*.svg``."""
    rows = class_counts(kg)  # as the dataset description counted them, if it did
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    labels: dict[str, dict[str, str]] = {}
    for node, _ in rows:
        for quad in kg.store.quads_for_pattern(node, label, None, None):
            if isinstance(quad.object, ox.Literal) and quad.object.language:
                labels.setdefault(node.value, {})[quad.object.language] = quad.object.value
    downloads = [
        (f"{fmt.label} ({path.name})", f"/{path.name}")
        for fmt in formats.FORMATS
        for path in [out / f"{DUMP_STEM}.{fmt.extension}", out / f"{DUMP_STEM}.{fmt.extension}.gz"]
        if path.is_file()
    ]
    downloads += [
        (name, f"/{name}")
        for name in (CONTEXT_FILE, "SHA256SUMS")
        if (out / name).is_file() or name == "SHA256SUMS"
    ]
    charts = [(f"/stats/{p.name}", chart_text(p)) for p in sorted((out / "stats").glob("*.svg"))]
    total, links = kg.triple_count(), query_links(queries)
    return [
        _write(
            out / html_file_name("index", language),
            html.render_home(
                language,
                counts=[
                    (html.cell(node, labels, language), n, instances_link(node.value))
                    for node, n in rows
                ],
                total=total,
                entities=entities,
                queries=links,
                downloads=downloads,
                charts=charts,
            ),
        )
        for language in LANGUAGES
    ]


def chart_text(path: Path) -> str:
    """What a chart shows, for its ``alt`` text: the SVG's ``<title>`` and ``<desc>``."""
    text = path.read_text(encoding="utf-8")
    found = [re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", text, re.S) for tag in ("title", "desc")]
    parts = [html_lib.unescape(m.group(1).strip()) for m in found if m]
    return ": ".join(parts) or path.stem.replace("-", " ")


def _index_json(entries: list[dict]) -> bytes:
    """``{"entities": [...]}`` with one entity a line: readable, and written by the JSON
    module's C encoder (an indented dump goes through its Python one: seconds at 55,000)."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # made once
    lines = ",\n".join(encode(e) for e in entries)
    return f'{{"entities": [\n{lines}\n]}}\n'.encode("utf-8")


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return checksums.write_bytes(path, data)
