"""The ASGI application, made by :func:`create_app` (no module-level state).

Documents, pages and well-known files are answered inline from prebuilt bytes; SPARQL queries
leave the event loop for a worker process with a time limit, and so do the documents the build
did not prebuild (roster entities), rendered once by a worker and then kept in memory.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Route

from twentyfive.serve import documents, pages, reconcile, search, sparql, wellknown
from twentyfive.serve.pool import QueryPool
from twentyfive.serve.site import Site

READ = ["GET", "HEAD"]


def create_app(
    dist: Path,
    *,
    query_timeout: float = 10.0,
    query_workers: int = 2,
    store: str | None = None,
    layout: str = "oxigraph",
) -> Starlette:
    """The server for the build in ``dist`` (which must exist and be valid); SPARQL queries
    go to the remote ``store`` when given (its default graph must be the union of its graphs:
    ``oxigraph serve --union-default-graph``), else to the build's own store."""
    site = Site(dist)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        pool = QueryPool(
            site.dist, size=query_workers, timeout=query_timeout, store=store, layout=layout
        )
        await pool.start()
        app.state.pool = pool
        # the documents the build left to the server (roster entities): one more worker, over
        # the build's own store whatever --store says, as for the prebuilt documents
        renderer = QueryPool(site.dist, size=1, timeout=query_timeout) if site.on_request else None
        if renderer is not None:
            await renderer.start()
        app.state.renderer = renderer
        try:
            yield
        finally:
            await pool.stop()
            if renderer is not None:
                await renderer.stop()

    routes = [
        Route("/", documents.home, methods=READ),
        Route("/id/{kind}/{slug}", documents.thing, methods=READ),
        Route("/doc/{kind}/{name}", documents.document, methods=READ),
        Route("/ontology", documents.ontology, methods=READ),
        Route("/ontology.{ext}", _ontology_file, methods=READ),
        Route("/sparql", sparql.endpoint, methods=["GET", "HEAD", "POST", "OPTIONS"]),
        Route("/query", pages.query_page, methods=READ),
        Route("/.well-known/void", wellknown.void, methods=READ),
        Route("/void", wellknown.void, methods=READ),
        Route("/robots.txt", wellknown.robots, methods=READ),
        Route("/sitemap.xml", wellknown.sitemap, methods=READ),
        Route("/sitemap-{number}.xml", wellknown.sitemap, methods=READ),
        Route("/search", search.search, methods=READ),
        Route("/reconcile", reconcile.endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/reconcile/preview", reconcile.preview, methods=READ),
        Route("/reconcile/suggest/{what}", reconcile.suggest, methods=READ),
        Route("/{path:path}", documents.build_file, methods=READ),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.site = site
    app.state.void = wellknown.void_documents(site)
    app.state.search = search.IndexLoader(site.dist)  # loads meanwhile: not to hold up the start
    return app


async def _ontology_file(request):
    request.path_params["name"] = "ontology." + request.path_params.pop("ext")
    return await documents.ontology(request)
