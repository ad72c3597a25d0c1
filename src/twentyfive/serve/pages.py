"""``/query``: a form for people, with the example queries; results as a table."""

from __future__ import annotations

import json
from urllib.parse import quote

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from twentyfive import html
from twentyfive.negotiation import choose_language
from twentyfive.publish.documents import query_links
from twentyfive.serve import sparql
from twentyfive.serve.http import CORS

_TABLE_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


async def query_page(request: Request) -> Response:
    language = choose_language(request.headers.get("accept-language"))
    text = request.query_params.get("query", "")
    table = error = raw = None
    if text:
        raw = "/sparql?query=" + quote(text, safe="")
        try:
            reply = await sparql.run(request, [("query", text)], _TABLE_ACCEPT)
        except sparql.Refused as refused:
            error = str(refused)
        else:
            if reply.status != 200:
                error = reply.body.decode("utf-8", "replace")
            else:
                table = _table(reply.content_type, reply.body, language)
    body = html.render_query_page(
        language,
        queries=query_links(request.app.state.site.queries),
        query=text,
        table=table,
        error=error,
        raw_link=raw,
    )
    status = 200 if error is None else 400
    response = Response(
        body,
        status_code=status,
        headers={**CORS, "Vary": "Accept-Language", "Content-Language": language},
    )
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


def _table(content_type: str, body: bytes, language: str) -> dict[str, object]:
    if content_type.startswith("application/n-triples"):
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        rows = [
            [
                html.cell(t.subject, {}, language),
                html.cell(t.predicate, {}, language),
                html.cell(t.object, {}, language),
            ]
            for t in triples
        ]
        return {"head": ["subject", "predicate", "object"], "rows": rows}
    data = json.loads(body)
    if "boolean" in data:
        return {"head": ["answer"], "rows": [[html.Cell(str(data["boolean"]).lower())]]}
    names = data["head"]["vars"]
    rows = [[_binding(row.get(name)) for name in names] for row in data["results"]["bindings"]]
    return {"head": names, "rows": rows}


def _binding(value: dict[str, str] | None) -> html.Cell:
    if value is None:
        return html.Cell("")
    if value["type"] == "uri":
        return html.Cell(html.compact(value["value"]), html.href(value["value"]))
    return html.Cell(value["value"])
