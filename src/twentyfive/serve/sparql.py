"""``/sparql``: the SPARQL 1.1 Protocol, read-only, off the event loop, with a time limit.

- query by ``GET ?query=``, ``POST`` form-encoded, ``POST application/sparql-query``;
  ``default-graph-uri`` and ``named-graph-uri`` (repeatable);
- results negotiated: JSON, XML, CSV, TSV for SELECT/ASK; Turtle, JSON-LD, N-Triples,
  RDF/XML for CONSTRUCT/DESCRIBE (``format=`` overrides ``Accept`` when it names one);
- ``GET`` without a query: the service description (``sd:Service``, Turtle);
- refused before evaluation: updates (``403``), ``SERVICE`` (``403``), queries over
  :data:`MAX_QUERY` characters (``413``), unknown parameters (``400``);
- every query runs in a worker process and is stopped after the time limit (``503``).
  No result cap: a result is complete or an error.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from twentyfive import negotiation
from twentyfive.namespaces import DATASET_IRI
from twentyfive.serve import guard
from twentyfive.serve.http import CORS, error
from twentyfive.serve.pool import QueryTimeout, WorkerFailed

MAX_QUERY = 100_000
GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")
#: Parameters clients send to pick the result format (SPARQLWrapper sends all three).
FORMAT_PARAMETERS = ("format", "output", "results")
KNOWN = ("query", *GRAPH_PARAMETERS, *FORMAT_PARAMETERS)


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


async def read_request(request: Request) -> list[tuple[str, str]]:
    """Every parameter of the request (URL and body), with the body's query as ``query``."""
    params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        body = await _read_body(request, MAX_QUERY * 4)
        if media == "application/sparql-update":
            raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if media == "application/x-www-form-urlencoded":
            params += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        elif media == "application/sparql-query":
            params.append(("query", body.decode("utf-8", "replace")))
        else:
            raise Refused(
                415,
                "POST a query as application/sparql-query or as "
                "application/x-www-form-urlencoded (query=…)",
            )
    return params


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, read no further than ``limit`` bytes (then ``413``)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"the request body is over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"the request body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def check(params: list[tuple[str, str]]) -> tuple[str, dict[str, list[str]], str | None]:
    """The query, the dataset parameters and a format hint; :class:`Refused` otherwise."""
    names = {name for name, _ in params}
    if "update" in names:
        raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
    unknown = sorted(names - set(KNOWN))
    if unknown:
        raise Refused(
            400,
            f"unknown parameter(s) {', '.join(unknown)}; this endpoint takes " + ", ".join(KNOWN),
        )
    queries = [value for name, value in params if name == "query"]
    if len(queries) != 1:
        raise Refused(400, "give exactly one query (the 'query' parameter)")
    query = queries[0]
    if len(query) > MAX_QUERY:
        raise Refused(413, f"the query is {len(query)} characters long; the limit is {MAX_QUERY}")
    keyword = guard.update_keyword(query)
    if keyword:
        raise Refused(403, f"this endpoint is read-only: {keyword} is a SPARQL Update operation")
    if guard.uses_service(query):
        raise Refused(
            403, "SERVICE (federated query) is not allowed: this endpoint never reaches the network"
        )
    graphs = {name: [v for n, v in params if n == name] for name in GRAPH_PARAMETERS}
    hint = None
    for name, value in params:
        if name in FORMAT_PARAMETERS and hint is None:
            variant = next(
                (
                    v
                    for v in (*negotiation.RESULT_VARIANTS, *negotiation.RDF_VARIANTS)
                    if value.lower() in (v.name, v.extension, *v.media_types)
                ),
                None,
            )
            if variant is None:
                variant = negotiation.variant_for_format(value)
            if variant is not None and variant is not negotiation.HTML:
                hint = variant.media_type
    return query, graphs, hint


async def run(request: Request, params: list[tuple[str, str]], accept: str | None):
    """Check and run a query; a ``Reply`` from the worker, or raises :class:`Refused`."""
    query, graphs, hint = check(params)
    if hint:
        accept = f"{hint}, */*;q=0.1"
    try:
        return await request.app.state.pool.run(
            {
                "query": query,
                "accept": accept,
                "default_graphs": graphs["default-graph-uri"],
                "named_graphs": graphs["named-graph-uri"],
            }
        )
    except QueryTimeout as timeout:
        raise Refused(503, str(timeout)) from None
    except WorkerFailed as failed:
        raise Refused(500, str(failed)) from None


async def endpoint(request: Request) -> Response:
    if request.method == "OPTIONS":  # CORS preflight, for POST with a SPARQL body
        return Response(
            status_code=204,
            headers={
                **CORS,
                "Access-Control-Allow-Methods": "GET, HEAD, POST",
                "Access-Control-Allow-Headers": "Accept, Content-Type",
                "Access-Control-Max-Age": "86400",
            },
        )
    try:
        params = await read_request(request)
        if request.method in ("GET", "HEAD") and not params:
            return service_description(request)
        reply = await run(request, params, request.headers.get("accept"))
    except Refused as refused:
        return error(request, refused.status, str(refused))
    headers = {
        **CORS,
        "Vary": "Accept",
        "Cache-Control": "no-cache",
        "X-Query-Timeout": f"{request.app.state.pool.timeout:g}",
    }
    body = b"" if request.method == "HEAD" else reply.body
    response = Response(body, status_code=reply.status, headers=headers)
    response.headers["Content-Type"] = reply.content_type
    return response


def service_description(request: Request) -> Response:
    endpoint_iri = str(request.url.replace(query="", fragment=""))
    results = "".join(
        f"    sd:resultFormat <http://www.w3.org/ns/formats/{name}> ;\n"
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "JSON-LD",
            "N-Triples",
            "RDF_XML",
        )
    )
    text = (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        f"<{endpoint_iri}> a sd:Service ;\n"
        f"    sd:endpoint <{endpoint_iri}> ;\n"
        "    sd:supportedLanguage sd:SPARQL11Query ;\n"
        f"{results}"
        "    sd:feature sd:UnionDefaultGraph ;\n"
        "    sd:defaultDataset [ a sd:Dataset ;\n"
        "        sd:defaultGraph [ a sd:Graph ; void:inDataset "
        f"<{DATASET_IRI}> ] ] .\n"
    )
    headers = {**CORS, "Cache-Control": "public, max-age=3600"}
    body = b"" if request.method == "HEAD" else text.encode("utf-8")
    response = Response(body, headers=headers)
    response.headers["Content-Type"] = "text/turtle; charset=utf-8"
    return response
