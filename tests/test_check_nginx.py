"""``twentyfive check --no-sparql`` against the static build behind nginx on loopback.

The nginx configuration here is a test fixture, not the project's static-site rules (those
come later): the plainest mapping of ``Accept`` to a prebuilt file that a static site needs
(303 with ``Vary``, 404, 406, CORS, ``Link``); nginx itself gives ``ETag``, ``304`` and
``HEAD``. The check knows nothing of it: it only speaks HTTP.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from tests.serve.conftest import free_port
from tests.tools import require

from twentyfive.check import PASS, SKIP, Checker, Options
from twentyfive.check.report import line

CONFIG = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  types {{
    text/turtle ttl;
    application/ld+json jsonld;
    application/n-triples nt;
    application/rdf+xml rdf;
    text/html html;
  }}
  map $http_accept $extension {{
    default "";
    "" ttl;
    "~*text/turtle" ttl;
    "~*application/ld\\+json" jsonld;
    "~*application/n-triples" nt;
    "~*application/rdf\\+xml" rdf;
    "~*text/html" html;
    "~\\*/\\*" ttl;
  }}
  server {{
    listen 127.0.0.1:{port};
    root {dist};
    location = /.well-known/void {{
      default_type text/turtle;
      add_header Access-Control-Allow-Origin * always;
      alias {dist}/void.ttl;
    }}
    location ~ ^/id/(?<kind>[a-z]+)/(?<slug>[a-z0-9-]+)$ {{
      add_header Vary Accept always;
      add_header Access-Control-Allow-Origin * always;
      if (!-f $document_root/doc/$kind/$slug.ttl) {{ return 404; }}
      if ($extension = "") {{ return 406; }}
      return 303 /doc/$kind/$slug.$extension;
    }}
    location /doc/ {{
      add_header Access-Control-Allow-Origin * always;
      add_header Link '</.well-known/void>; rel="describedby"' always;
    }}
  }}
}}
"""


@pytest.fixture(scope="module")
def nginx(dist: Path, tmp_path_factory: pytest.TempPathFactory):
    program = require("nginx", "apt-get install -y nginx")
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = tmp / "nginx.conf"
    # as root, workers would drop to "nobody", who cannot read pytest's private temp folders
    user = "user root;" if os.geteuid() == 0 else ""
    config.write_text(CONFIG.format(user=user, tmp=tmp, port=port, dist=dist), encoding="utf-8")
    process = subprocess.Popen([program, "-c", str(config), "-e", str(tmp / "error.log")])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/.well-known/void", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


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
