"""``/reconcile``: the Reconciliation API over HTTP (logic in :mod:`twentyfive.reconcile`).

- ``GET /reconcile``: the manifest;
- ``GET|POST /reconcile`` with ``queries=`` (URL or form field, a JSON object), or a JSON
  body holding that object: a batch; ``query=`` alone: one query (``{"result": […]}``);
  a JSON body ``{"queries": [...]}`` (a list): the 1.0 draft's batch;
- ``GET /reconcile/preview?id=``: a small HTML card;
- ``GET /reconcile/suggest/{entity,type,property}?prefix=[&type=][&cursor=]``.

Lookups in the in-memory index take well under a millisecond for this graph, but a batch
holds up to 500 queries and the full roster makes each slower: batches run on a thread, so
the event loop keeps answering other requests.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from twentyfive import reconcile
from twentyfive.serve.http import CORS, error
from twentyfive.serve.search import index_of, no_index

MAX_BODY = 1_000_000


def _json(request: Request, data: object, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    response = Response(
        b"" if request.method == "HEAD" else body, status_code=status, headers=dict(CORS)
    )
    response.headers["Content-Type"] = "application/json"
    return response


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _params(request: Request) -> tuple[dict[str, str], object | None]:
    """The URL and form parameters, and a JSON body if one was sent."""
    params = dict(parse_qsl(request.url.query, keep_blank_values=True))
    if request.method != "POST":
        return params, None
    body = await request.body()
    if len(body) > MAX_BODY:
        raise reconcile.BadQuery(f"the request body is over {MAX_BODY} bytes")
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "application/json":
        return params, _parse_json(body.decode("utf-8", "replace"), "the body")
    params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return params, None


def _parse_json(text: str, what: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as bad:
        raise reconcile.BadQuery(f"{what} is not JSON ({bad.msg} at character {bad.pos})") from None


async def endpoint(request: Request) -> Response:
    index = await index_of(request)
    if index is None:
        return no_index(request)
    try:
        params, body = await _params(request)
        if isinstance(body, dict) and isinstance(body.get("queries"), list):
            answer = await run_in_threadpool(reconcile.reconcile_draft, index, body)
            return _json(request, answer)
        if body is not None or "queries" in params:
            if body is not None:
                batch = body.get("queries", body) if isinstance(body, dict) else body
            else:
                batch = _parse_json(params["queries"], "queries")
            answer = await run_in_threadpool(reconcile.reconcile_batch, index, batch)
            return _json(request, answer)
        if params.get("query"):
            text = params["query"]
            one = _parse_json(text, "query") if text.lstrip().startswith("{") else {"query": text}
            return _json(request, {"result": reconcile.reconcile_one(index, one)})
    except reconcile.BadQuery as bad:
        return error(request, 400, str(bad))
    return _json(request, reconcile.manifest(index, _base(request)))


async def preview(request: Request) -> Response:
    index = await index_of(request)
    if index is None:
        return no_index(request)
    identifier = request.query_params.get("id", "")
    entity = index.by_id.get(reconcile.to_iri(identifier))
    if entity is None:
        return error(request, 404, f"no entity has the id {identifier!r}")
    description = entity.description.get("en") or next(iter(entity.description.values()), "")
    names = sorted({n[0] for n in entity.names} - {entity.label()})
    types = ", ".join(reconcile.type_name(index, t) for t in entity.types)
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(entity.label())}</title></head>"
        '<body style="font-family:system-ui,sans-serif;font-size:14px;margin:.5rem">'
        f'<p><a href="{escape(entity.path)}" target="_blank"><strong>{escape(entity.label())}'
        f"</strong></a> <small>{escape(types)}</small></p>"
        + (f"<p>{escape(' · '.join(names))}</p>" if names else "")
        + (f"<p>{escape(description)}</p>" if description else "")
        + f"<p><small>{escape(entity.id)}</small></p></body></html>"
    )
    response = Response(
        b"" if request.method == "HEAD" else body.encode("utf-8"), headers=dict(CORS)
    )
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


async def suggest(request: Request) -> Response:
    index = await index_of(request)
    if index is None:
        return no_index(request)
    what = request.path_params["what"]
    prefix = request.query_params.get("prefix", "")
    try:
        cursor = max(0, int(request.query_params.get("cursor", "0")))
        limit = max(1, min(100, int(request.query_params.get("limit", "10"))))
        kinds, types = reconcile.parse_types(request.query_params.getlist("type") or None)
    except (ValueError, reconcile.BadQuery) as bad:
        return error(request, 400, f"bad parameter: {bad}")
    if what == "entity":
        found = reconcile.suggest_entities(index, prefix, kinds, types, cursor + limit)
    elif what == "type":
        found = reconcile.suggest_vocabulary(index, index.types, prefix, cursor + limit)
    elif what == "property":
        found = reconcile.suggest_vocabulary(index, index.properties, prefix, cursor + limit)
    else:
        return error(request, 404, "suggest services: entity, type, property")
    return _json(request, {"result": found[cursor:]})
