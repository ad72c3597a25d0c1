"""A real server on a free loopback port, over the web fixture built once per session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from tests.conftest import FIXTURES

from twentyfive.pipeline import build
from twentyfive.project import Project

#: Short, so the timeout test is quick; every other query here takes milliseconds.
QUERY_TIMEOUT = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def web_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("web") / "dist"
    outcome = build(Project.at(FIXTURES / "web", dist))
    assert outcome.conforms, [f.format() for f in outcome.violations]
    return dist


@contextmanager
def running_server(project: Path, dist: Path, store: str | None = None, **environ: str) -> Iterator[str]:
    """``twentyfive serve`` in a subprocess on a free loopback port (SPARQL from the remote
    ``store`` when given; ``environ`` added to its environment); its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "twentyfive.cli", "--project", str(project), "serve",
        "--dist", str(dist), "--host", "127.0.0.1", "--port", str(port),
        "--query-timeout", str(QUERY_TIMEOUT), "--processes", "2", "--query-workers", "1",
    ]  # fmt: skip
    if store:
        command += ["--store", store]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **environ}
    with running(command, f"http://127.0.0.1:{port}", "the server", 60, env=env) as base:
        yield base


@contextmanager
def running(command: list[str], base: str, name: str, seconds: float, **popen) -> Iterator[str]:
    """A server process, once ``base`` answers ``/robots.txt``; stopped on the way out."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen)
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"{name} stopped at start-up:\n{output}")
            try:
                if httpx.get(base + "/robots.txt", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer within {seconds:g} s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def web_store(web_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server whose default graph is the union of its graphs, holding the
    web fixture put there by ``twentyfive load``."""
    from tests.stores import OxigraphServer

    from twentyfive.load import load_build
    from twentyfive.sparql_http import Endpoints, SparqlClient

    folder = tmp_path_factory.mktemp("remote")
    store = OxigraphServer(folder / "db", options=("--union-default-graph",)).start()
    try:
        with SparqlClient(Endpoints.of(store.url)) as client:
            load_build(web_dist, client)
        yield store.url
    finally:
        store.stop()


@pytest.fixture(scope="session", params=["embedded", "remote"])
def server(request: pytest.FixtureRequest, web_dist: Path) -> Iterator[str]:
    """The server over the web fixture (small, with a <script> in a description), answering
    SPARQL from the build's own store or from a remote one (``serve --store``)."""
    store = request.getfixturevalue("web_store") if request.param == "remote" else None
    with running_server(FIXTURES / "web", web_dist, store) as base:
        yield base


@pytest.fixture(scope="session")
def real_server(root_project, dist: Path) -> Iterator[str]:
    """The server over the real data, built once for the session."""
    with running_server(root_project.root, dist) as base:
        yield base


@pytest.fixture
def client(server: str):
    with httpx.Client(base_url=server, follow_redirects=False, timeout=30) as http:
        yield http
