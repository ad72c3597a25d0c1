"""Response helpers shared by the routes: caching headers, CORS, Link, error pages."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from twentyfive.documents import LICENSE
from twentyfive.html import render_error
from twentyfive.negotiation import DOCUMENT_VARIANTS, choose_language
from twentyfive.serve.site import Prebuilt, Site

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Link, ETag, Location, Content-Location, Vary",
}
CACHE_CONTROL = "public, max-age=3600"


def document_links(stem: str, *, describedby: str | None = None) -> str:
    """The ``Link`` header of a document: its alternates, licence and dataset description."""
    links = [
        f'<{stem}.{v.extension}>; rel="alternate"; type="{v.media_type}"' for v in DOCUMENT_VARIANTS
    ]
    links.append(f'<{LICENSE}>; rel="license"')
    links.append('</.well-known/void>; rel="describedby"; type="text/turtle"')
    if describedby:
        links.append(f'<{describedby}>; rel="describedby"')
    return ", ".join(links)


def send(
    request: Request,
    file: Prebuilt,
    site: Site,
    content_type: str,
    *,
    vary: str | None = None,
    link: str | None = None,
    extra: dict[str, str] | None = None,
) -> Response:
    """A prebuilt file, with ETag, Last-Modified, Cache-Control and CORS; ``304`` when the
    client's copy is current (``If-None-Match`` wins over ``If-Modified-Since``)."""
    headers = {
        "ETag": file.etag,
        "Last-Modified": site.last_modified,
        "Cache-Control": CACHE_CONTROL,
        **CORS,
    }
    if vary:
        headers["Vary"] = vary
    if link:
        headers["Link"] = link
    if extra:
        headers.update(extra)
    if not_modified(request, file.etag, site.last_modified_epoch):
        return Response(status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else file.body
    response = Response(body, headers=headers, media_type=None)
    response.headers["Content-Type"] = content_type
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(len(file.body))
    return response


def not_modified(request: Request, etag: str, last_modified: int) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(since).timestamp() >= last_modified
        except (TypeError, ValueError):
            return False
    return False


def error(
    request: Request, status: int, message: str, *, headers: dict[str, str] | None = None
) -> Response:
    """An error as an HTML page for browsers, plain text for everyone else; never empty."""
    accept = request.headers.get("accept", "")
    all_headers = {**CORS, **(headers or {})}
    if "text/html" in accept:
        language = choose_language(request.headers.get("accept-language"))
        body = render_error(status, message, language)
        media = "text/html; charset=utf-8"
    else:
        body = f"{status}: {message}\n".encode()
        media = "text/plain; charset=utf-8"
    response = Response(
        b"" if request.method == "HEAD" else body, status_code=status, headers=all_headers
    )
    response.headers["Content-Type"] = media
    return response


def redirect(location: str, *, vary: str | None = "Accept", status: int = 303) -> Response:
    headers = {"Location": location, **CORS}
    if vary:
        headers["Vary"] = vary
    return Response(
        f"See {location}\n".encode(), status_code=status, headers=headers, media_type="text/plain"
    )
