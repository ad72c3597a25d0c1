"""Content negotiation (RFC 9110 §12) over the one format table, plus HTML.

Pure functions: the server, the static build and a web-server configuration generator all
answer the same request the same way by calling these.

How a variant is chosen from ``Accept``:

1. Each media range is parsed (``type/subtype``, parameters, ``q``); a range that does not
   parse is ignored, and a header with no usable range counts as ``*/*`` (RFC 9110 allows a
   server to ignore a malformed header rather than fail).
2. Each variant takes the ``q`` of the *most specific* range that matches one of its media
   types (``text/turtle`` beats ``text/*`` beats ``*/*``). A ``charset`` other than UTF-8
   does not match (we only write UTF-8). ``q=0`` excludes.
3. Highest ``q`` wins; on a tie, the variant whose range the client listed first (a browser
   lists ``text/html`` first); then the server's order: Turtle first (the RDF default).
4. Nothing acceptable: ``None`` (the caller answers ``406 Not Acceptable``).

What the server does, and what a static web server configuration must reproduce (the
prebuilt files are written by :mod:`twentyfive.publish.documents`):

==============================================  =============================================
request                                         answer
==============================================  =============================================
``/id/<kind>/<slug>``                           ``303`` to :func:`see_other` (``Vary: Accept``)
``/doc/<kind>/<slug>.<ext>``                    the file; ``.html`` by ``Accept-Language``:
                                                :func:`html_file_name` (``Vary``)
``/doc/<kind>/<slug>.<lang>.html``              the file :func:`explicit_language_file` names
``/doc/<kind>/<slug>`` (no extension)           :func:`document_variant`, with
                                                ``Content-Location`` and ``Vary: Accept``
``?format=<name>``                              :func:`variant_for_format`, else ``400``
``/ontology``                                   ``303`` to ``/ontology.<ext>``, as above
``/``                                           ``index.html`` or ``index.ru.html``
==============================================  =============================================

>>> document_variant("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").name
'html'
>>> document_variant("*/*").extension
'ttl'
>>> document_variant("application/ld+json;q=0.5, text/turtle;q=0.4").name
'jsonld'
>>> document_variant("image/png") is None
True
>>> see_other("person", "mikhail-sholokhov", "application/n-triples")
'/doc/person/mikhail-sholokhov.nt'
>>> choose_language("ru-RU,ru;q=0.9,en;q=0.8")
'ru'
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from twentyfive import formats


@dataclass(frozen=True)
class Variant:
    """One representation a client can ask for: a name, its media types (the canonical one
    first, then aliases), the file extension of its prebuilt file, and its ``Content-Type``."""

    name: str
    label: str
    media_types: tuple[str, ...]
    extension: str
    content_type: str

    @property
    def media_type(self) -> str:
        return self.media_types[0]


HTML = Variant(
    "html", "HTML", ("text/html", "application/xhtml+xml"), "html", "text/html; charset=utf-8"
)

#: Document variants in the server's order of preference (Turtle is the RDF default).
RDF_VARIANTS: tuple[Variant, ...] = tuple(
    Variant(f.name, f.label, formats.media_types(f), f.extension, f.content_type)
    for f in formats.TRIPLE_FORMATS
)
DOCUMENT_VARIANTS: tuple[Variant, ...] = (*RDF_VARIANTS, HTML)

#: SPARQL results (SELECT, ASK), JSON first.
RESULT_VARIANTS: tuple[Variant, ...] = tuple(
    Variant(
        f.name,
        f.name.upper(),
        (
            f.media_type,
            *{
                "json": ("application/json",),
                "xml": ("application/xml", "text/xml"),
                "csv": (),
                "tsv": (),
            }[f.name],
        ),
        f.extension,
        f.media_type + ("; charset=utf-8" if f.name != "xml" else ""),
    )
    for f in formats.RESULT_FORMATS
)

#: The languages of the HTML pages; the first is the default.
LANGUAGES: tuple[str, ...] = ("en", "ru")


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    position: int
    charset: str | None = None

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 1
        if self.subtype == "*":
            return 2
        return 3

    def matches(self, media_type: str) -> bool:
        if self.charset not in (None, "utf-8", "utf8"):
            return False
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; ``*/*`` when absent or unusable."""
    ranges: list[MediaRange] = []
    for position, item in enumerate((header or "").split(",")):
        parsed = _parse_range(item, position)
        if parsed is not None:
            ranges.append(parsed)
    return ranges or [MediaRange("*", "*", 1.0, 0)]


def _parse_range(item: str, position: int) -> MediaRange | None:
    head, *params = item.split(";")
    kind, slash, sub = head.strip().lower().partition("/")
    if not slash or not _is_token(kind) or not _is_token(sub) or (kind == "*" and sub != "*"):
        return None
    q, charset = 1.0, None
    for param in params:
        name, equals, value = param.strip().partition("=")
        name, value = name.strip().lower(), value.strip().strip('"').lower()
        if not equals:
            continue
        if name == "q":
            try:
                q = float(value)
            except ValueError:
                return None
            if not 0.0 <= q <= 1.0 or len(value) > 5:
                return None
        elif name == "charset":
            charset = value
    return MediaRange(kind, sub, q, position, charset)


