"""``/.well-known/void`` (and ``/void``), ``robots.txt`` and ``sitemap.xml``.

The dataset description is ``dist/void.ttl`` when the build wrote one; until then a minimal
VoID description made from the build itself. It is negotiated among the RDF formats.
"""

from __future__ import annotations

import hashlib
import json
from xml.sax.saxutils import escape

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from twentyfive import formats, negotiation
from twentyfive.documents import LICENSE, serialize
from twentyfive.namespaces import BASE, DATASET_IRI, ID
from twentyfive.publish import MANIFEST_FILE
from twentyfive.publish.dumps import dump_name
from twentyfive.serve.http import CORS, error, send
from twentyfive.serve.site import Prebuilt, Site

VOID_FILE = "void.ttl"


def void_documents(site: Site) -> dict[str, Prebuilt]:
    """The dataset description in every triple format, keyed by extension."""
    path = site.dist / VOID_FILE
    if path.is_file():
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    else:
        triples = list(ox.parse(minimal_void(site), format=ox.RdfFormat.TURTLE))
    out = {}
    for fmt in formats.TRIPLE_FORMATS:
        body = serialize(triples, fmt)
        out[fmt.extension] = Prebuilt(
            f"void.{fmt.extension}", body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        )
    return out


def minimal_void(site: Site) -> str:
    manifest = json.loads((site.dist / MANIFEST_FILE).read_text(encoding="utf-8"))
    dumps = " , ".join(
        f"<{BASE}{dump_name(f)}>" for f in formats.FORMATS if (site.dist / dump_name(f)).is_file()
    )
    example = next((f"{ID}{kind}/{slug}" for kind, slug in site.pages), None)
    lines = [
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        f"<{DATASET_IRI}> a void:Dataset ;",
        '    dcterms:title "The Twenty-five-thousanders"@en , "Двадцатипятитысячники"@ru ;',
        f"    dcterms:license <{LICENSE}> ;",
        f'    void:uriSpace "{ID}" ;',
        f"    void:sparqlEndpoint <{BASE}sparql> ;",
        f"    void:triples {int(manifest.get('quads', 0))} ;",
        f"    void:rootResource <{BASE}> ;",
    ]
    if example:
        lines.append(f"    void:exampleResource <{example}> ;")
    if dumps:
        lines.append(f"    void:dataDump {dumps} ;")
    lines.append(f"    void:vocabulary <{BASE}ontology> .")
    return "\n".join(lines) + "\n"


async def void(request: Request) -> Response:
    variants = request.app.state.void
    fmt = request.query_params.get("format")
    variant = (
        negotiation.variant_for_format(fmt)
        if fmt
        else negotiation.graph_variant(request.headers.get("accept"))
    )
    if variant is None or variant.extension not in variants:
        variant = negotiation.RDF_VARIANTS[0]  # browsers and the rest: Turtle
    return send(
        request,
        variants[variant.extension],
        request.app.state.site,
        variant.content_type,
        vary="Accept",
    )


async def robots(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    text = (
        f"User-agent: *\nAllow: /\nDisallow: /sparql\nDisallow: /query\n"
        f"Sitemap: {base}/sitemap.xml\n"
    )
    return _text(request, text, "text/plain; charset=utf-8")


#: The most URLs one sitemap file may hold (sitemaps.org); beyond it, a sitemap index.
SITEMAP_LIMIT = 50_000


async def sitemap(request: Request) -> Response:
    """``/sitemap.xml``: every page; past :data:`SITEMAP_LIMIT` URLs, a sitemap index of
    ``/sitemap-<n>.xml`` parts (a roster of tens of thousands of people needs several)."""
    site: Site = request.app.state.site
    base = str(request.base_url).rstrip("/")
    urls = _page_urls(site, base)
    number = request.path_params.get("number")
    parts = (len(urls) + SITEMAP_LIMIT - 1) // SITEMAP_LIMIT
    if number is not None:
        if not number.isdigit() or not 1 <= int(number) <= parts or parts == 1:
            return error(request, 404, f"no such sitemap part; see {base}/sitemap.xml")
        start = (int(number) - 1) * SITEMAP_LIMIT
        return _urlset(request, urls[start : start + SITEMAP_LIMIT])
    if parts <= 1:
        return _urlset(request, urls)
    body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    body += [
        f"<sitemap><loc>{escape(base)}/sitemap-{n}.xml</loc></sitemap>" for n in range(1, parts + 1)
    ]
    body.append("</sitemapindex>\n")
    return _text(request, "\n".join(body), "application/xml")


def _page_urls(site: Site, base: str) -> list[str]:
    return [f"{base}/", f"{base}/ontology.html"] + [
        f"{base}/doc/{kind}/{slug}.html" for kind, slug in site.pages
    ]


def _urlset(request: Request, urls: list[str]) -> Response:
    body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    body += [f"<url><loc>{escape(u)}</loc></url>" for u in urls]
    body.append("</urlset>\n")
    return _text(request, "\n".join(body), "application/xml")


def _text(request: Request, text: str, content_type: str) -> Response:
    body = b"" if request.method == "HEAD" else text.encode("utf-8")
    response = Response(body, headers={**CORS, "Cache-Control": "public, max-age=3600"})
    response.headers["Content-Type"] = content_type
    return response
