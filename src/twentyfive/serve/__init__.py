"""``twentyfive serve``: the graph on the web (Linked Data, HTML pages, SPARQL).

:func:`create_app` makes the ASGI application; :func:`run` serves it with uvicorn.
"""

from __future__ import annotations

from pathlib import Path

from twentyfive.serve.app import create_app

__all__ = ["create_app", "run"]


def run(dist: Path, host: str, port: int, *, query_timeout: float, query_workers: int) -> None:
    """Serve the build in ``dist`` until interrupted."""
    import uvicorn

    app = create_app(dist, query_timeout=query_timeout, query_workers=query_workers)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning",
                server_header=False)
