"""A small Linked Data server on loopback whose faults are switched on one by one, for
``twentyfive check``'s own tests. With no faults it does everything right (a baseline the
checks must pass); each fault breaks exactly one rule.

Standard library ``http.server`` and pyoxigraph only: nothing of our own server is reused,
so the checks are tested against HTTP, not against our implementation.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

ROOT = "http://example.org/"
FAULTS = {
    "no-vary": "the 303 has no Vary header",
    "200-not-303": "a thing's IRI answers 200 with the document instead of 303",
    "wrong-content-type": "the Turtle document is labelled text/plain",
    "unknown-200": "an unknown IRI answers 200",
    "no-406": "an unacceptable type gets Turtle instead of 406",
    "no-etag": "documents have no ETag",
    "no-304": "If-None-Match is ignored",
    "head-body": "HEAD answers 404",
    "no-cors": "no Access-Control-Allow-Origin",
    "no-link": "no Link header",
    "no-void": "no /.well-known/void",
    "sparql-accepts-update": "SPARQL Update is carried out",
    "service-allowed": "SERVICE is accepted",
    "sparql-no-xml": "SELECT results in XML are sent as JSON",
    "no-sparql": "no SPARQL endpoint (a static site)",
}
DATA = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ROOT}id/thing/alpha> a <{ROOT}Thing> ; rdfs:label "Alpha" ; rdfs:seeAlso <{ROOT}id/other/beta> .
<{ROOT}id/thing/gamma> a <{ROOT}Thing> ; rdfs:label "Gamma" .
<{ROOT}id/other/beta> a <{ROOT}Other> ; rdfs:label "Beta" .
"""
TYPES = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "html": ("text/html", None),
}
RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def make_handler(faults: set[str], store: ox.Store) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def answer(
            self,
            status: int,
            body: bytes = b"",
            content_type: str | None = None,
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if "no-cors" not in faults:
                self.send_header("Access-Control-Allow-Origin", "*")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            if "head-body" in faults:
                return self.answer(404, b"no HEAD here", "text/plain")
            self.do_GET()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/.well-known/void" and "no-void" not in faults:
                return self.answer(200, void().encode(), "text/turtle")
            if url.path == "/sitemap.xml":
                host = self.headers["Host"]
                things = (("thing", "alpha"), ("thing", "gamma"), ("other", "beta"))
                locs = "".join(
                    f"<url><loc>http://{host}/doc/{k}/{s}.html</loc></url>" for k, s in things
                )
                body = (
                    f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
                )
                return self.answer(200, body.encode(), "application/xml")
            if url.path == "/sparql" and "no-sparql" not in faults:
                return self.sparql(parse_qs(url.query).get("query", [""])[0])
            parts = url.path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "id":
                return self.thing(f"{ROOT}{'/'.join(parts)}", parts[1], parts[2])
            if len(parts) == 3 and parts[0] == "doc" and "." in parts[2]:
                slug, extension = parts[2].split(".", 1)
                return self.document(f"{ROOT}id/{parts[1]}/{slug}", extension)
            self.answer(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/sparql" or "no-sparql" in faults:
                return self.answer(404, b"not found", "text/plain")
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            media = self.headers.get("Content-Type", "").split(";")[0]
            if media == "application/sparql-update":
                return self.update(body)
            if media == "application/x-www-form-urlencoded":
                form = parse_qs(body)
                if "update" in form:
                    return self.update(form["update"][0])
                return self.sparql(form.get("query", [""])[0])
            if media == "application/sparql-query":
                return self.sparql(body)
            self.answer(415, b"unsupported", "text/plain")

        def thing(self, iri: str, kind: str, slug: str) -> None:
            known = any(True for _ in store.quads_for_pattern(ox.NamedNode(iri), None, None))
            if not known:
                if "unknown-200" in faults:
                    return self.answer(200, b"<html>nothing</html>", "text/html")
                return self.answer(404, b"not found", "text/plain")
            accept = self.headers.get("Accept", "*/*")
            chosen = next((ext for ext, (media, _) in TYPES.items() if media in accept), None)
            if chosen is None and ("*/*" in accept or "no-406" in faults):
                chosen = "ttl"
            vary = {} if "no-vary" in faults else {"Vary": "Accept"}
            if chosen is None:
                return self.answer(406, b"not acceptable", "text/plain", vary)
            if "200-not-303" in faults:
                return self.document(iri, chosen, vary)
            location = f"/doc/{kind}/{slug}.{chosen}"
            self.answer(303, b"", "text/plain", {"Location": location, **vary})

        def document(self, iri: str, extension: str, extra: dict[str, str] | None = None) -> None:
            if extension not in TYPES:
                return self.answer(404, b"not found", "text/plain")
            media, fmt = TYPES[extension]
            triples = [q.triple for q in store.quads_for_pattern(ox.NamedNode(iri), None, None)]
            if not triples:
                return self.answer(404, b"not found", "text/plain")
            if fmt is None:
                body = f"<!DOCTYPE html><html><body><h1>{iri}</h1></body></html>".encode()
            else:
                body = ox.serialize(triples, format=fmt)
            if extension == "ttl" and "wrong-content-type" in faults:
                media = "text/plain"
            headers = dict(extra or {})
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if "no-etag" not in faults:
                headers["ETag"] = etag
                if self.headers.get("If-None-Match") == etag and "no-304" not in faults:
                    return self.answer(304, b"", None, headers)
            if "no-link" not in faults:
                headers["Link"] = '</.well-known/void>; rel="describedby"'
            self.answer(200, body, media, headers)

        def sparql(self, query: str) -> None:
            if "SERVICE" in query.upper() and "service-allowed" not in faults:
                return self.answer(403, b"SERVICE is not allowed", "text/plain")
            if "SERVICE" in query.upper():
                query = "SELECT * WHERE { ?s ?p ?o } LIMIT 0"  # "fetched" nothing
            try:
                results = store.query(query)
            except SyntaxError as bad:
                return self.answer(400, str(bad).encode(), "text/plain")
            accept = self.headers.get("Accept", "")
            if isinstance(results, ox.QueryTriples):
                turtle = results.serialize(format=ox.RdfFormat.TURTLE)
                return self.answer(200, turtle, "text/turtle")
            media = next((m for m in RESULTS if m in accept), "application/sparql-results+json")
            sent = media
            if media.endswith("+xml") and "sparql-no-xml" in faults:
                media = "application/sparql-results+json"
            self.answer(200, results.serialize(format=RESULTS[media]), sent)

        def update(self, text: str) -> None:
            if "sparql-accepts-update" not in faults:
                return self.answer(403, b"read-only", "text/plain")
            store.update(text)
            self.answer(204)

    return Handler


def void() -> str:
    return f"""
@prefix void: <http://rdfs.org/ns/void#> .
<{ROOT}dataset> a void:Dataset ;
    void:rootResource <{ROOT}> ;
    void:uriSpace "{ROOT}id/" ;
    void:exampleResource <{ROOT}id/thing/alpha> ;
    void:sparqlEndpoint <{ROOT}sparql> .
"""


@contextmanager
def broken_server(*faults: str) -> Iterator[str]:
    """The server with ``faults`` switched on, on a free loopback port; its base URL."""
    unknown = set(faults) - set(FAULTS)
    assert not unknown, f"unknown faults {unknown}"
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(set(faults), store))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
