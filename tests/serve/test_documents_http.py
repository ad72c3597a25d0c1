"""Dereferencing and documents over HTTP, against the running server."""

from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from tests.test_documents import document_graph

from twentyfive import documents, formats

THING = "/id/person/mikhail-sholokhov"
DOC = "/doc/person/mikhail-sholokhov"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"

#: Accept -> (status, Location) for GET on a thing's IRI.
DEREFERENCE = [
    (None, 303, DOC + ".ttl"),
    ("*/*", 303, DOC + ".ttl"),
    ("text/turtle", 303, DOC + ".ttl"),
    ("text/turtle; charset=utf-8", 303, DOC + ".ttl"),
    ("application/ld+json", 303, DOC + ".jsonld"),
    ("application/json", 303, DOC + ".jsonld"),
    ("application/n-triples", 303, DOC + ".nt"),
    ("application/rdf+xml", 303, DOC + ".rdf"),
    ("text/html", 303, DOC + ".html"),
    (BROWSER, 303, DOC + ".html"),
    ("application/ld+json;q=0.5, text/turtle;q=0.9", 303, DOC + ".ttl"),
    ("text/turtle;q=0, */*;q=0.1", 303, DOC + ".jsonld"),
    ("text/*", 303, DOC + ".ttl"),
    ("image/png", 406, None),
    ("text/turtle; charset=iso-8859-1", 406, None),
    ("*/*;q=0", 406, None),
]


@pytest.mark.parametrize("accept, status, location", DEREFERENCE)
def test_dereferencing_a_thing(client, accept, status, location):
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get(THING, headers=headers)
    assert response.status_code == status
    assert response.headers.get("location") == location
    assert "Accept" in response.headers["vary"]
    assert response.content  # never an empty answer