def _is_token(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "!#$&-^_.+*" for c in text)


@functools.lru_cache(maxsize=1024)
def choose(accept: str | None, variants: tuple[Variant, ...]) -> Variant | None:
    """The variant to send for ``accept`` (see the module docstring), or ``None``: 406.

    Clients send the same few headers again and again, so answers are remembered."""
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for order, variant in enumerate(variants):
        match = _best_range(ranges, variant)
        if match is None or match.q <= 0:
            continue
        key = (-match.q, match.position, order)
        if best is None or key < best:
            best, chosen = key, variant
    return chosen


def _best_range(ranges: Sequence[MediaRange], variant: Variant) -> MediaRange | None:
    """The most specific range matching the variant; among equals, the highest ``q``."""
    found = None
    for media_range in ranges:
        if not any(media_range.matches(t) for t in variant.media_types):
            continue
        if (
            found is None
            or media_range.specificity > found.specificity
            or (media_range.specificity == found.specificity and media_range.q > found.q)
        ):
            found = media_range
    return found


def document_variant(accept: str | None) -> Variant | None:
    """Which document variant (an RDF format or HTML) answers ``accept``."""
    return choose(accept, DOCUMENT_VARIANTS)


def see_other(kind: str, slug: str, accept: str | None) -> str | None:
    """Where ``GET /id/<kind>/<slug>`` sends the client (``303``), or ``None`` for ``406``.

    The mapping ``Accept -> extension`` in one function, for the server and for generated
    web-server rules alike.
    """
    variant = document_variant(accept)
    return None if variant is None else f"/doc/{kind}/{slug}.{variant.extension}"


def variant_for_extension(extension: str) -> Variant | None:
    """The document variant whose files end in ``extension`` (``ttl``, ``html``, …)."""
    for variant in DOCUMENT_VARIANTS:
        if variant.extension == extension.lower():
            return variant
    return None


def variant_for_format(value: str) -> Variant | None:
    """``?format=`` takes a variant's name, extension or media type (``turtle``, ``ttl``,
    ``text/turtle``); ``None`` when it names nothing we have."""
    key = value.strip().lower()
    for variant in DOCUMENT_VARIANTS:
        if key in (variant.name, variant.extension, *variant.media_types):
            return variant
    try:
        fmt = formats.by_name(key)
    except KeyError:
        return None
    return next((v for v in DOCUMENT_VARIANTS if v.name == fmt.name), None)


def result_variant(accept: str | None) -> Variant | None:
    """The SPARQL results format (SELECT, ASK) for ``accept``: JSON by default."""
    return choose(accept, RESULT_VARIANTS)


def graph_variant(accept: str | None) -> Variant | None:
    """The RDF format of a CONSTRUCT or DESCRIBE result: Turtle by default."""
    return choose(accept, RDF_VARIANTS)


@functools.lru_cache(maxsize=1024)
def choose_language(header: str | None, languages: tuple[str, ...] = LANGUAGES) -> str:
    """The page language for ``Accept-Language`` (by primary subtag); the first by default."""
    best: tuple[float, int] | None = None
    chosen = languages[0]
    for position, item in enumerate((header or "").split(",")):
        tag, *params = item.strip().split(";")
        primary = tag.strip().lower().split("-", 1)[0]
        q = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if primary not in languages or q <= 0:
            continue
        key = (-q, position)
        if best is None or key < best:
            best, chosen = key, primary
    return chosen


def html_file_name(slug: str, language: str) -> str:
    """The prebuilt HTML file of a page in ``language``: ``<slug>.html`` for the default
    language, ``<slug>.<language>.html`` for the others."""
    if language == LANGUAGES[0]:
        return f"{slug}.html"
    return f"{slug}.{language}.html"


def language_link(slug: str, language: str) -> str:
    """The link to a page in one language, whatever the reader's ``Accept-Language``:
    ``<slug>.<language>.html`` (``<slug>.html`` would be negotiated again). The server maps
    it to :func:`html_file_name`; a static server needs the rewrite
    ``<slug>.en.html -> <slug>.html`` for the default language."""
    return f"{slug}.{language}.html"


def explicit_language_file(name: str) -> str | None:
    """The prebuilt file behind ``<stem>.<language>.html``, else ``None``.

    >>> explicit_language_file("index.en.html"), explicit_language_file("index.ru.html")
    ('index.html', 'index.ru.html')
    """
    stem, dot, rest = name.rpartition(".")
    if rest != "html" or not dot:
        return None
    stem, dot, language = stem.rpartition(".")
    if not dot or language not in LANGUAGES:
        return None
    return html_file_name(stem, language)
