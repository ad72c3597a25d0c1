"""Routes for things and documents: ``/id/…`` (303), ``/doc/…``, ``/ontology``, ``/``, and
the other files of the build (dumps, charts). Answered inline from prebuilt bytes; the
documents of roster entities, which the build lists but does not prebuild, are rendered by a
worker process on the first request and then answered the same way."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from twentyfive import negotiation
from twentyfive.namespaces import BASE, ID, KINDS, SLUG_PATTERN
from twentyfive.negotiation import FILE_TYPES, HTML, LANGUAGES, Variant, html_file_name
from twentyfive.serve.http import document_links, error, redirect, send
from twentyfive.serve.site import Site

_DOC_NAME = re.compile(rf"^({SLUG_PATTERN})(?:\.(?:({'|'.join(LANGUAGES)})\.)?([a-z]+))?$")
NOT_ACCEPTABLE = (
    "none of the media types in Accept is available; this document exists as "
    + ", ".join(f"{v.media_type} (.{v.extension})" for v in negotiation.DOCUMENT_VARIANTS)
)


def site_of(request: Request) -> Site:
    return request.app.state.site


async def thing(request: Request) -> Response:
    """``GET /id/<kind>/<slug>``: ``303 See Other`` to the negotiated document."""
    site = site_of(request)
    kind, slug = request.path_params["kind"], request.path_params["slug"]
    changed = moved_or_gone(request, site, f"{ID}{kind}/{slug}")
    if changed is not None:
        return changed
    if kind not in KINDS or not site.has_entity(kind, slug):
        return not_found(request)
    location = negotiation.see_other(kind, slug, request.headers.get("accept"))
    if location is None:
        return error(request, 406, NOT_ACCEPTABLE, headers={"Vary": "Accept"})
    return redirect(location)


async def document(request: Request) -> Response:
    """``/doc/<kind>/<slug>[.<ext>]`` and ``?format=``."""
    site = site_of(request)
    kind, name = request.path_params["kind"], request.path_params["name"]
    match = _DOC_NAME.match(name)
    if match is not None and f"{ID}{kind}/{match.group(1)}" in site.gone:
        return moved_or_gone(request, site, f"{ID}{kind}/{match.group(1)}")
    if kind not in KINDS or match is None or not site.has_entity(kind, match.group(1)):
        return not_found(request)
    slug, language, extension = match.groups()
    if site.needs_rendering(kind, slug):
        failed = await render_on_request(request, site, kind, slug)
        if failed is not None:
            return failed
    stem = f"/doc/{kind}/{slug}"
    return answer(request, site, stem, extension, language, link=document_links(stem))


async def render_on_request(request: Request, site: Site, kind: str, slug: str) -> Response | None:
    """Have a worker render the document of a roster entity; an error response if it could not."""
    from twentyfive.serve.pool import QueryTimeout, WorkerFailed
    from twentyfive.serve.worker import unpack_files

    try:
        reply = await request.app.state.renderer.run({"document": f"{ID}{kind}/{slug}"})
    except (QueryTimeout, WorkerFailed) as failure:
        return error(request, 503, f"the document could not be rendered now ({failure}); try again")
    if reply.status != 200:
        return error(request, reply.status, reply.body.decode("utf-8", "replace"))
    site.add_rendered(kind, unpack_files(reply.body))
    return None


async def ontology(request: Request) -> Response:
    """``/ontology``: 303 to the negotiated variant; ``/ontology.<ext>`` the variant itself."""
    name = request.path_params.get("name")
    if name is None:
        variant = negotiation.document_variant(request.headers.get("accept"))
        if variant is None:
            return error(request, 406, NOT_ACCEPTABLE, headers={"Vary": "Accept"})
        return redirect(f"/ontology.{variant.extension}")
    match = _DOC_NAME.match(name)
    if match is None or match.group(1) != "ontology":
        return not_found(request)
    return answer(
        request,
        site_of(request),
        "/ontology",
        match.group(3),
        match.group(2),
        link=document_links("/ontology"),
    )


def answer(
    request: Request,
    site: Site,
    stem: str,
    extension: str | None,
    language: str | None,
    *,
    link: str | None,
) -> Response:
    """The variant named by the extension or ``?format=``, else negotiated (``Vary``)."""
    vary = None
    fmt = request.query_params.get("format")
    if extension is not None:
        variant = negotiation.variant_for_extension(extension)
    elif fmt is not None:
        variant = negotiation.variant_for_format(fmt)
        if variant is None:
            return error(
                request,
                400,
                f"unknown format {fmt!r}; use one of "
                + ", ".join(v.name for v in negotiation.DOCUMENT_VARIANTS),
            )
    else:
        variant = negotiation.document_variant(request.headers.get("accept"))
        vary = "Accept"
        if variant is None:
            return error(request, 406, NOT_ACCEPTABLE, headers={"Vary": "Accept"})
    if variant is None or (language is not None and variant is not HTML):
        return not_found(request)
    return send_variant(request, site, stem, variant, language, vary=vary, link=link)


def send_variant(
    request: Request,
    site: Site,
    stem: str,
    variant: Variant,
    language: str | None,
    *,
    vary: str | None,
    link: str | None,
) -> Response:
    extra = None
    if variant is HTML:
        if language is None:
            language = negotiation.choose_language(request.headers.get("accept-language"))
            vary = f"{vary}, Accept-Language" if vary else "Accept-Language"
        folder, _, name = stem.rpartition("/")
        relative = f"{folder}/{html_file_name(name, language)}".lstrip("/")
        if site.file(relative) is None and language != LANGUAGES[0]:
            language = LANGUAGES[0]  # a page written in one language only (the ontology's)
            relative = f"{folder}/{html_file_name(name, language)}".lstrip("/")
        extra = {"Content-Language": language}
    else:
        relative = f"{stem}.{variant.extension}".lstrip("/")
    file = site.file(relative)
    if file is None:
        return not_found(request)
    if vary == "Accept" or (vary and vary.startswith("Accept,")):
        extra = {**(extra or {}), "Content-Location": "/" + relative}
    return send(request, file, site, variant.content_type, vary=vary, link=link, extra=extra)


async def home(request: Request) -> Response:
    site = site_of(request)
    return send_variant(request, site, "/index", HTML, None, vary=None, link=None)


async def build_file(request: Request) -> Response:
    """Any other file of the build (dumps, checksums, charts), by its path in ``dist/``."""
    site = site_of(request)
    relative = request.url.path.lstrip("/")
    extension = relative.rsplit(".", 1)[-1] if "." in relative else ""
    if relative == "SHA256SUMS":
        extension = "txt"
    folder, _, name = relative.rpartition("/")
    explicit = negotiation.explicit_language_file(name)
    if explicit is not None:  # a page in a language chosen by the reader: index.en.html
        relative = f"{folder}/{explicit}" if folder else explicit
    content_type = FILE_TYPES.get(extension)
    file = site.file(relative) if content_type else None
    if file is None:
        return not_found(request)
    return send(request, file, site, content_type)


def moved_or_gone(request: Request, site: Site, iri: str) -> Response | None:
    """``301`` to where a merged entity lives now, ``410`` for one that left the graph
    (``dist/redirects.json``); ``None`` for everything else."""
    if iri in site.moved:
        target = site.moved[iri]
        location = "/" + target[len(BASE) :] if target.startswith(BASE) else target
        return redirect(location, vary=None, status=301)
    if iri in site.gone:
        return error(
            request,
            410,
            f"{iri} is no longer in the graph: it was removed after a "
            "release (the releases that held it are kept under /releases/)",
        )
    return None


def not_found(request: Request) -> Response:
    return error(
        request,
        404,
        f"nothing is published at {request.url.path}. Things live at /id/<kind>/<slug> "
        f"(kinds: {', '.join(KINDS)}); the home page / lists what the graph holds, and /sparql "
        "answers queries.",
    )
