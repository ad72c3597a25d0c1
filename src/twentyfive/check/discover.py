"""What to check, found on the deployment itself: its VoID description, its SPARQL
endpoint or its sitemap. Nothing here knows how our server works; only HTTP and RDF.

Canonical IRIs (``https://w3id.org/twentyfive/id/person/x``) are mapped to the deployment
by path below the dataset's root (``void:rootResource``, else the ``void:uriSpace`` less its
last segment): ``<base>/id/person/x``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from twentyfive import formats
from twentyfive.check.client import Client, Reply

VOID = "http://rdfs.org/ns/void#"
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


@dataclass
class Deployment:
    base: str
    void: Reply | None = None
    void_triples: list[ox.Triple] = field(default_factory=list)
    void_error: str | None = None
    root: str | None = None
    uri_space: str | None = None
    sparql: str | None = None
    examples: list[str] = field(default_factory=list)

    def local(self, iri: str) -> str:
        """Where ``iri`` is served on this deployment."""
        if iri.startswith(self.base + "/"):
            return iri
        if self.root and iri.startswith(self.root):
            return f"{self.base}/{iri[len(self.root) :]}"
        parts = urlsplit(iri)
        return self.base + parts.path + (f"?{parts.query}" if parts.query else "")


def parse_rdf(reply: Reply, fmt: formats.RdfFormat | None = None) -> list[ox.Triple]:
    """The triples of an RDF answer (``ValueError`` with the parser's message otherwise)."""
    fmt = fmt or formats.by_media_type(reply.media_type)
    try:
        parsed = ox.parse(reply.body, format=fmt.oxigraph, base_iri=reply.url)
        return [q.triple if isinstance(q, ox.Quad) else q for q in parsed]
    except (SyntaxError, ValueError, OSError) as failure:
        raise ValueError(f"{fmt.label} does not parse: {failure}") from None


def read_void(client: Client, base: str) -> Deployment:
    deployment = Deployment(base)
    reply = client.fetch("GET", f"{base}/.well-known/void", headers={"Accept": "text/turtle"})
    deployment.void = reply
    if reply.status != 200:
        deployment.void_error = reply.summary()
        return deployment
    try:
        deployment.void_triples = parse_rdf(reply)
    except (KeyError, ValueError) as failure:
        deployment.void_error = str(failure)
        return deployment

    # The dataset itself: the description may hold others (link targets, partitions).
    useful = {VOID + p for p in ("exampleResource", "sparqlEndpoint", "uriSpace", "rootResource")}
    weight: dict[str, int] = {}
    for t in deployment.void_triples:
        if t.predicate.value in useful:
            weight[t.subject.value] = weight.get(t.subject.value, 0) + 1
    main = max(sorted(weight), key=lambda s: weight[s], default=None)

    def values(predicate: str) -> list[str]:
        return sorted(
            t.object.value
            for t in deployment.void_triples
            if t.predicate.value == VOID + predicate and t.subject.value == main
        )

    deployment.examples = values("exampleResource")
    deployment.uri_space = next(iter(values("uriSpace")), None)
    roots = values("rootResource")
    if roots:
        deployment.root = roots[0] if roots[0].endswith("/") else roots[0] + "/"
    elif deployment.uri_space:
        deployment.root = deployment.uri_space.rstrip("/").rsplit("/", 1)[0] + "/"
    endpoints = values("sparqlEndpoint")
    deployment.sparql = deployment.local(endpoints[0]) if endpoints else None
    return deployment


def namespace(iri: str) -> str:
    """The "kind" of an IRI: everything before its last path segment."""
    return iri.split("#", 1)[0].rsplit("/", 1)[0] + "/"


def sample_by_sparql(client: Client, deployment: Deployment, endpoint: str) -> list[str]:
    space = deployment.uri_space or deployment.root or ""
    query = (
        "SELECT DISTINCT ?s WHERE { ?s a ?type . FILTER(isIRI(?s) && "
        f'STRSTARTS(STR(?s), "{space}") && !CONTAINS(STR(?s), "#")) }} ORDER BY ?s LIMIT 100000'
    )
    reply = client.fetch(
        "GET",
        f"{endpoint}?query={quote(query)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    if reply.status != 200:
        return []
    try:
        rows = json.loads(reply.body)["results"]["bindings"]
    except (ValueError, KeyError):
        return []
    return [row["s"]["value"] for row in rows if "s" in row]


def sample_by_sitemap(client: Client, deployment: Deployment) -> list[str]:
    """Things from the pages a sitemap lists, by the Cool-URIs convention: the page
    ``…/doc/<kind>/<name>.html`` describes ``…/id/<kind>/<name>``."""
    reply = client.fetch("GET", f"{deployment.base}/sitemap.xml")
    if reply.status != 200 or deployment.root is None:
        return []
    text = reply.body.decode("utf-8", "replace")
    if "<sitemapindex" in text:  # a big site: its parts are sitemaps; the first is a sample
        parts = _LOC.findall(text)
        reply = client.fetch("GET", parts[0]) if parts else reply
        text = reply.body.decode("utf-8", "replace") if reply.status == 200 else ""
    found = []
    for url in _LOC.findall(text):
        path = urlsplit(url).path
        if "/doc/" in path:
            path = path.replace("/doc/", "/id/", 1).split(".", 1)[0]
            found.append(deployment.root + path.lstrip("/"))
    return found


def sample(iris: list[str], per_kind: int) -> dict[str, list[str]]:
    """Up to ``per_kind`` IRIs of each namespace (examples first, then in order)."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for iri in dict.fromkeys(iris):
        group = kinds[namespace(iri)]
        if len(group) < per_kind:
            group.append(iri)
    return dict(sorted(kinds.items()))