@pytest.mark.parametrize(
    "accept, content_type",
    [
        ("text/turtle", "text/turtle; charset=utf-8"),
        ("application/ld+json", "application/ld+json; charset=utf-8"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/html", "text/html; charset=utf-8"),
    ],
)
def test_following_the_redirect_gives_the_negotiated_type(client, accept, content_type):
    response = client.get(THING, headers={"Accept": accept})
    document = client.get(response.headers["location"], headers={"Accept": accept})
    assert document.status_code == 200
    assert document.headers["content-type"] == content_type


def _rdflib_name(fmt: formats.RdfFormat) -> str:
    return {"jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}.get(fmt.name, fmt.name)


@pytest.mark.parametrize("fmt", formats.TRIPLE_FORMATS, ids=lambda f: f.name)
def test_every_format_parses_to_the_graph_the_build_wrote(client, web_dist, fmt):
    response = client.get(f"{DOC}.{fmt.extension}")
    assert response.status_code == 200
    served = rdflib.Graph().parse(data=response.content, format=_rdflib_name(fmt))
    assert len(served) > 10
    # every format says what the build's N-Quads dump makes of this entity
    store = ox.Store()
    store.bulk_load(path=str(web_dist / "twentyfive.nq"), format=ox.RdfFormat.N_QUADS)
    iri = "https://w3id.org/twentyfive/id/person/mikhail-sholokhov"
    expected = documents.build_document(store, iri, documents.entities(store)[iri])
    assert isomorphic(served, document_graph(expected))


def test_document_headers(client):
    response = client.get(DOC + ".ttl")
    assert response.headers["etag"].startswith('"')
    assert response.headers["last-modified"].endswith("GMT")
    assert "max-age" in response.headers["cache-control"]
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]
    link = response.headers["link"]
    assert f'<{DOC}.jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert 'rel="license"' in link and "</.well-known/void>" in link


def test_conditional_requests_get_304(client):
    first = client.get(DOC + ".jsonld")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(DOC + ".jsonld", headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get(DOC + ".jsonld", headers={"If-None-Match": '"other", ' + etag}).status_code
        == 304
    )
    assert client.get(DOC + ".jsonld", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(DOC + ".jsonld", headers={"If-Modified-Since": modified}).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(DOC + ".jsonld", headers={"If-Modified-Since": old}).status_code == 200
    assert client.get(DOC + ".ttl", headers={"If-None-Match": etag}).status_code == 200


def test_head_answers_like_get_without_a_body(client):
    get, head = client.get(DOC + ".ttl"), client.head(DOC + ".ttl")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert int(head.headers["content-length"]) == len(get.content)
    assert client.head(THING).status_code == 303


def test_document_without_extension_and_format_parameter(client):
    negotiated = client.get(DOC, headers={"Accept": "application/n-triples"})
    assert negotiated.status_code == 200
    assert negotiated.headers["content-type"] == "application/n-triples"
    assert negotiated.headers["vary"].startswith("Accept")
    assert negotiated.headers["content-location"] == DOC + ".nt"
    by_parameter = client.get(DOC + "?format=jsonld", headers={"Accept": "text/turtle"})
    assert by_parameter.headers["content-type"].startswith("application/ld+json")
    assert client.get(DOC + "?format=pdf").status_code == 400


def test_html_language_follows_accept_language(client):
    russian = client.get(DOC + ".html", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru">' in russian.text and "Михаил Шолохов" in russian.text
    assert "Accept-Language" in russian.headers["vary"]
    assert russian.headers["content-language"] == "ru"
    english = client.get(DOC + ".html")
    assert '<html lang="en">' in english.text
    assert client.get(DOC + ".ru.html").headers["content-language"] == "ru"
    # the link to the other language names it, so Accept-Language cannot send the reader back
    assert 'href="mikhail-sholokhov.en.html"' in russian.text
    chosen = client.get(DOC + ".en.html", headers={"Accept-Language": "ru"})
    assert '<html lang="en">' in chosen.text
    home = client.get("/index.en.html", headers={"Accept-Language": "ru"})
    assert home.status_code == 200 and '<html lang="en">' in home.text
    assert 'href="index.en.html"' in client.get("/", headers={"Accept-Language": "ru"}).text


def test_html_page_shows_a_script_label_escaped(client):
    page = client.get(DOC + ".html").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/id/person/nobody",
        "/id/unicorn/mikhail-sholokhov",
        "/doc/person/nobody.ttl",
        "/doc/person/mikhail-sholokhov.pdf",
        "/doc/person/mikhail-sholokhov.ru.ttl",
        "/nothing-here",
        "/doc/../../etc/passwd",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/doc/person/..%2f..%2f..%2fetc%2fpasswd",
        "/.staging",
        "/doc/person/.mikhail-sholokhov.ttl",
        "/doc/person/%00.ttl",
    ],
)
def test_unknown_and_malicious_paths_get_404(client, path):
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == 404, response.text
    assert "root:" not in response.text
    assert response.text.strip()  # a helpful message, never empty


@pytest.mark.parametrize(
    "raw_path",
    [
        "/doc/../../etc/passwd",
        "/doc/person/../../../../etc/passwd",
        "/../../../etc/passwd",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/twentyfive.nq/../../../etc/passwd",
    ],
)
def test_path_traversal_sent_verbatim(server, raw_path):
    """httpx normalises ``..``; a raw request shows what the server does with it."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404)
    assert b"root:" not in answer


def test_404_is_a_page_for_browsers(client):
    response = client.get("/id/person/nobody", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "/id/&lt;kind&gt;/&lt;slug&gt;" in response.text


def test_ontology_is_negotiated(client):
    assert (
        client.get("/ontology", headers={"Accept": "text/html"}).headers["location"]
        == "/ontology.html"
    )
    assert client.get("/ontology").headers["location"] == "/ontology.ttl"
    page = client.get("/ontology.html").text
    assert 'id="Passage"' in page and 'id="reliability"' in page
    graph = rdflib.Graph().parse(data=client.get("/ontology.ttl").content, format="turtle")
    assert len(graph) > 5
    # the ontology's page exists in English only: a Russian reader gets it, not a 404
    russian = client.get("/ontology.html", headers={"Accept-Language": "ru"})
    assert russian.status_code == 200 and russian.headers["content-language"] == "en"


def test_home_page_lists_classes_queries_and_downloads(client):
    page = client.get("/").text
    assert "Who wrote which work?" in page
    assert 'href="/twentyfive.nq"' in page
    assert "schema:Person" in page or "Person" in page
    assert client.get("/twentyfive.nq").status_code == 200


def test_void_robots_and_sitemap(client):
    for path in ("/.well-known/void", "/void"):
        response = client.get(path)
        assert response.status_code == 200
        graph = rdflib.Graph().parse(data=response.content, format="turtle")
        assert (None, rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in graph
    jsonld = client.get("/void", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    robots = client.get("/robots.txt").text
    assert "Sitemap: http://127.0.0.1" in robots
    sitemap = client.get("/sitemap.xml").text
    assert "/doc/person/mikhail-sholokhov.html</loc>" in sitemap


def test_the_server_answers_with_the_prebuilt_bytes(client, web_dist):
    """What a static web server would send from dist/ is what the server sends."""
    for extension in ("ttl", "jsonld", "nt", "rdf", "html", "ru.html"):
        served = client.get(f"{DOC}.{extension}")
        assert served.content == (web_dist / f"{DOC[1:]}.{extension}").read_bytes()
    assert client.get("/ontology.ttl").content == (web_dist / "ontology.ttl").read_bytes()
    assert client.get("/").content == (web_dist / "index.html").read_bytes()
