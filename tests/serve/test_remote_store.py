"""``twentyfive serve --store URL``: SPARQL from a remote store, pages from the build."""

from __future__ import annotations

import subprocess
import sys

import httpx
from tests.serve.conftest import FIXTURES, free_port, running_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(base: str) -> int:
    response = httpx.get(base + "/sparql", params={"query": COUNT}, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_the_default_graph_holds_the_same_statements_on_both_backends(web_dist, web_store):
    with running_server(FIXTURES / "web", web_dist) as embedded:
        with running_server(FIXTURES / "web", web_dist, web_store) as remote:
            assert _count(remote) == _count(embedded) > 0


def test_queries_go_to_the_remote_store(web_dist, oxigraph_server):
    """An empty remote store: the pages are the build's, the SPARQL answers are the store's."""
    with running_server(FIXTURES / "web", web_dist, oxigraph_server.url) as base:
        assert httpx.get(base + "/doc/person/mikhail-sholokhov.ttl").status_code == 200
        assert _count(base) == 0


def test_an_unreachable_store_is_a_clear_error(web_dist):
    command = [
        sys.executable, "-m", "twentyfive.cli", "--project", str(FIXTURES / "web"), "serve",
        "--dist", str(web_dist), "--port", str(free_port()),
        "--store", f"http://127.0.0.1:{free_port()}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert "does not answer queries" in result.stderr
