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
def running_server(project: Path, dist: Path) -> Iterator[str]:
    """``twentyfive serve`` in a subprocess on a free loopback port; its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "twentyfive.cli", "--project", str(project), "serve",
        "--dist", str(dist), "--host", "127.0.0.1", "--port", str(port),
        "--query-timeout", str(QUERY_TIMEOUT), "--processes", "2", "--query-workers", "1",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"the server stopped at start-up:\n{output}")
            try:
                if httpx.get(base + "/robots.txt", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer within 60 s")
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
def server(web_dist: Path) -> Iterator[str]:
    """The server over the web fixture (small, with a <script> in a description)."""
    with running_server(FIXTURES / "web", web_dist) as base:
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
