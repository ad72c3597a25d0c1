"""A real server on a free loopback port, over the web fixture built once per session."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from tests.conftest import FIXTURES, ROOT
from tests.serve.running import free_port, running_server  # noqa: F401 (free_port: used by tests)

from twentyfive.pipeline import build
from twentyfive.project import Project

#: Short, so the timeout test is quick; every other query here takes milliseconds.
QUERY_TIMEOUT = 2.0


@pytest.fixture(scope="session")
def web_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("web") / "dist"
    outcome = build(Project.at(FIXTURES / "web", dist))
    assert outcome.conforms, [f.format() for f in outcome.violations]
    return dist


@pytest.fixture(scope="session")
def server(web_dist: Path) -> str:
    """``twentyfive serve`` in a subprocess; its base URL. Stopped at the end of the session."""
    with running_server(FIXTURES / "web", web_dist, query_timeout=QUERY_TIMEOUT) as base:
        yield base


@pytest.fixture(scope="session")
def real_server(dist: Path) -> str:
    """``twentyfive serve`` over the real data (built once per session)."""
    with running_server(ROOT, dist, query_timeout=QUERY_TIMEOUT) as base:
        yield base


@pytest.fixture
def client(server: str):
    with httpx.Client(base_url=server, follow_redirects=False, timeout=30) as http:
        yield http
