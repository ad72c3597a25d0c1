"""``/search``: names of entities, as JSON or as an HTML results page (negotiated).

``q`` the text; ``type`` a kind (``person``) or a class IRI/CURIE, repeatable;
``autocomplete=1`` treats the last word as a prefix; ``limit`` (1–100, default 10).
The index is ``dist/search.json``, loaded into SQLite FTS5 on a thread of its own as the app
starts (about 7 s for the 55,000 entities of a roster of 27,519 people): the server answers
everything else meanwhile, and a search asked before the index is ready waits for it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from twentyfive import html, negotiation
from twentyfive.namespaces import KINDS
from twentyfive.publish.search import SEARCH_FILE
from twentyfive.reconcile import BadQuery, parse_types
from twentyfive.search.index import SearchIndex
from twentyfive.serve.http import CORS, error

MAX_QUERY = 500
JSON = negotiation.Variant("json", "JSON", ("application/json",), "json", "application/json")
WORDS = {
    "en": {"title": "Search", "search": "Search", "kind": "Kind", "any_kind": "any kind"},
    "ru": {"title": "Поиск", "search": "Найти", "kind": "Вид", "any_kind": "любой вид"},
}


def load_index(dist: Path) -> SearchIndex | None:
    path = dist / SEARCH_FILE
    return SearchIndex.from_file(path) if path.is_file() else None


class IndexLoader:
    """The search index of a build, loading on a thread of its own from the moment this is made."""

    def __init__(self, dist: Path):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index")
        self.future: Future[SearchIndex | None] = self._pool.submit(load_index, dist)
        self._pool.shutdown(wait=False)  # the thread ends once the index is loaded
        self._said = False

    async def ready(self) -> SearchIndex | None:
        """The index once loaded; None when the build has none, or it could not be read (said
        once on standard error: the server goes on without search)."""
        try:
            return await asyncio.wrap_future(self.future)
        except (OSError, ValueError, KeyError, TypeError) as failure:
            if not self._said:
                self._said = True
                print(f"error: cannot load the search index {SEARCH_FILE}: {failure!r}; "
                      "rebuild with 'twentyfive build'", file=sys.stderr)
            return None


async def index_of(request: Request) -> SearchIndex | None:
    """The app's search index (waiting for it while it loads); None when the build has none."""
    return await request.app.state.search.ready()


def no_index(request: Request) -> Response:
    return error(
        request, 503, f"this build has no usable {SEARCH_FILE}: rebuild it with 'twentyfive build'"
    )


def limit_of(request: Request) -> int:
    try:
        return max(1, min(100, int(request.query_params.get("limit", "10"))))
    except ValueError:
        raise BadQuery("limit must be a whole number from 1 to 100") from None


async def search(request: Request) -> Response:
    index = await index_of(request)
    if index is None:
        return no_index(request)
    chosen = request.query_params.get("format")
    if chosen in ("json", "html"):
        variant = JSON if chosen == "json" else negotiation.HTML
    else:
        variant = negotiation.choose(request.headers.get("accept"), (JSON, negotiation.HTML))
    if variant is None:
        return error(
            request,
            406,
            "/search answers application/json or text/html",
            headers={"Vary": "Accept"},
        )
    text = request.query_params.get("q", "")
    if len(text) > MAX_QUERY:
        return error(request, 400, f"q is {len(text)} characters long; the limit is {MAX_QUERY}")
    type_values = request.query_params.getlist("type")
    try:
        kinds, types = parse_types([t for t in type_values if t])
        limit = limit_of(request)
    except BadQuery as bad:
        return error(request, 400, str(bad))
    prefix = request.query_params.get("autocomplete") in ("1", "true", "yes")
    hits = index.search(text, kinds=kinds, types=types, limit=limit, prefix=prefix) if text else []
    language = negotiation.choose_language(request.headers.get("accept-language"))
    rows = [
        {
            "id": h.entity.id,
            "path": h.entity.path,
            "kind": h.entity.kind,
            "label": h.entity.label(language),
            "matched": h.name,
            "score": h.score,
            "exact": h.exact,
            "types": list(h.entity.types),
            **(
                {"description": d}
                if (d := h.entity.description.get(language) or h.entity.description.get("en"))
                else {}
            ),
        }
        for h in hits
    ]
    headers = {**CORS, "Vary": "Accept, Accept-Language", "Cache-Control": "public, max-age=3600"}
    if variant is JSON:
        body = json.dumps({"query": text, "results": rows}, ensure_ascii=False, indent=1).encode()
        content_type = JSON.content_type
    else:
        query = {k: v for k, v in request.query_params.items()}
        body = html.render_page(
            "search.html",
            language,
            title=WORDS[language]["title"],
            s=WORDS[language],
            query=text,
            kinds=KINDS,
            kind_selected=type_values[0] if type_values else "",
            hits=rows,
            json_link="/search?" + urlencode({**query, "format": "json"}),
        )
        headers["Content-Language"] = language
        content_type = negotiation.HTML.content_type
    response = Response(b"" if request.method == "HEAD" else body, headers=headers)
    response.headers["Content-Type"] = content_type
    return response
