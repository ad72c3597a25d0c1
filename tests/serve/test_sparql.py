"""The SPARQL endpoint: the protocol with a real client, and what it refuses."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper
from tests.serve.conftest import QUERY_TIMEOUT

WHO_WROTE = """PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?title WHERE {
  ?work schema:author ?person ; rdfs:label ?title FILTER(lang(?title) = "en")
}"""
#: A cross product of seven patterns: billions of rows even on the small fixture.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . "
    "?p ?q ?r . ?s ?t ?u }"
)


def _wrapper(server: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server + "/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    return wrapper


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server, method):
    result = _wrapper(server, WHO_WROTE, JSON, method).queryAndConvert()
    assert [b["title"]["value"] for b in result["results"]["bindings"]] == ["Virgin Soil Upturned"]


def test_sparqlwrapper_select_xml_csv_tsv(server):
    xml = _wrapper(server, WHO_WROTE, XML).queryAndConvert()
    assert "Virgin Soil Upturned" in xml.toxml()
    table = _wrapper(server, WHO_WROTE, CSV).queryAndConvert().decode()
    assert list(csv.reader(io.StringIO(table)))[1] == ["Virgin Soil Upturned"]
    tsv = _wrapper(server, WHO_WROTE, TSV).queryAndConvert().decode()
    assert '"Virgin Soil Upturned"@en' in tsv


def test_sparqlwrapper_ask_and_construct(server):
    ask = _wrapper(server, "ASK { ?s a <http://schema.org/Person> }", JSON).queryAndConvert()
    assert ask["boolean"] is True
    construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"
    graph = _wrapper(server, construct, TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=graph, format="turtle") if isinstance(graph, bytes) else graph
    assert (
        rdflib.URIRef("https://w3id.org/twentyfive/id/person/mikhail-sholokhov"),
        rdflib.RDF.type,
        rdflib.URIRef("http://schema.org/Person"),
    ) in graph


@pytest.mark.parametrize(
    "accept, content_type",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_results_are_negotiated(client, accept, content_type):
    response = client.get("/sparql", params={"query": WHO_WROTE}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert response.headers["vary"] == "Accept"


def test_result_in_no_acceptable_format_is_406(client):
    response = client.get("/sparql", params={"query": WHO_WROTE}, headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_describe_in_every_rdf_format(client, accept, rdflib_format):
    query = "DESCRIBE <https://w3id.org/twentyfive/id/person/mikhail-sholokhov>"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) >= 5


def test_post_forms_and_direct_body(client):
    form = client.post("/sparql", data={"query": WHO_WROTE})
    direct = client.post(
        "/sparql", content=WHO_WROTE, headers={"Content-Type": "application/sparql-query"}
    )
    assert form.status_code == direct.status_code == 200
    assert form.json() == direct.json()


def test_default_and_named_graph_parameters(client):
    passage = "https://w3id.org/twentyfive/id/passage/mini-source-writer"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = client.get("/sparql", params={"query": count}).json()
    only = client.get("/sparql", params={"query": count, "default-graph-uri": passage}).json()
    n = lambda r: int(r["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert 0 < n(only) < n(union)
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": passage,
        },
    )
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [passage]


def test_cors_preflight_allows_posting_queries(client):
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "Content-Type" in response.headers["access-control-allow-headers"]


def test_service_description(client):
    response = client.get("/sparql")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in graph


@pytest.mark.parametrize(
    "request_kwargs, status",
    [
        ({"params": {"query": "SELEC * WHERE { ?s ?p ?o }"}}, 400),
        ({"params": {"query": "SELECT * WHERE { ?s ?p ?o "}}, 400),
        ({"params": {"query": WHO_WROTE, "timeout": "0"}}, 400),
        ({"params": [("query", WHO_WROTE), ("query", WHO_WROTE)]}, 400),
        ({"params": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}}, 403),
        ({"params": {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}}, 403),
        ({"params": {"query": "PREFIX ex: <http://e/> DROP ALL"}}, 403),
        ({"params": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}}, 403),
    ],
)
def test_bad_requests(client, request_kwargs, status):
    response = client.get("/sparql", **request_kwargs)
    assert response.status_code == status, response.text
    assert response.text.strip()


def test_huge_queries_are_refused(client):
    huge = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200_000
    assert client.post("/sparql", data={"query": huge}).status_code == 413
    direct = client.post(
        "/sparql", content=huge, headers={"Content-Type": "application/sparql-query"}
    )
    assert direct.status_code == 413
    enormous = client.post(
        "/sparql", content=huge * 3, headers={"Content-Type": "application/sparql-query"}
    )
    assert enormous.status_code == 413


@pytest.mark.parametrize(
    "content_type, status",
    [
        ("application/sparql-update", 403),
        ("application/octet-stream", 415),
    ],
)
def test_post_bodies_that_are_not_queries(client, content_type, status):
    response = client.post(
        "/sparql",
        content="INSERT DATA { <http://a> <http://b> <http://c> }",
        headers={"Content-Type": content_type},
    )
    assert response.status_code == status


def test_update_by_form_is_refused(client):
    response = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 403
    # and nothing changed
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.fixture
def listener():
    """A loopback TCP listener that records every connection it receives."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(4096))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], received
    stop.set()
    thread.join()
    sock.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?a ?b ?c . SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "PREFIX x: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ service x:q {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ # a comment\n  SERVICE\t<http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_nothing_reaches_the_network(client, listener, template):
    port, received = listener
    query = template.format(port=port)
    response = client.get("/sparql", params={"query": query})
    assert response.status_code in (200, 400, 403), response.text
    if "SERVICE" in query.upper():
        assert response.status_code == 403
    import time

    time.sleep(0.3)  # a connection, if any, would have arrived by now
    assert received == []


def test_a_query_over_the_time_limit_is_stopped(server, client):
    finished: list[str] = []

    def slow() -> None:
        import httpx

        answer = httpx.get(server + "/sparql", params={"query": SLOW}, timeout=QUERY_TIMEOUT + 30)
        finished.append("slow")
        slow_answers.append(answer)

    slow_answers: list = []
    thread = threading.Thread(target=slow)
    thread.start()
    # while it runs, documents are still answered: the query is not on the event loop
    for _ in range(20):
        assert client.get("/doc/person/mikhail-sholokhov.ttl").status_code == 200
    finished.append("documents")
    thread.join()
    assert finished == ["documents", "slow"]
    response = slow_answers[0]
    assert response.status_code == 503
    assert "did not finish" in response.text
    # the server still answers, and queries still run (a fresh worker took over)
    follow = client.get("/sparql", params={"query": WHO_WROTE}, timeout=30)
    assert follow.status_code == 200
    assert json.loads(follow.content)["results"]["bindings"]
