"""``twentyfive check --no-sparql`` against the static build behind nginx on loopback.

nginx runs with the rules the build generates into ``dist/site/nginx.conf`` (see
publish/site.py), over the real build. The check knows nothing of them: it only speaks HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.serve.conftest import free_port, running
from tests.tools import require

from twentyfive.check import PASS, SKIP, Checker, Options
from twentyfive.check.report import line
from twentyfive.publish.site import standalone_nginx


@pytest.fixture(scope="module")
def nginx(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Real nginx over the real build's dist/site/, with the rules the build generated."""
    program = require("nginx", "apt-get install -y nginx")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = standalone_nginx(dist / "site", prefix, port)
    command = [program, "-c", str(config), "-p", str(prefix), "-e", str(prefix / "error.log")]
    with running(command, f"http://127.0.0.1:{port}", "nginx", 20) as base:
        yield base


@pytest.mark.external
def test_static_site_behind_nginx_passes(nginx: str) -> None:
    results = Checker(Options(nginx, sample=2, sparql=False, timeout=10)).run()
    assert [line(r) for r in results if r.status not in (PASS, SKIP)] == []
    assert [r.check for r in results if r.status == SKIP] == ["sparql"]
    namespaces = {r.subject.rsplit("/", 1)[0] for r in results if r.check == "303"}
    assert {"/id/person", "/id/place", "/id/work"} <= namespaces


@pytest.mark.external
def test_static_site_without_an_endpoint_is_reported_as_such(nginx: str) -> None:
    results = Checker(Options(nginx, timeout=10)).run()
    skipped = [r for r in results if r.status == SKIP]
    assert [r.check for r in skipped] == ["sparql"] and "no endpoint" in skipped[0].response
