"""The Linked Data checklist, over HTTP only: each check gives one :class:`Result` line.

Per sampled thing (per namespace of IRIs): ``303`` to a document, ``Vary: Accept``, each
format (negotiated, parses, describes the IRI), ``ETag``/``304``, ``HEAD``, CORS, ``Link``;
per namespace: ``404`` for an unknown IRI, ``406`` for an unacceptable type; the VoID
description; the SPARQL protocol (``GET``, ``POST`` form, ``POST`` direct, each result
format, ``CONSTRUCT``), read-only, ``SERVICE`` refused, and (optional) the time limit.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from twentyfive import formats
from twentyfive.check import discover
from twentyfive.check.client import Client, Reply

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
HTML = "text/html"
#: What a client may ask a thing for: every RDF format of one graph, and HTML.
DOCUMENT_TYPES = [(f.label, f.media_type) for f in formats.TRIPLE_FORMATS] + [("HTML", HTML)]
MARKER = "urn:twentyfive-check:update-marker"
HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass(frozen=True)
class Result:
    check: str  # a short, stable name: "303", "vary", "format Turtle", "sparql GET" …
    subject: str  # what was checked (a path on the deployment)
    status: str  # PASS, FAIL or SKIP
    request: str  # what was asked
    response: str  # what came back
    fix: str = ""  # what to change (failures)


@dataclass
class Options:
    base: str
    sample: int = 1
    sparql: bool = True
    heavy_query: bool = False
    timeout: float = 30.0


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Checker:
    def __init__(self, options: Options, client: Client | None = None):
        self.options = options
        self.base = options.base.rstrip("/")
        self.client = client or Client(timeout=options.timeout)
        self.results: list[Result] = []

    # --- recording ---------------------------------------------------------------------

    def record(
        self, check: str, subject: str, ok: bool | None, request: str, reply: str, fix: str
    ) -> bool:
        status = SKIP if ok is None else PASS if ok else FAIL
        self.results.append(Result(check, subject, status, request, reply, "" if ok else fix))
        return bool(ok)

    def get(self, url: str, accept: str | None = None, **headers: str) -> Reply:
        sent = {"Accept": accept} if accept else {}
        return self.client.fetch("GET", url, headers={**sent, **headers})

    # --- the run -----------------------------------------------------------------------

    def run(self) -> list[Result]:
        deployment = discover.read_void(self.client, self.base)
        void_url = f"{self.base}/.well-known/void"
        self.record(
            "void", "/.well-known/void", deployment.void_error is None,
            f"GET {void_url} (Accept: text/turtle)",
            deployment.void_error or f"{deployment.void.summary()}, "
            f"{len(deployment.void_triples)} triples",
            "publish a VoID description of the dataset at /.well-known/void (RFC 8615), "
            "with void:exampleResource, void:uriSpace and void:sparqlEndpoint",
        )  # fmt: skip
        if deployment.void is not None and deployment.void.status == 0:
            return self.results  # nothing answers there: no point in going on
        endpoint = self.sparql_endpoint(deployment)
        iris = list(deployment.examples)
        if endpoint:
            iris += discover.sample_by_sparql(self.client, deployment, endpoint)
        if len(iris) <= len(deployment.examples):
            iris += discover.sample_by_sitemap(self.client, deployment)
        kinds = discover.sample(iris, self.options.sample)
        self.record(
            "sample", "/", bool(kinds), "void:exampleResource, SPARQL, /sitemap.xml",
            f"{sum(map(len, kinds.values()))} things in {len(kinds)} namespaces",
            "list things to check: void:exampleResource in /.well-known/void, a SPARQL "
            "endpoint, or /sitemap.xml",
        )  # fmt: skip
        for kind, members in kinds.items():
            for iri in members:
                self.check_thing(deployment, iri)
            self.check_unknown(deployment, kind)
            self.check_not_acceptable(deployment, members[0])
        if endpoint:
            self.check_sparql(endpoint)
        return self.results

    def sparql_endpoint(self, deployment: discover.Deployment) -> str | None:
        """The endpoint to check, or ``None`` (recorded as SKIP: off, or none there)."""
        url = deployment.sparql or f"{self.base}/sparql"
        if not self.options.sparql:
            self.record("sparql", _path(url), None, "--no-sparql", "not checked", "")
            return None
        reply = self.get(f"{url}?query={quote('ASK {}')}", "application/sparql-results+json")
        if reply.status in (0, 404, 405, 501):
            self.record(
                "sparql",
                _path(url),
                None,
                f"GET {url}?query=ASK {{}}",
                f"no endpoint ({reply.summary()})",
                "",
            )
            return None
        return url

    # --- things --------------------------------------------------------------------------

    def check_thing(self, deployment: discover.Deployment, iri: str) -> None:
        url = deployment.local(iri)
        subject = _path(url)
        first = self.get(url, "text/turtle")
        request = f"GET {url} (Accept: text/turtle)"
        self.record(
            "303", subject, first.status == 303 and first.location() is not None, request,
            first.summary(),
            "answer GET on a thing's IRI with 303 See Other and a Location: the document "
            "about it (Cool URIs for the Semantic Web)",
        )  # fmt: skip
        vary = {v.strip().lower() for v in (first.header("vary") or "").split(",")}
        self.record(
            "vary", subject, "accept" in vary or "*" in vary, request,
            f"Vary: {first.header('vary') or '(none)'}",
            "send Vary: Accept with every answer chosen by Accept, or caches will hand out "
            "the wrong format",
        )  # fmt: skip
        document = None
        for label, media_type in DOCUMENT_TYPES:
            final = self.check_format(iri, url, label, media_type)
            if label == "Turtle":
                document = final
        if document is not None and document.status == 200:
            self.check_document(document)

    def follow(self, url: str, accept: str) -> tuple[Reply, list[str]]:
        reply, hops = self.get(url, accept), []
        while 300 <= reply.status < 400 and reply.location() and len(hops) < 5:
            hops.append(f"{reply.status} → {_path(reply.location())}")
            reply = self.get(reply.location(), accept)
        return reply, hops

    def check_format(self, iri: str, url: str, label: str, media_type: str) -> Reply:
        reply, hops = self.follow(url, media_type)
        request = f"GET {url} (Accept: {media_type})"
        got = ", ".join([*hops, reply.summary()])
        fix = ""
        if reply.status != 200:
            fix = f"serve a document in {label} to clients that accept only {media_type}"
        elif reply.media_type != media_type:
            fix = f"label the {label} document Content-Type: {media_type}"
        elif media_type == HTML:
            text = reply.body.decode("utf-8", "replace")
            if "<html" not in text.lower() or iri not in text:
                fix = f"the HTML page should be an HTML document that names {iri}"
        else:
            try:
                triples = discover.parse_rdf(reply, formats.by_media_type(media_type))
            except ValueError as failure:
                fix, got = "serve a document that parses", f"{got}; {failure}"
            else:
                if not any(t.subject.value == iri for t in triples if hasattr(t.subject, "value")):
                    fix = f"the document should describe {iri} (no triple has it as subject)"
                got = f"{got}, {len(triples)} triples"
        self.record(f"format {label}", _path(url), not fix, request, got, fix)
        return reply

    def check_document(self, document: Reply) -> None:
        url, subject = document.url, _path(document.url)
        etag = document.header("etag")
        if etag is None:
            self.record(
                "etag",
                subject,
                False,
                f"GET {url}",
                "no ETag",
                "send an ETag with documents so clients can revalidate (304)",
            )
        else:
            again = self.get(url, document.media_type, **{"If-None-Match": etag})
            self.record(
                "etag", subject, again.status == 304, f"GET {url} (If-None-Match: {etag})",
                again.summary(), "answer 304 Not Modified when If-None-Match names the ETag",
            )  # fmt: skip
        head = self.client.fetch("HEAD", url, headers={"Accept": document.media_type})
        head_ok = head.status == 200 and head.body == b"" and head.media_type == document.media_type
        self.record(
            "head",
            subject,
            head_ok,
            f"HEAD {url}",
            f"{head.summary()}, {len(head.body)} body bytes",
            "answer HEAD like GET, with the same headers and no body",
        )
        origin = document.header("access-control-allow-origin")
        self.record(
            "cors",
            subject,
            origin == "*",
            f"GET {url}",
            f"Access-Control-Allow-Origin: {origin or '(none)'}",
            "send Access-Control-Allow-Origin: * so web applications can read the data",
        )
        link = (document.header("link") or "").lower()
        self.record(
            "link", subject, 'rel="alternate"' in link or 'rel="describedby"' in link,
            f"GET {url}", f"Link: {_shorten(document.header('link') or '(none)')}",
            'send a Link header naming the other formats (rel="alternate") and the dataset '
            '(rel="describedby")',
        )  # fmt: skip

    def check_unknown(self, deployment: discover.Deployment, kind: str) -> None:
        url = deployment.local(kind + "no-such-thing-twentyfive-check")
        reply = self.get(url, "text/turtle")
        self.record(
            "404",
            _path(url),
            reply.status == 404,
            f"GET {url}",
            reply.summary(),
            "answer 404 Not Found for IRIs that name nothing (never 200 or a redirect)",
        )

    def check_not_acceptable(self, deployment: discover.Deployment, iri: str) -> None:
        url = deployment.local(iri)
        reply = self.get(url, "image/png")
        self.record(
            "406",
            _path(url),
            reply.status == 406,
            f"GET {url} (Accept: image/png)",
            reply.summary(),
            "answer 406 Not Acceptable when no format is acceptable",
        )

    # --- SPARQL ----------------------------------------------------------------------------

    def check_sparql(self, endpoint: str) -> None:
        subject = _path(endpoint)
        ask, json_type = "ASK { ?s ?p ?o }", "application/sparql-results+json"
        ways: list[tuple[str, str, Callable[[], Reply]]] = [
            ("sparql GET", f"GET {endpoint}?query=…",
             lambda: self.get(f"{endpoint}?query={quote(ask)}", json_type)),
            ("sparql POST form", f"POST {endpoint} query=… (form)",
             lambda: self.client.fetch("POST", endpoint, body=urlencode({"query": ask}).encode(),
                                       headers={"Content-Type": "application/x-www-form-urlencoded",
                                                "Accept": json_type})),
            ("sparql POST direct", f"POST {endpoint} (application/sparql-query)",
             lambda: self.client.fetch("POST", endpoint, body=ask.encode(),
                                       headers={"Content-Type": "application/sparql-query",
                                                "Accept": json_type})),
        ]  # fmt: skip
        for name, request, send in ways:
            reply = send()
            ok = reply.status == 200 and reply.media_type == json_type and _boolean(reply) is True
            self.record(
                name,
                subject,
                ok,
                f"{request} {ask}",
                reply.summary(),
                "support the SPARQL 1.1 Protocol: GET, POST form-encoded and POST "
                "application/sparql-query, answering ASK in JSON",
            )
        select = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
        for result in formats.RESULT_FORMATS:
            reply = self.get(f"{endpoint}?query={quote(select)}", result.media_type)
            ok = (
                reply.status == 200
                and reply.media_type == result.media_type
                and _parses(reply, result.name)
            )
            self.record(
                f"sparql results {result.name}",
                subject,
                ok,
                f"GET {endpoint}?query=SELECT… (Accept: {result.media_type})",
                reply.summary(),
                f"answer SELECT as {result.media_type} when asked",
            )
        construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
        reply = self.get(f"{endpoint}?query={quote(construct)}", "text/turtle")
        try:
            ok = reply.status == 200 and len(discover.parse_rdf(reply, formats.TURTLE)) > 0
        except ValueError:
            ok = False
        self.record(
            "sparql CONSTRUCT",
            subject,
            ok,
            f"GET {endpoint}?query=CONSTRUCT… (Accept: text/turtle)",
            reply.summary(),
            "answer CONSTRUCT in Turtle",
        )
        self.check_read_only(endpoint)
        service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        reply = self.get(f"{endpoint}?query={quote(service)}", json_type)
        self.record(
            "sparql SERVICE refused",
            subject,
            400 <= reply.status < 500,
            f"GET {endpoint}?query={service}",
            reply.summary(),
            "refuse SERVICE (4xx): a public endpoint must not fetch from other servers",
        )
        if self.options.heavy_query:
            self.check_time_limit(endpoint)

    def check_read_only(self, endpoint: str) -> None:
        update = f"INSERT DATA {{ <{MARKER}> <{MARKER}> <{MARKER}> }}"
        tries = [
            self.client.fetch("POST", endpoint, body=update.encode(),
                              headers={"Content-Type": "application/sparql-update"}),
            self.client.fetch("POST", endpoint, body=urlencode({"update": update}).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"}),
        ]  # fmt: skip
        probe = self.get(
            f"{endpoint}?query={quote(f'ASK {{ <{MARKER}> ?p ?o }}')}",
            "application/sparql-results+json",
        )
        stored = _boolean(probe) is True
        refused = all(400 <= t.status < 500 for t in tries)
        got = ", ".join(t.summary() for t in tries) + ("; the triple was stored" if stored else "")
        self.record(
            "sparql read-only",
            _path(endpoint),
            refused and not stored,
            f"POST {endpoint} INSERT DATA (sparql-update, then form update=)",
            got,
            "refuse SPARQL Update (403) on a public endpoint",
        )

    def check_time_limit(self, endpoint: str) -> None:
        reply = self.get(
            f"{endpoint}?query={quote(HEAVY_QUERY)}", "application/sparql-results+json"
        )
        request = f"GET {endpoint}?query={HEAVY_QUERY}"
        if reply.status == 200:
            self.record(
                "sparql time limit",
                _path(endpoint),
                None,
                request,
                f"finished in {reply.elapsed:.1f} s: not heavy enough for this data",
                "",
            )
            return
        self.record(
            "sparql time limit",
            _path(endpoint),
            reply.status >= 400,
            request,
            f"{reply.summary()} after {reply.elapsed:.1f} s",
            "stop queries after a time limit and answer 503 (or another error)",
        )


def _shorten(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _boolean(reply: Reply) -> bool | None:
    try:
        value = json.loads(reply.body).get("boolean")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, bool) else None


def _parses(reply: Reply, name: str) -> bool:
    text = reply.body.decode("utf-8", "replace")
    try:
        if name == "json":
            return "s" in json.loads(text)["head"]["vars"]
        if name == "xml":
            return ET.fromstring(text).tag.endswith("sparql")
    except (ValueError, KeyError, TypeError, ET.ParseError):
        return False
    first = text.splitlines()[0].strip() if text else ""
    return first == ("s" if name == "csv" else "?s")
