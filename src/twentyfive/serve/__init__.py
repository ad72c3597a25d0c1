"""``twentyfive serve``: the graph on the web (Linked Data, HTML pages, SPARQL).

:func:`create_app` makes the ASGI application; :func:`run` serves it with uvicorn, in one
process or several sharing the port.
"""

from __future__ import annotations

from twentyfive.serve.app import create_app
from twentyfive.serve.runner import run
from twentyfive.serve.site import missing_files

__all__ = ["create_app", "missing_files", "run"]
